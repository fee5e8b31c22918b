"""Highlights from the memoized word analysis equal those of Whoosh's tokens and formatter."""

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from whoosh.highlight import Formatter, Fragment, get_text

from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.search.analysis import curated_words, dutch_analyzer, filter_chain, plain_words
from wijkwijzer.search.highlight import _cut, highlight_terms, highlight_text
from wijkwijzer.search.plan import plan_query
from wijkwijzer.search.schema import document_texts
from wijkwijzer.search.synonyms import Synonyms, read_synonyms

# --- the reference: highlighting with Whoosh Token objects and Whoosh's Formatter -------------
# (``_cut``, which moves the window to word boundaries, is the same in both.)


class _ReferenceFormatter(Formatter):  # type: ignore[misc]
    between = "…"

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(get_text(text, token, replace))}</mark>"


def _best_anchor(matches: Sequence[Any], width: int) -> Any | None:
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


def reference_highlight(
    analyzer: Any,
    text: str,
    terms: Iterable[str],
    phrases: Iterable[tuple[str, ...]] = (),
    max_chars: int = 300,
) -> str:
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
    if start >= end:
        start, end = 0, max_chars
        matches = [m for m in matches if m.endchar <= end]
    fragment = Fragment(text, matches, start, end)
    snippet: str = _ReferenceFormatter().format_fragment(fragment).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


# --- the comparison ----------------------------------------------------------------------------

QUERIES = [
    "jongeren sport",
    "buurtbewoners",
    "ruzie met de buren",
    "burenruzie",
    '"sociaal isolement"',
    '"buurt wijk"',
    "eenzaamheid ouderen",
    "kinderopvang",
    "gemeenschapshuis",
    "pleintje kindjes",
    "vrijwilligers",
    "geëvalueerd café",
    "taalles armoede schulden",
    "huiswerkbegeleiding",
    "opbouwwerk",
    "gezondheid bewegen",
    "de het een",
    "<mark>",
    "wijk",
    "participatie vrijwilligerswerk mantelzorg",
]

EXTRA_TEXTS = [
    "",
    "Kinderen & <ouders>",
    "woord " * 100,
    "Aanloop " * 60 + "Het wijktheater speelt verhalen uit de wijk. " + "Slot " * 60,
    "x" * 500 + " jongeren",
    "jongeren" + "y" * 400,
    "Een burenruzie escaleerde; senioren bleven sociaal geïsoleerd.",
    "sociaal isolement, sociaal-isolement, isolement sociaal: de buurt, de wijk.",
]


@pytest.fixture(scope="module")
def texts() -> tuple[frozenset[str], list[str]]:
    corpus = load_corpus(REAL_CORPUS, VOCABULAIRE)
    found = [t for a in corpus.aanpakken for t in document_texts(a, corpus.vocabulaire).values()]
    return frozenset(plain_words(found) | curated_words()), [*found, *EXTRA_TEXTS]


def test_same_snippets_as_whoosh_tokens_and_formatter(
    texts: tuple[frozenset[str], list[str]],
) -> None:
    words, corpus_texts = texts
    fast, chain = dutch_analyzer(words), filter_chain(words)
    synonyms = Synonyms(fast, read_synonyms())
    compared = marked = 0
    for query in QUERIES:
        terms, phrases = highlight_terms(plan_query(query, fast, synonyms))
        for text in corpus_texts:
            for max_chars in (300, 120, 40, 5):
                expected = reference_highlight(chain, text, terms, phrases, max_chars)
                assert highlight_text(fast, text, terms, phrases, max_chars) == expected, (
                    query,
                    max_chars,
                    text[:60],
                )
                # An index written before DutchAnalyzer holds the plain chain.
                assert highlight_text(chain, text, terms, phrases, max_chars) == expected
                compared += 1
                marked += "<mark>" in expected
    assert compared > 10_000
    assert marked > 500  # many of them marked
