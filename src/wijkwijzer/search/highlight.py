"""Highlights: an HTML-safe snippet of a text with what a query matches in <mark>.

Every piece of text is escaped before it is marked; the marks follow the query
plan (typed words and their compound parts, synonyms, corrections, phrases).
"""

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from wijkwijzer.search.analysis import DutchAnalyzer
from wijkwijzer.search.plan import Concept, QueryPlan
from wijkwijzer.search.synonyms import all_phrases, phrase_key


def _all_concepts(plan: QueryPlan) -> list[Concept]:
    return [c for concept in plan.concepts for c in (concept, *concept.each)]


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
) -> str:
    """An HTML-safe snippet of `text` (at most `max_chars` of it) with matches in <mark>."""
    termset = frozenset(terms)
    slots = _slots(analyzer, text)
    marked = {i for i, slot in enumerate(slots) if not termset.isdisjoint(slot[2])}
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
