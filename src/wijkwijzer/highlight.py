"""Highlights: an HTML-safe snippet of a text with what a query matches in <mark>.

Every piece of text is escaped before it is marked; the marks follow the query
plan (typed words and their compound parts, synonyms, corrections, phrases).
"""

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.highlight import Formatter, Fragment, get_text

from wijkwijzer.query import Concept, QueryPlan
from wijkwijzer.synonyms import all_phrases, phrase_key


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


class _MarkFormatter(Formatter):  # type: ignore[misc]
    """Escapes every piece of text and wraps matches in <mark>."""

    between = "…"

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(get_text(text, token, replace))}</mark>"


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


def highlight_text(
    analyzer: Any,
    text: str,
    terms: Iterable[str],
    phrases: Iterable[tuple[str, ...]] = (),
    max_chars: int = 300,
) -> str:
    """An HTML-safe snippet of `text` (at most `max_chars` of it) with matches in <mark>."""
    termset = frozenset(terms)
    slots: list[list[Any]] = []
    for token in analyzer(text, chars=True, removestops=False, mode="query"):
        if token.stopped:
            continue
        if not getattr(token, "compound_part", False) or not slots:
            slots.append([])
        slots[-1].append(token.copy())
    marked = {i for i, slot in enumerate(slots) if any(t.text in termset for t in slot)}
    for phrase in phrases:
        for i in range(len(slots) - len(phrase) + 1):
            if all(any(t.text == w for t in slots[i + k]) for k, w in enumerate(phrase)):
                marked.update(range(i, i + len(phrase)))
    matches = [slots[i][0] for i in sorted(marked)]
    start, end = 0, len(text)
    if len(text) > max_chars:
        anchor = _best_anchor(matches, max_chars)
        floor, ceiling = (anchor.startchar, anchor.endchar) if anchor else (0, 0)
        start = max(0, min(floor - max_chars // 5, len(text) - max_chars)) if anchor else 0
        start, end = _cut(text, start, min(len(text), start + max_chars), floor, ceiling)
        matches = [m for m in matches if m.startchar >= start and m.endchar <= end]
    if start >= end:  # one enormous word
        start, end = 0, max_chars
        matches = [m for m in matches if m.endchar <= end]
    snippet: str = _MarkFormatter().format_fragment(Fragment(text, matches, start, end)).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _best_anchor(matches: Sequence[Any], width: int) -> Any | None:
    """The match starting the window that holds the most distinct matched words."""
    best, best_count = None, 0
    for m in matches:
        window = {
            n.text
            for n in matches
            if m.startchar <= n.startchar and n.endchar <= m.startchar + width
        }
        if len(window) > best_count:
            best, best_count = m, len(window)
    return best
