"""Full-text search: the public face of the search modules.

The search modules (``docs/architecture.md`` lists them) alone use Whoosh, through its
public API; the rest of the application imports what it needs from here::

    version_dir = build_index(root, corpus)    # complete, not yet visible
    activate_index(root, version_dir)          # atomic swap; old versions cleaned
    with SearchIndex(root) as index:
        index.search("eenzame ouderen")        # all words, else fallback steps (fallback.py)

Queries never reach Whoosh's query parser: malformed input cannot raise.
"""

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from wijkwijzer.search.analysis import curated_words, dutch_analyzer
from wijkwijzer.search.fallback import MIN_AND_RESULTS, Mode, Step, combine
from wijkwijzer.search.highlight import highlight_terms, highlight_text
from wijkwijzer.search.matching import CORRECTION_BOOST, SYNONYM_BOOST, TIEBREAK
from wijkwijzer.search.plan import QueryPlan, plan_query
from wijkwijzer.search.reader import OpenedIndex, VersionData
from wijkwijzer.search.schema import TEXT_FIELDS, document_texts, make_schema
from wijkwijzer.search.scoring import DEFAULT_CACHE_MB, Scores
from wijkwijzer.search.spelling import SHORT_WORD
from wijkwijzer.search.synonyms import Synonyms, read_synonyms
from wijkwijzer.search.versions import (
    CURRENT,
    INDEX_FORMAT,
    VERSION_FILE,
    activate_index,
    build_index,
    current_index,
    current_target,
    discard_index,
    index_format,
    outdated_index,
    read_version,
    scratch_dirs,
    usable,
)

__all__ = [
    "CORRECTION_BOOST",
    "CURRENT",
    "INDEX_FORMAT",
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
    "Step",
    "TextResult",
    "activate_index",
    "build_index",
    "current_index",
    "discard_index",
    "document_texts",
    "dutch_analyzer",
    "highlight",
    "highlight_text",
    "make_schema",
    "outdated_index",
    "scratch_dirs",
]

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 16  # words beyond this are ignored
RELATED_MIN = 3
RELATED_TERMS = 25  # an approach's most telling words, compared with the others'
RELATED_TAG_WEIGHT = 0.5  # weight of shared doelgroepen/kenmerken against text similarity

log = logging.getLogger("wijkwijzer.search")


class QueryTooLong(ValueError):
    """The query exceeds MAX_QUERY_LENGTH characters."""


@dataclass(frozen=True)
class TextResult:
    """How well every document matches a text query (the caller filters, orders and pages).

    Documents are the index's document numbers; ``slugs`` names them. Best
    first means: most concepts matched (in the OR fallback), highest score,
    then by slug.
    """

    by_doc: Scores  # score per document number, 0 where it does not match
    coverage: Scores | None  # OR fallback: how many concepts each document matches
    slugs: Sequence[str]
    slug_rank: npt.NDArray[np.int64]
    mode: Mode
    suggestion: str | None
    version: str | None
    steps: tuple[Step, ...] = ()
    missing: tuple[str, ...] = ()  # the typed words that match nothing, as typed
    split: tuple[str, ...] = ()  # the typed compounds that matched only as their parts

    def best(self, docs: npt.NDArray[np.int64], count: int) -> npt.NDArray[np.int64]:
        """The best `count` of `docs` (matching document numbers), best first."""
        if count <= 0:
            return docs[:0]
        scores = self.by_doc[docs]
        coverage = self.coverage[docs] if self.coverage is not None else np.zeros(len(docs))
        if count < len(docs):  # narrow down first; ties at the cut stay in
            primary = coverage * (float(scores.max()) + 1.0) + scores
            cut = np.partition(primary, len(primary) - count)[len(primary) - count]
            keep = primary >= cut
            docs, scores, coverage = docs[keep], scores[keep], coverage[keep]
        order = np.lexsort((self.slug_rank[docs], -scores, -coverage))
        return docs[order][:count]

    @cached_property
    def _best_docs(self) -> list[int]:
        hits = np.flatnonzero(self.by_doc)
        return [int(d) for d in self.best(hits, len(hits))]

    @property
    def ordered(self) -> tuple[str, ...]:
        """Every matching approach's slug, best first."""
        return tuple(self.slugs[d] for d in self._best_docs)

    @property
    def scores(self) -> Mapping[str, float]:
        """The score of every matching approach, by slug, best first."""
        return MappingProxyType({self.slugs[d]: float(self.by_doc[d]) for d in self._best_docs})


def _empty(version: str | None, mode: Mode) -> TextResult:
    no_docs = np.zeros(0)
    return TextResult(no_docs, None, (), np.zeros(0, np.int64), mode, None, version)


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"zoekvraag is langer dan {MAX_QUERY_LENGTH} tekens")


class SearchIndex:
    """Read access to the current index version; safe to share between threads.

    The version's data (postings arrays, caches) is shared by every thread; each
    thread gets its own ``OpenedIndex`` (with a Whoosh searcher once a query
    needs one), reused between calls and replaced (and closed, in that thread)
    when ``current`` points at a new version.
    """

    def __init__(self, index_root: Path, cache_mb: float = DEFAULT_CACHE_MB) -> None:
        self.index_root = index_root
        self.cache_bytes = int(cache_mb * 1024 * 1024)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[threading.Thread, OpenedIndex]] = []
        self._shared: VersionData | None = None  # of the version opened last
        self._shared_target: str | None = None
        self._version: tuple[str, str | None] | None = None
        self._refused: str | None = None  # the last target refused for its format

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
        """The content hash of the current index version (None without a usable index).

        A version of another index format (``INDEX_FORMAT``) is no usable index.
        """
        target = current_target(self.index_root)
        if target is None:
            return None
        known = self._version  # (target, version) read last: one readlink per call
        if known is not None and known[0] == target:
            return known[1]
        try:
            path = self.index_root / target
            version = read_version(path) if usable(path) else None
        except OSError:
            return None
        self._version = (target, version)
        return version

    def _usable(self, target: str) -> bool:
        """Whether version `target` may be opened; logs once why not (another format)."""
        path = self.index_root / target
        if usable(path):
            return True
        if self._refused != target and (path / VERSION_FILE).is_file():
            self._refused = target
            log.warning(
                "zoekindex %s niet geopend: indexformaat %s, deze versie leest %d",
                target,
                index_format(path) or "onbekend",
                INDEX_FORMAT,
            )
        return False

    def _opened(self) -> OpenedIndex | None:
        held: OpenedIndex | None = getattr(self._local, "opened", None)
        for attempt in range(5):
            target = current_target(self.index_root)
            if held is not None and held.target == target:
                return held
            if target is None:
                return held
            if not self._usable(target):
                return None  # another format: as good as no index (sync_index rebuilds it)
            try:
                shared = self._shared_for(target)
                fresh = OpenedIndex(target, self.index_root / target, shared, self.cache_bytes)
            except Exception:
                if attempt == 4:
                    if held is not None:
                        return held  # keep serving the version this thread has
                    raise
                time.sleep(0.01 * (attempt + 1))  # a swap or cleanup raced us: look again
                continue
            with self._lock:  # close what threads that have ended left open
                if self._shared_target != target:
                    self._shared, self._shared_target = fresh.shared, target
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

    def is_open(self) -> bool:
        """Whether the current version is read already (by any thread): a search is quick."""
        target = self._shared_target
        return target is not None and target == current_target(self.index_root)

    def _shared_for(self, target: str) -> VersionData | None:
        """What another thread already read of version `target`."""
        with self._lock:
            return self._shared if self._shared_target == target else None

    def _plan(self, query: str) -> tuple[QueryPlan, OpenedIndex | None, Any]:
        """The plan of `query` (cached per version: highlights repeat the query)."""
        _check_length(query)
        opened = self._opened()
        if opened is None:
            analyzer, synonyms = _default_analysis()
            return plan_query(query, analyzer, synonyms, max_terms=MAX_QUERY_TERMS), None, analyzer
        shared = opened.shared
        plan = shared.plans.get(query)
        if plan is None:
            plan = plan_query(
                query, shared.analyzer, shared.synonyms, shared, max_terms=MAX_QUERY_TERMS
            )
            shared.plans.put(query, plan)
        return plan, opened, opened.analyzer

    def search(self, query: str) -> TextResult:
        """How every approach matches `query`; raises QueryTooLong."""
        plan, opened, _ = self._plan(query)
        if opened is None:
            return _empty(None, "and" if plan.concepts else "all")
        shared = opened.shared
        if not plan.concepts:
            return _empty(opened.version, "all")
        # One run per concept gives both the AND result and the ranked OR fallback.
        matches = [opened.matcher.match(c) for c in plan.concepts]
        found = combine(query, plan, matches, shared.names.matching(query))
        return TextResult(
            by_doc=found.hits,
            coverage=found.coverage,
            slugs=shared.slugs,
            slug_rank=shared.slug_rank,
            mode=found.mode,
            suggestion=found.suggestion,
            version=opened.version,
            steps=found.steps,
            missing=found.missing,
            split=found.split,
        )

    def suggest(self, query: str) -> str | None:
        """'Bedoelde u …': the query with every unknown word corrected, or None."""
        return self._plan(query)[0].suggestion

    def highlight(self, query: str, text: str, max_chars: int = 300) -> str:
        """`text` escaped, at most `max_chars` long, with what `query` matches in <mark>."""
        return self.highlight_all(query, [text], max_chars)[0]

    def highlight_all(self, query: str, texts: Sequence[str], max_chars: int = 300) -> list[str]:
        """``highlight`` of each of `texts`, planning the query once."""
        plan, opened, analyzer = self._plan(query)
        terms, phrases = highlight_terms(plan)
        if opened is None:
            return [highlight_text(analyzer, text, terms, phrases, max_chars) for text in texts]
        words = opened.shared.text_words
        return [
            highlight_text(analyzer, text, terms, phrases, max_chars, words(text)) for text in texts
        ]

    def related(self, slug: str, text: str, limit: int = 5) -> list[str]:
        """Up to `limit` approaches like `slug`, best first (at least 3 when there are).

        `text` is the approach's own text. Similar text (the other approaches'
        scores for its most telling words) plus shared doelgroepen and
        kenmerken; anything else fills up when that finds fewer than three.
        Remembered per version.
        """
        opened = self._opened()
        if opened is None or slug not in opened.shared.docnums or limit <= 0:
            return []
        shared = opened.shared
        found = shared.related.get((slug, limit))
        if found is None:
            found = self._related(opened, shared.docnums[slug], text, limit)
            shared.related.put((slug, limit), found)
        return list(found)

    def _related(self, opened: OpenedIndex, docnum: int, text: str, limit: int) -> list[str]:
        shared = opened.shared
        similar = np.zeros(len(shared.slugs))
        for stem in self._key_terms(opened, text):
            similar += opened.matcher.run(opened.matcher.term_query(stem))
        similar[docnum] = 0.0
        best = float(similar.max(initial=0.0)) or 1.0
        own = shared.tags[docnum]
        common = shared.tags[:, own].sum(axis=1)
        union = shared.tags.sum(axis=1) + own.sum() - common
        shared_tags = np.divide(common, union, out=np.zeros(len(union)), where=union > 0)
        scores = similar / best + RELATED_TAG_WEIGHT * shared_tags
        scores[docnum] = 0.0
        candidates = np.flatnonzero(scores > 0)
        order = np.lexsort((shared.slug_rank[candidates], -scores[candidates]))
        ranked = [int(d) for d in candidates[order][:limit]]
        if len(ranked) < RELATED_MIN:  # last resort: any other approach
            rest = np.argsort(shared.slug_rank)
            ranked += [int(d) for d in rest if d != docnum and scores[d] <= 0]
        return [shared.slugs[d] for d in ranked[:limit] if shared.slugs[d]]

    @staticmethod
    def _key_terms(opened: OpenedIndex, text: str) -> list[str]:
        """The words of `text` that say most about it: frequent in it, rare elsewhere."""
        counts = Counter(
            t.text for t in opened.analyzer(text) if not getattr(t, "compound_part", False)
        )
        doc_count = max(len(opened.slugs), 1)
        postings = opened.shared.postings
        weight: dict[str, float] = {}
        for stem, tf in counts.items():
            fields = postings.fields_with(stem)
            if fields:
                df = max(postings.doc_frequency(f, stem) for f in fields)
                weight[stem] = tf * (math.log(doc_count / (1 + df)) + 1.0)
        return sorted(weight, key=lambda stem: (-weight[stem], stem))[:RELATED_TERMS]


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
