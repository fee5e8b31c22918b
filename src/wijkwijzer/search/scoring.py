"""Scoring query trees over cached postings, shared by every thread of one index version.

Whoosh scores a query by walking its matchers posting by posting in Python,
which costs milliseconds per thousand hits. Here a term's postings are read
once per index version, block by block, and scored with BM25F in numpy; the
query tree is then combined as dense arrays (one score per document, 0 for no
match): Or adds, And adds where all match (the same scores as Whoosh's
matchers), DisjunctionMax takes each document's best (what Whoosh documents;
its matcher takes the better of whatever two documents its sides stand on, and
ignores the tiebreak). Phrases and spans are tested on positions kept with the
postings (``wijkwijzer.proximity``); the few shapes that cannot be (spans of
three or more words out of order) run through Whoosh, cached the same way.

The caches live as long as the version: an index never changes once built.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from wijkwijzer.search.proximity import chains, decoder, near_docs, positions_in

Scores = npt.NDArray[np.float64]  # one score per document number; 0: no match
_Arrays = tuple[npt.NDArray[Any], ...]
_NONE = np.zeros(0, np.int64)
_NO_BYTES = np.zeros(0, np.uint8)


class Postings(NamedTuple):
    """One term's postings in one field, as the cache keeps them."""

    ids: npt.NDArray[np.int32]  # document numbers
    scores: npt.NDArray[np.float64]
    offsets: npt.NDArray[np.int64]  # where each document's encoded positions start in `blob`
    blob: npt.NDArray[np.uint8]  # empty when the format has no encoded positions


class _Sparse(NamedTuple):
    ids: npt.NDArray[np.int32]
    scores: npt.NDArray[np.float64]


DEFAULT_CACHE_MB = 128


class _Lru:
    """A thread-safe LRU of tuples of arrays, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Any, _Arrays] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def count(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Any) -> _Arrays | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: _Arrays) -> None:
        size = _size(value)
        with self._lock:
            if key in self._items or size > self.max_bytes:
                return
            self._items[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= _size(dropped)


def _size(arrays: _Arrays) -> int:
    return sum(a.nbytes for a in arrays) + 100


def _sparse(dense: Scores) -> _Sparse:
    ids = np.flatnonzero(dense).astype(np.int32)
    return _Sparse(ids, dense[ids])


def intersect(parts: list[Scores]) -> Scores:
    """Documents scoring in every one of `parts`, scored by the sum."""
    everywhere = np.logical_and.reduce([p > 0 for p in parts])
    return np.where(everywhere, np.add.reduce(parts), 0.0)


class ScoreCache:
    """Scores of queries for one index version; safe to share between threads.

    Every method takes the calling thread's own Whoosh searcher (searchers
    must not be shared); what they compute is shared.
    """

    def __init__(self, doc_count: int, max_bytes: int = DEFAULT_CACHE_MB * 1024 * 1024) -> None:
        self.doc_count = doc_count
        # Terms cost the most to read; combined runs are cheap to redo from them.
        self._terms = _Lru(max_bytes * 3 // 4)
        self._runs = _Lru(max_bytes // 4)
        self._lengths: dict[str, npt.NDArray[np.float64]] = {}
        self._lock = threading.Lock()

    def kept(self) -> tuple[int, int]:
        """How many terms and query runs the cache holds."""
        return self._terms.count(), self._runs.count()

    def run(self, q: wq.Query, searcher: Any) -> Scores:
        """The score of every document for `q` (a fresh array the caller may change)."""
        return self._kept_run(q, lambda: self._evaluate(q, searcher))

    def term(self, fieldname: str, text: str, searcher: Any) -> Scores:
        """BM25F scores of one term in one field."""
        found = self._postings(fieldname, text, searcher)
        return self._dense(found.ids, found.scores)

    def _postings(self, fieldname: str, text: str, searcher: Any) -> Postings:
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is None:
            found = self._score_term(fieldname, text, searcher)
            self._terms.put(key, found)
        return Postings(*found)

    def _kept_run(self, q: wq.Query, compute: Callable[[], Scores]) -> Scores:
        found = self._runs.get(q)
        if found is None:
            found = _sparse(compute())
            self._runs.put(q, found)
        return self._dense(*found)

    def _dense(self, ids: npt.NDArray[Any], scores: npt.NDArray[Any]) -> Scores:
        dense = np.zeros(self.doc_count)
        dense[ids] = scores
        return dense

    def _evaluate(self, q: wq.Query, searcher: Any) -> Scores:
        if isinstance(q, wq.Term):
            scores = self.term(q.fieldname, q.text, searcher)
        elif isinstance(q, wq.DisjunctionMax | wq.Or | wq.And) and q.subqueries:
            parts = [self._evaluate(sub, searcher) for sub in q.subqueries]
            if isinstance(q, wq.DisjunctionMax):
                scores = np.maximum.reduce(parts)
            elif isinstance(q, wq.Or):
                scores = np.add.reduce(parts)
            else:
                scores = intersect(parts)
        elif (near := _as_near(q)) is not None:
            # A phrase recurs in many queries, inside other trees: keep it on its own.
            scores = self._kept_run(q, lambda: self._near(*near, searcher))
        else:
            return self._whoosh(q, searcher)
        boost = float(getattr(q, "boost", 1.0))
        return scores * boost if boost != 1.0 else scores

    def _near(
        self,
        fieldname: str,
        words: tuple[str, ...],
        slop: int,
        ordered: bool,
        mindist: int,
        searcher: Any,
    ) -> Scores:
        """Words near each other in one field, scored as Whoosh does: the sum."""
        entries = [self._postings(fieldname, w, searcher) for w in words]
        both = intersect([self._dense(e.ids, e.scores) for e in entries])
        if not both.any():  # only where all words stand can they stand near
            return both
        if any(len(e.ids) and not len(e.blob) for e in entries):  # positions not at hand
            return self._whoosh(_near_query(fieldname, words, slop, ordered, mindist), searcher)
        decode = decoder(searcher.schema[fieldname].format)
        where = both > 0
        positions = [positions_in(e.ids, e.offsets, e.blob, where, decode) for e in entries]
        docs = near_docs(positions, slop, ordered, mindist)
        scores = np.zeros(self.doc_count)
        scores[docs] = both[docs]
        return scores

    def _whoosh(self, q: wq.Query, searcher: Any) -> Scores:
        """Any other query (phrases, spans): Whoosh's own matchers."""
        scores = np.zeros(self.doc_count)
        for docnum, score in searcher.search(q, limit=None).items():
            scores[docnum] = score
        return scores

    def _score_term(self, fieldname: str, text: str, searcher: Any) -> Postings:
        reader = searcher.reader()
        if (fieldname, text) not in reader:
            return Postings(np.zeros(0, np.int32), np.zeros(0), _NONE, _NO_BYTES)
        weighting = searcher.weighting
        if type(weighting) is not BM25F or not searcher.schema[fieldname].scorable:
            return Postings(
                *_sparse(self._whoosh(wq.Term(fieldname, text), searcher)), _NONE, _NO_BYTES
            )
        ids, weights, offsets, values = _read_postings(reader.postings(fieldname, text))
        lengths = self._field_lengths(fieldname, reader)[ids]
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        # whoosh.scoring.bm25, on every posting at once
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        return Postings(ids, scores, offsets, values)

    def _field_lengths(self, fieldname: str, reader: Any) -> npt.NDArray[np.float64]:
        """Every document's (byte-encoded) length of `fieldname`, as BM25F sees it."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = field_lengths(reader, fieldname, self.doc_count)
            with self._lock:
                self._lengths[fieldname] = lengths
        return lengths


def field_lengths(reader: Any, fieldname: str, doc_count: int) -> npt.NDArray[np.float64]:
    """``reader.doc_field_length(d, fieldname, 1)`` of every document d, read at once.

    Whoosh's own codec keeps one length byte per document in a column: read
    the bytes in one go and decode them through a table of all 256 values.
    Other readers are asked document by document.
    """
    column = None
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None or not hasattr(column, "_dbfile") or column._fixedlen != 1:
        read: Callable[[int, str, int], int] = reader.doc_field_length
        return np.fromiter((read(d, fieldname, 1) for d in range(doc_count)), np.float64, doc_count)
    count = min(column._count, doc_count)
    raw = np.zeros(doc_count, np.uint8)
    raw[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), np.uint8)
    table = np.array([byte_to_length(b) for b in range(256)], np.float64)
    return table[raw]


def _as_near(q: wq.Query) -> tuple[str, tuple[str, ...], int, bool, int] | None:
    """A phrase or span of words in one field, as (field, words, slop, ordered, mindist).

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
    return near if chains(len(near[1]), near[3], near[4]) else None


def _near_query(
    fieldname: str, words: tuple[str, ...], slop: int, ordered: bool, mindist: int
) -> wq.Query:
    terms = [wq.Term(fieldname, w) for w in words]
    return SpanNear2(terms, slop=slop, ordered=ordered, mindist=mindist)


def _read_postings(matcher: Any) -> _Arrays:
    """A term's postings: document numbers, weights, and their encoded values as one blob.

    Read a block at a time when possible; the values (positions) come with the
    block, so keeping them spares a second read for phrases.
    """
    ids: list[Any] = []
    weights: list[Any] = []
    values: list[bytes] = []
    blockwise = all(
        hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_read_values", "_next_block")
    )
    while matcher.is_active():
        if blockwise:
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            values.extend(matcher._values)
            matcher._next_block()
        else:
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
    if values and not isinstance(values[0], bytes):
        offsets, blob = _NONE, _NO_BYTES  # a format without encoded positions
    else:
        offsets = np.zeros(len(values) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=offsets[1:])
        blob = np.frombuffer(b"".join(values), np.uint8)
    return np.asarray(ids, np.int32), np.asarray(weights, np.float64), offsets, blob
