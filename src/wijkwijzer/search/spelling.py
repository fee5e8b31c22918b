"""Spelling suggestions: the closest word an index version knows ("Bedoelde u …")."""

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh.spelling import ListCorrector

from wijkwijzer.corpus.text import fold
from wijkwijzer.search.analysis import analyse_word
from wijkwijzer.search.schema import TEXT_FIELDS
from wijkwijzer.search.versions import SPELLING_FILE

SHORT_WORD = 6  # up to this length a correction may differ by one edit, beyond by two


def edit_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def max_edits(word: str) -> int:
    """How far a correction may be: short words are easily "corrected" into other words."""
    return 1 if len(word) <= SHORT_WORD else 2


def spelling_words(version_dir: Path) -> list[str]:
    """The sorted words suggestions come from: the version's word list file."""
    words: list[str] = json.loads((version_dir / SPELLING_FILE).read_text("utf-8"))
    return sorted(words)


class Speller:
    """Suggests indexed words for unknown ones, from the word list of one index version."""

    def __init__(
        self,
        words: Sequence[str],
        analyzer: Any,
        word_forms: Mapping[str, str],
        fields_with: Callable[[str], tuple[str, ...]],
        doc_frequency: Callable[[str, str], int],
    ) -> None:
        """`words`: the sorted words of the version (``spelling_words``), read once per version.

        `fields_with` gives the text fields holding a stem; `doc_frequency` (field,
        stem) in how many documents one holds it.
        """
        self.analyzer = analyzer
        self.word_forms = word_forms
        self.fields_with = fields_with
        self.doc_frequency = doc_frequency
        # Whoosh's ListCorrector fails on an empty list.
        self.corrector = ListCorrector(words) if words else None

    def suggest(self, text: str) -> str | None:
        """The closest indexed word to `text` (accents as written in the corpus), or None."""
        word = fold(text.lower())
        if self.corrector is None or not (3 <= len(word) <= 30 and word.isalpha()):
            return None
        allowed = max_edits(word)
        ranked: list[tuple[int, int, str]] = []
        # Whoosh counts a swap of two letters as two edits; edit_distance as one.
        for maxdist in (1, 2):
            for candidate in self.corrector.suggest(word, limit=10, maxdist=maxdist, prefix=1):
                distance = edit_distance(word, candidate)
                analysed = analyse_word(self.analyzer, candidate)
                if distance > allowed or analysed is None or not self.fields_with(analysed.stem):
                    continue
                frequency = sum(self.doc_frequency(f, analysed.stem) for f in TEXT_FIELDS)
                ranked.append((distance, -frequency, candidate))
            if ranked:
                break
        if not ranked:
            return None
        best = min(ranked)[2]
        return self.word_forms.get(best, best)
