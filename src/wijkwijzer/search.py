"""Full-text search: the public face of the search modules.

The search modules: ``analysis`` (the analyzer the index schema pickles) with
``compounds``; ``synonyms`` and ``query`` (query plans); ``index_schema`` and
``index_store`` (building and swapping versions); ``index_reader``,
``matching``, ``spelling`` and ``highlight``. Only they use Whoosh; the rest of
the application imports what it needs from here::

    version_dir = build_index(root, corpus)    # complete, not yet visible
    activate_index(root, version_dir)          # atomic swap; old versions cleaned
    with SearchIndex(root) as index:
        index.search("eenzame ouderen")        # AND, or a ranked OR when AND finds little

Queries never go through Whoosh's query parser: the query is built from the
analysed words, so malformed input cannot raise.
"""

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from wijkwijzer.analysis import curated_words, dutch_analyzer
from wijkwijzer.highlight import highlight_terms, highlight_text
from wijkwijzer.index_reader import OpenedIndex
from wijkwijzer.index_schema import RELATED_FIELD, TEXT_FIELDS, make_schema
from wijkwijzer.index_store import (
    CURRENT,
    VERSION_FILE,
    MemoryStorage,
    activate_index,
    build_index,
    current_index,
    current_target,
    discard_index,
    read_version,
)
from wijkwijzer.matching import CORRECTION_BOOST, SYNONYM_BOOST, TIEBREAK, intersect, ranked_or
from wijkwijzer.query import QueryPlan, plan_query
from wijkwijzer.spelling import SHORT_WORD
from wijkwijzer.synonyms import Synonyms, read_synonyms

__all__ = [
    "CORRECTION_BOOST",
    "CURRENT",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_TERMS",
    "MIN_AND_RESULTS",
    "SHORT_WORD",
    "SYNONYM_BOOST",
    "TEXT_FIELDS",
    "TIEBREAK",
    "VERSION_FILE",
    "Mode",
    "QueryTooLong",
    "SearchIndex",
    "TextResult",
    "activate_index",
    "build_index",
    "current_index",
    "discard_index",
    "dutch_analyzer",
    "highlight",
    "highlight_text",
    "make_schema",
]

MAX_QUERY_LENGTH = 200
MIN_AND_RESULTS = 3  # fewer AND hits than this: fall back to a ranked OR
MAX_QUERY_TERMS = 16  # words beyond this are ignored
RELATED_MIN = 3
RELATED_TERMS = 50  # key terms for more-like-this: few terms are all unique to the document
RELATED_TAG_WEIGHT = 0.5  # weight of shared doelgroepen/kenmerken against text similarity
_PLAN_CACHE_SIZE = 64

# Kept for the benchmarks, which patch the build's scratch storage.
_MemoryStorage = MemoryStorage

Mode = Literal["and", "or", "all"]


class QueryTooLong(ValueError):
    """The query exceeds MAX_QUERY_LENGTH characters."""


@dataclass(frozen=True)
class TextResult:
    """All approaches matching a text query, best first (the caller pages and filters)."""

    ordered: tuple[str, ...]
    scores: Mapping[str, float]
    mode: Mode
    suggestion: str | None
    version: str | None


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"zoekvraag is langer dan {MAX_QUERY_LENGTH} tekens")


class SearchIndex:
    """Read access to the current index version; safe to share between threads.

    Each thread gets its own searcher, reused between calls and replaced (and
    closed, in that thread) when ``current`` points at a new version.
    """

    def __init__(self, index_root: Path) -> None:
        self.index_root = index_root
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[threading.Thread, OpenedIndex]] = []

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every searcher opened so far; call when no thread searches any more."""
        with self._lock:
            opened, self._all = self._all, []
        for _, item in opened:
            item.close()
        self._local = threading.local()

    @property
    def version(self) -> str | None:
        """The content hash of the current index version (None without an index)."""
        path = current_index(self.index_root)
        if path is None:
            return None
        try:
            return read_version(path)
        except OSError:
            return None

    def _opened(self) -> OpenedIndex | None:
        held: OpenedIndex | None = getattr(self._local, "opened", None)
        for attempt in range(5):
            target = current_target(self.index_root)
            if held is not None and held.target == target:
                return held
            if target is None:
                return held
            try:
                fresh = OpenedIndex(target, self.index_root / target)
            except Exception:
                if attempt == 4:
                    if held is not None:
                        return held  # keep serving the version this thread has
                    raise
                time.sleep(0.01 * (attempt + 1))  # a swap or cleanup raced us: look again
                continue
            with self._lock:  # close what threads that have ended left open
                stale = [o for t, o in self._all if not t.is_alive()]
                self._all = [(t, o) for t, o in self._all if t.is_alive() and o is not held]
                self._all.append((threading.current_thread(), fresh))
            for item in stale:
                item.close()
            if held is not None:
                held.close()  # same thread that opened it
            self._local.opened = fresh
            return fresh
        return held

    def _plan(self, query: str) -> tuple[QueryPlan, OpenedIndex | None, Any]:
        """The plan of `query` (cached per searcher: highlights repeat the query)."""
        _check_length(query)
        opened = self._opened()
        if opened is None:
            analyzer, synonyms = _default_analysis()
            return plan_query(query, analyzer, synonyms, max_terms=MAX_QUERY_TERMS), None, analyzer
        plan = opened.plans.get(query)
        if plan is None:
            plan = plan_query(
                query, opened.analyzer, opened.synonyms, opened, max_terms=MAX_QUERY_TERMS
            )
            if len(opened.plans) >= _PLAN_CACHE_SIZE:
                opened.plans.pop(next(iter(opened.plans)))
            opened.plans[query] = plan
        return plan, opened, opened.analyzer

    def search(self, query: str) -> TextResult:
        """Every approach matching `query`, best first; raises QueryTooLong."""
        plan, opened, _ = self._plan(query)
        if not plan.concepts:
            return TextResult(
                (), MappingProxyType({}), "all", None, opened.version if opened else None
            )
        if opened is None:
            return TextResult((), MappingProxyType({}), "and", None, None)
        # One run per concept gives both the AND result and the ranked OR fallback.
        per_concept = [opened.matcher.concept_hits(c) for c in plan.concepts]
        hits = intersect(per_concept)
        mode: Mode = "and"
        coverage: dict[int, int] = {}
        if len(per_concept) > 1 and len(hits) < MIN_AND_RESULTS:
            mode = "or"
            hits, coverage = ranked_or(per_concept, len(opened.slugs))
        slugs = opened.slugs
        order = sorted(hits, key=lambda d: (-coverage.get(d, 0), -hits[d], slugs[d]))
        return TextResult(
            ordered=tuple(slugs[d] for d in order),
            scores=MappingProxyType({slugs[d]: hits[d] for d in order}),
            mode=mode,
            suggestion=plan.suggestion,
            version=opened.version,
        )

    def suggest(self, query: str) -> str | None:
        """'Bedoelde u …': the query with every unknown word corrected, or None."""
        return self._plan(query)[0].suggestion

    def highlight(self, query: str, text: str, max_chars: int = 300) -> str:
        """`text` escaped, at most `max_chars` long, with what `query` matches in <mark>."""
        plan, _, analyzer = self._plan(query)
        terms, phrases = highlight_terms(plan)
        return highlight_text(analyzer, text, terms, phrases, max_chars)

    def related(self, slug: str, limit: int = 5) -> list[str]:
        """Up to `limit` approaches like `slug`, best first (at least 3 when there are).

        Similar text (more-like-this on all text) plus shared doelgroepen and
        kenmerken; anything else fills up when that finds fewer than three.
        """
        opened = self._opened()
        if opened is None or slug not in opened.docnums or limit <= 0:
            return []
        docnum = opened.docnums[slug]
        similar = {
            hit.docnum: float(hit.score)
            for hit in opened.searcher.more_like(
                docnum, RELATED_FIELD, top=None, numterms=RELATED_TERMS, normalize=True
            )
        }
        best = max(similar.values(), default=0.0) or 1.0
        own = opened.tags[docnum]
        scores: dict[int, float] = {}
        for other, tags in enumerate(opened.tags):
            shared = len(own & tags) / len(own | tags) if own | tags else 0.0
            score = similar.get(other, 0.0) / best + RELATED_TAG_WEIGHT * shared
            if other != docnum and opened.slugs[other] and score > 0:
                scores[other] = score
        ranked = sorted(scores, key=lambda d: (-scores[d], opened.slugs[d]))
        if len(ranked) < RELATED_MIN:  # last resort: any other approach
            ranked += [
                d for d, s in enumerate(opened.slugs) if s and d != docnum and d not in scores
            ]
        return [opened.slugs[d] for d in ranked[:limit]]


@cache
def _default_analysis() -> tuple[Any, Synonyms]:
    """Analysis without an index: the curated vocabulary only."""
    analyzer = dutch_analyzer(curated_words())
    return analyzer, Synonyms(analyzer, read_synonyms())


def highlight(query: str, text: str, max_chars: int = 300) -> str:
    """Highlight without an index (curated vocabulary); see ``SearchIndex.highlight``."""
    _check_length(query)
    analyzer, synonyms = _default_analysis()
    terms, phrases = highlight_terms(
        plan_query(query, analyzer, synonyms, max_terms=MAX_QUERY_TERMS)
    )
    return highlight_text(analyzer, text, terms, phrases, max_chars)
