"""Query plans: a query as the concepts it asks for, with synonyms and corrections.

A concept is a word, a multi-word synonym term ("ruzie met de buren"), two
words written apart that the index knows as one ("buurt bemiddeling"), or a
quoted phrase, with the synonyms of ``data/synoniemen.yaml`` and, for a word
the index does not know, a spelling correction. Words that only frame a
question ("ik zoek een aanpak voor ...") are left out. Searching, suggestions
and highlights all work from the same plan.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from wijkwijzer.corpus.text import fold
from wijkwijzer.search.analysis import Word, analyse_word
from wijkwijzer.search.query_words import QueryWord, query_words
from wijkwijzer.search.synonyms import Synonyms, Term

# Words that frame a question rather than say what it is about ("ik zoek iets
# voor ...", "hoe krijg ik ...", "welke aanpak werkt ..."): dropped from a query
# that has other words. Most such words are stopwords already (hoe, wat, kan, doen).
QUERY_FILLER = frozenset(
    {
        "zoek", "zoekt", "zoeken", "gezocht", "krijg", "krijgt", "krijgen", "kun", "kunt",
        "help", "helpen", "maak", "graag", "wilt", "willen", "weet", "vind", "vinden",
        "nodig", "onze", "waarmee", "waarom", "wanneer", "werkt", "tip", "tips",
        "aanpak", "aanpakken", "methode", "methodes", "methoden", "methodiek",
        "interventie", "interventies", "manier", "manieren", "voorbeeld", "voorbeelden",
        "helpt", "hou", "houd", "houdt", "houden", "moet", "moeten", "mogen", "zou", "zouden",
        "gaan", "ben", "bent", "iemand", "iets", "wie", "welk", "aan", "doen", "doe", "doet",
    }
)  # fmt: skip


class Lexicon(Protocol):
    """What an index knows about words: a plan asks before correcting or joining words."""

    def known(self, word: Word) -> bool:
        """A word not to correct: the index has it (or its parts), or it is a real word."""

    def indexed(self, stem: str) -> bool:
        """Whether the index holds `stem` itself."""

    def suggest(self, text: str) -> str | None:
        """The correction for an unknown word, if there is one."""


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: a word, a known multi-word term, or a quoted phrase."""

    words: tuple[QueryWord, ...]
    phrase: bool = False
    synonyms: tuple[Term, ...] = ()
    correction: Word | None = None
    correction_synonyms: tuple[Term, ...] = ()
    # A multi-word synonym term also matches as its words, each with its own synonyms.
    each: tuple["Concept", ...] = ()
    # Two words the index knows as one ("buurt bemiddeling"): that word matches too.
    joined: Word | None = None
    # A typed compound's parts, each with its synonyms ("buurtgeld": buurt, geld): they
    # match anywhere in an approach when the compound itself matches nowhere.
    parts: tuple["Concept", ...] = ()


@dataclass(frozen=True)
class QueryPlan:
    """A query as concepts, with the "did you mean" text when words were corrected."""

    concepts: tuple[Concept, ...]
    suggestion: str | None = None
    phrases: tuple[tuple[str, ...], ...] = field(default=())


def _clean(text: str) -> str:
    """Control, format and unassigned characters become spaces (same length)."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _segments(text: str) -> list[tuple[str, int, bool]]:
    """Free text and quoted phrases, with their offsets; an unpaired quote is plain text."""
    segments: list[tuple[str, int, bool]] = []
    pos = 0
    for match in re.finditer(r'"([^"]*)"', text):
        segments.append((text[pos : match.start()], pos, False))
        segments.append((match.group(1), match.start(1), True))
        pos = match.end()
    segments.append((text[pos:], pos, False))
    return [s for s in segments if s[0].strip()]


def _drop_filler(words: list[QueryWord]) -> list[QueryWord]:
    """`words` without the question's framing, unless nothing else is left."""
    kept = [w for w in words if fold(w.text.lower()) not in QUERY_FILLER]
    return kept or words


def _joined(
    pair: Sequence[QueryWord], analyzer: Any, synonyms: Synonyms, lexicon: Lexicon | None
) -> Word | None:
    """The word two words make together, when the index or the synonyms know it.

    A compound ("buurt bemiddeling") or a name written apart ("golden sports").
    """
    word = analyse_word(analyzer, pair[0].text + pair[1].text)
    if word is None:
        return None
    if (word.stem,) in synonyms or (lexicon is not None and lexicon.indexed(word.stem)):
        return word
    return None


def _word_concept(word: QueryWord, synonyms: Synonyms) -> Concept:
    """One word with its synonyms, and (a compound) its parts with theirs."""
    parts = tuple(
        Concept((replace(word, word=Word(stem)),), synonyms=tuple(synonyms.expand((stem,))))
        for stem in word.word.parts
    )
    return Concept((word,), synonyms=tuple(synonyms.expand((word.word.stem,))), parts=parts)


def _concept(words: Sequence[QueryWord], synonyms: Synonyms, joined: Word | None) -> Concept:
    """The concept of `words` (more than one: also matched as each word on its own)."""
    if len(words) == 1 and joined is None:
        return _word_concept(words[0], synonyms)
    key = (joined.stem,) if joined else tuple(w.word.stem for w in words)
    return Concept(
        tuple(words),
        synonyms=tuple(synonyms.expand(key)),
        each=tuple(_word_concept(w, synonyms) for w in words),
        joined=joined,
    )


def _term_length(words: Sequence[QueryWord], i: int, synonyms: Synonyms) -> int:
    """How many words from `i` on form the longest synonym term (1 when none does)."""
    for n in range(min(synonyms.max_words, len(words) - i), 1, -1):
        if tuple(w.word.stem for w in words[i : i + n]) in synonyms:
            return n
    return 1


def _free_concepts(
    words: Sequence[QueryWord], analyzer: Any, synonyms: Synonyms, lexicon: Lexicon | None
) -> list[Concept]:
    """Group words into concepts: the longest synonym term first (greedy), then compounds."""
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        n = _term_length(words, i, synonyms)
        joined = None
        if n == 1 and i + 1 < len(words):
            joined = _joined(words[i : i + 2], analyzer, synonyms, lexicon)
            n = 2 if joined else 1
        concepts.append(_concept(words[i : i + n], synonyms, joined))
        i += n
    return concepts


def plan_query(
    text: str,
    analyzer: Any,
    synonyms: Synonyms,
    lexicon: Lexicon | None = None,
    max_terms: int = 16,
) -> QueryPlan:
    """Split a query into concepts, with synonyms, and corrections of unknown words.

    Quoted text is a phrase; words of a multi-word synonym term ("ruzie met de
    buren") form one concept. A word the `lexicon` does not know gets the
    correction it offers (when it has one), also as a "did you mean" string.
    """
    cleaned = _clean(text)
    concepts: list[Concept] = []
    for segment, offset, quoted in _segments(cleaned):
        words = query_words(analyzer, segment, offset)
        if quoted and len(words) > 1:
            concepts.append(Concept(tuple(words), phrase=True))
        elif quoted:
            concepts += [Concept((w,)) for w in words]
        else:
            concepts += _free_concepts(_drop_filler(words), analyzer, synonyms, lexicon)
    concepts = concepts[:max_terms]
    phrases = tuple(tuple(w.word.stem for w in c.words) for c in concepts if c.phrase)
    if lexicon is None:
        return QueryPlan(tuple(concepts), None, phrases)
    replacements: list[tuple[int, int, str]] = []
    for i, concept in enumerate(concepts):
        if len(concept.words) != 1 or concept.synonyms:
            continue
        word = concept.words[0]
        if (word.word.stem,) in synonyms or lexicon.known(word.word):
            continue
        suggestion = lexicon.suggest(word.text)
        corrected = analyse_word(analyzer, suggestion) if suggestion else None
        if suggestion is None or corrected is None:
            continue
        replacements.append((word.start, word.end, suggestion))
        if not concept.phrase:
            expanded = tuple(synonyms.expand((corrected.stem,)))
            concepts[i] = replace(concept, correction=corrected, correction_synonyms=expanded)
    suggestion_text = None
    if replacements:
        pieces, pos = [], 0
        for start, end, replacement in replacements:
            pieces += [cleaned[pos:start], replacement]
            pos = end
        pieces.append(cleaned[pos:])
        suggestion_text = " ".join("".join(pieces).split())
    return QueryPlan(tuple(concepts), suggestion_text, phrases)
