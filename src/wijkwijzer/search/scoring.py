"""Scoring query trees over the postings arrays, shared by every thread of one index version.

Whoosh scores a query by walking its matchers posting by posting in Python,
which costs milliseconds per thousand hits. Here a term's scores are a slice of
the version's memory-mapped arrays (``postings``), and the query tree is
combined as dense arrays (one score per document, 0 for no match): Or adds,
And adds where all match (the same scores as Whoosh's matchers),
DisjunctionMax takes each document's best (what Whoosh documents; its matcher
takes the better of whatever two documents its sides stand on, and ignores the
tiebreak). Phrases and spans are tested on the arrays' positions
(``proximity``); the few shapes that cannot be (spans of three or more words
out of order) run through Whoosh's own ``searcher.search``.

Runs of whole queries are kept per version, bounded in bytes: an index never
changes once built.
"""

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from wijkwijzer.search.caches import Lru
from wijkwijzer.search.postings import PostingsArrays
from wijkwijzer.search.proximity import chains, near_docs

Scores = npt.NDArray[np.float64]  # one score per document number; 0: no match
Searcher = Callable[[], Any]  # the calling thread's Whoosh searcher, opened when first asked

DEFAULT_CACHE_MB = 128


class _Sparse(NamedTuple):
    ids: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float64]


def _sparse(dense: Scores) -> _Sparse:
    ids = np.flatnonzero(dense).astype(np.int32)
    return _Sparse(ids, dense[ids])


def _size(run: _Sparse) -> int:
    return run.ids.nbytes + run.scores.nbytes + 100


def intersect(parts: list[Scores]) -> Scores:
    """Documents scoring in every one of `parts`, scored by the sum."""
    everywhere = np.logical_and.reduce([p > 0 for p in parts])
    return np.where(everywhere, np.add.reduce(parts), 0.0)


class ScoreCache:
    """Scores of queries for one index version; safe to share between threads.

    A query Whoosh must run goes through the calling thread's own searcher
    (searchers must not be shared), which ``run`` asks for only then.
    """

    def __init__(
        self, postings: PostingsArrays, max_bytes: int = DEFAULT_CACHE_MB * 1024 * 1024
    ) -> None:
        self.postings = postings
        self.doc_count = postings.doc_count
        self._runs: Lru[Hashable, _Sparse] = Lru(max_bytes, _size)

    def kept(self) -> int:
        """How many query runs the cache holds."""
        return len(self._runs)

    def run(self, q: wq.Query, searcher: Searcher) -> Scores:
        """The score of every document for `q` (a fresh array the caller may change)."""
        return self._kept_run(q, lambda: self._evaluate(q, searcher))

    def run_keyed(
        self, key: Hashable, build: Callable[[], wq.Query | None], searcher: Searcher
    ) -> Scores:
        """``run`` of the query `build` makes, kept under `key` (built only when not kept)."""

        def compute() -> Scores:
            q = build()
            return np.zeros(self.doc_count) if q is None else self._evaluate(q, searcher)

        return self._kept_run(key, compute)

    def term(self, fieldname: str, text: str) -> Scores:
        """BM25F scores of one term in one text field."""
        return self.postings.scores(fieldname, text)

    def _kept_run(self, q: Hashable, compute: Callable[[], Scores]) -> Scores:
        found = self._runs.get(q)
        if found is None:
            found = _sparse(compute())
            self._runs.put(q, found)
        dense = np.zeros(self.doc_count)
        dense[found.ids] = found.scores
        return dense

    def _evaluate(self, q: wq.Query, searcher: Searcher) -> Scores:
        if type(q) is wq.Term and q.fieldname in self.postings.fields:
            scores = self.term(q.fieldname, q.text)
        elif isinstance(q, wq.DisjunctionMax | wq.Or | wq.And) and q.subqueries:
            parts = [self._evaluate(sub, searcher) for sub in q.subqueries]
            if isinstance(q, wq.DisjunctionMax):
                scores = np.maximum.reduce(parts)
            elif isinstance(q, wq.Or):
                scores = np.add.reduce(parts)
            else:
                scores = intersect(parts)
        elif (near := _as_near(q, self.postings)) is not None:
            # A phrase recurs in many queries, inside other trees: keep it on its own.
            scores = self._kept_run(q, lambda: self._near(*near))
        else:
            return self._whoosh(q, searcher)
        boost = float(getattr(q, "boost", 1.0))
        return scores * boost if boost != 1.0 else scores

    def _near(
        self, fieldname: str, words: tuple[str, ...], slop: int, ordered: bool, mindist: int
    ) -> Scores:
        """Words near each other in one field, scored as Whoosh does: the sum."""
        both = intersect([self.term(fieldname, w) for w in words])
        if not both.any():  # only where all words stand can they stand near
            return both
        where = both > 0
        positions = [self.postings.positions(fieldname, w, where) for w in words]
        docs = near_docs(positions, slop, ordered, mindist)
        scores = np.zeros(self.doc_count)
        scores[docs] = both[docs]
        return scores

    def _whoosh(self, q: wq.Query, searcher: Searcher) -> Scores:
        """Any other query (spans the arrays cannot test): Whoosh's own matchers."""
        scores = np.zeros(self.doc_count)
        for docnum, score in searcher().search(q, limit=None).items():
            scores[docnum] = score
        return scores


def _as_near(
    q: wq.Query, postings: PostingsArrays
) -> tuple[str, tuple[str, ...], int, bool, int] | None:
    """A phrase or span of words in one text field, as (field, words, slop, ordered, mindist).

    None for what ``proximity.chains`` cannot test: Whoosh runs those.
    """
    if isinstance(q, wq.Phrase):
        near = q.fieldname, tuple(q.words), q.slop, True, 1
    elif (
        isinstance(q, SpanNear2)
        and all(type(t) is wq.Term and t.boost == 1.0 for t in q.qs)
        and len({t.fieldname for t in q.qs}) == 1
    ):
        near = q.qs[0].fieldname, tuple(t.text for t in q.qs), q.slop, q.ordered, q.mindist
    else:
        return None
    if near[0] not in postings.fields:
        return None
    return near if chains(len(near[1]), near[3], near[4]) else None
