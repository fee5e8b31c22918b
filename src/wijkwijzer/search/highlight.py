"""Highlights: an HTML-safe snippet of a text with what a query matches in <mark>.

Every piece of text is escaped before it is marked; the marks follow the query
plan (typed words and their compound parts, synonyms, corrections, phrases).
"""

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wijkwijzer.search.analysis import DutchAnalyzer
from wijkwijzer.search.plan import Concept, QueryPlan
from wijkwijzer.search.synonyms import all_phrases, phrase_key


def _all_concepts(plan: QueryPlan) -> list[Concept]:
    """Every concept of `plan`, with the words of multi-word ones and compounds' parts."""
    found = [c for concept in plan.concepts for c in (concept, *concept.each)]
    return [p for c in found for p in (c, *c.parts)]


def highlight_terms(plan: QueryPlan) -> tuple[set[str], list[tuple[str, ...]]]:
    """The stems to mark in a text, and the stem sequences to mark only together."""
    terms: set[str] = set()
    phrases = list(plan.phrases)
    for concept in _all_concepts(plan):
        # Typed words (corrections, compounds) also match as their compound parts; synonyms not.
        words = [q.word for q in concept.words] if not concept.phrase else []
        words += [w for w in (concept.correction, concept.joined) if w is not None]
        for word in words:
            terms.add(word.stem)
            terms.update(word.parts)
        for phrase in all_phrases((*concept.synonyms, *concept.correction_synonyms)):
            if len(phrase) == 1:
                terms.add(phrase[0].stem)
            else:
                phrases.append(phrase_key(phrase))
    return terms, phrases


def _cut(text: str, start: int, end: int, floor: int, ceiling: int) -> tuple[int, int]:
    """Move start forward and end backward to word boundaries, keeping [floor, ceiling]."""
    if start > 0 and not text[start - 1].isspace():
        space = re.search(r"\s", text[start:floor])
        if space:
            start += space.end()
    if end < len(text) and not text[end].isspace():
        spaces = [m.start() for m in re.finditer(r"\s", text[ceiling:end])]
        if spaces:
            end = ceiling + spaces[-1]
    return start, end


# One word of a text: where it stands, and its stems (its own first, then its parts').
Slot = tuple[int, int, tuple[str, ...]]


@dataclass(frozen=True)
class TextWords:
    """The words of a text that are no stopwords (slots), and where each stem stands."""

    slots: list[Slot]
    by_stem: dict[str, list[int]]

    def __len__(self) -> int:
        return len(self.slots)


def text_words(analyzer: Any, text: str) -> TextWords:
    """The words of `text`, each with its stems, and the slots of each stem."""
    slots = _slots(analyzer, text)
    by_stem: dict[str, list[int]] = {}
    for i, (_, _, stems) in enumerate(slots):
        for stem in stems:
            by_stem.setdefault(stem, []).append(i)
    return TextWords(slots, by_stem)


def _slots(analyzer: Any, text: str) -> list[Slot]:
    """The words of `text` that are no stopwords, each with its stems."""
    if isinstance(analyzer, DutchAnalyzer):
        return analyzer.spans(text)
    # Another analyzer (an index written before DutchAnalyzer): read its tokens.
    slots: list[tuple[int, int, list[str]]] = []
    for token in analyzer(text, chars=True, removestops=False, mode="query"):
        if token.stopped:
            continue
        if not getattr(token, "compound_part", False) or not slots:
            slots.append((token.startchar, token.endchar, []))
        slots[-1][2].append(token.text)
    return [(start, end, tuple(stems)) for start, end, stems in slots]


def highlight_text(
    analyzer: Any,
    text: str,
    terms: Iterable[str],
    phrases: Iterable[tuple[str, ...]] = (),
    max_chars: int = 300,
    words: TextWords | None = None,
) -> str:
    """An HTML-safe snippet of `text` (at most `max_chars` of it) with matches in <mark>.

    `words`: the words of `text` (``text_words``), when the caller keeps them.
    """
    if words is None:
        words = text_words(analyzer, text)
    slots, by_stem = words.slots, words.by_stem
    marked: set[int] = set()
    for term in set(terms):
        marked.update(by_stem.get(term, ()))
    for phrase in phrases:
        if not phrase:
            continue
        first, size = phrase[0], len(phrase)
        for i in range(len(slots) - size + 1):
            if first in slots[i][2] and all(w in slots[i + k][2] for k, w in enumerate(phrase)):
                marked.update(range(i, i + size))
    # Each match: where the word stands, and its own stem.
    matches = [(slots[i][0], slots[i][1], slots[i][2][0]) for i in sorted(marked)]
    start, end = 0, len(text)
    if len(text) > max_chars:
        anchor = _best_anchor(matches, max_chars)
        floor, ceiling = (anchor[0], anchor[1]) if anchor else (0, 0)
        start = max(0, min(floor - max_chars // 5, len(text) - max_chars)) if anchor else 0
        start, end = _cut(text, start, min(len(text), start + max_chars), floor, ceiling)
        matches = [m for m in matches if m[0] >= start and m[1] <= end]
    if start >= end:  # one enormous word
        start, end = 0, max_chars
        matches = [m for m in matches if m[1] <= end]
    snippet = _marked(text, matches, start, end).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _marked(text: str, matches: Iterable[tuple[int, int, str]], start: int, end: int) -> str:
    """text[start:end], escaped, with each match (in text order) wrapped in <mark>."""
    output: list[str] = []
    index = start
    for first, last, _ in matches:
        if first < index:
            continue
        if first > index:
            output.append(html.escape(text[index:first]))
        output.append(f"<mark>{html.escape(text[first:last])}</mark>")
        index = last
    output.append(html.escape(text[index:end]))
    return "".join(output)


def _best_anchor(
    matches: Sequence[tuple[int, int, str]], width: int
) -> tuple[int, int, str] | None:
    """The match starting the window that holds the most distinct matched words."""
    best, best_count = None, 0
    for m in matches:
        window = {n[2] for n in matches if m[0] <= n[0] and n[1] <= m[0] + width}
        if len(window) > best_count:
            best, best_count = m, len(window)
    return best
