"""Postings arrays: what query time needs of each text field, in files we own.

Whoosh keeps postings in compressed, pickled blocks that it reads posting by
posting in Python. The build writes, beside Whoosh's files, every text field's
postings as plain arrays (``postings_build``), with each posting's BM25F score
already computed; every process memory-maps them (``PostingsArrays``): a slice
of a mapped array is all a term costs at query time, and the operating system's
page cache is the only cache of them.

Files, in ``<version>/postings/`` (``<field>`` is each of ``TEXT_FIELDS``)::

    lexicon.txt            UTF-8, one term a line, sorted: every term of any text
                           field; line i (from 0) is term number i.
    <field>.terms.npy      int64, terms + 1 entries: term i's postings in <field>
                           are entries terms[i]:terms[i + 1] of the arrays below
                           (an empty range: <field> does not hold term i).
    <field>.docs.npy       int32, one per posting: its document number (Whoosh's),
                           ascending within a term.
    <field>.scores.npy     float64, one per posting: the term's BM25F score in that
                           document (``bm25f_scores``).
    <field>.spans.npy      int64, postings + 1 entries: posting j's word positions
                           are entries spans[j]:spans[j + 1] of positions.
    <field>.positions.npy  int32: word positions (stopwords not counted), ascending
                           within a posting; compound parts share their word's.

A change to this layout changes ``versions.INDEX_FORMAT``.
"""

import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wijkwijzer.search.proximity import SHIFT, Positions
from wijkwijzer.search.schema import TEXT_FIELDS

POSTINGS_DIR = "postings"
LEXICON_FILE = "lexicon.txt"
# BM25F's free parameters: the scores in the arrays and the weighting of every
# Whoosh searcher we open (``bm25f``) both take them from here.
BM25_B = 0.75
BM25_K1 = 1.2

_FIELD_BITS = {name: 1 << i for i, name in enumerate(TEXT_FIELDS)}
_NO_KEYS = np.zeros(0, np.int64)


def bm25f() -> Any:
    """Whoosh's BM25F weighting with our parameters (for the queries Whoosh runs)."""
    from whoosh.scoring import BM25F

    return BM25F(B=BM25_B, K1=BM25_K1)


def bm25f_scores(
    doc_count: int,
    doc_frequency: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    lengths: npt.NDArray[np.float64],
    avg_length: float,
) -> npt.NDArray[np.float64]:
    """BM25F per posting, as Whoosh's ``scoring.bm25`` computes it, operation for operation.

    `doc_frequency`: of each posting's term; `weights`: occurrences × field boost;
    `lengths`: the document's field length as Whoosh's reader gives it.
    The idf is Whoosh's ``Weighting.idf``: log(N / (df + 1)) + 1.
    """
    values, inverse = np.unique(doc_frequency, return_inverse=True)
    idf = np.array([math.log(doc_count / (int(df) + 1)) + 1 for df in values], np.float64)[inverse]
    b, k1 = BM25_B, BM25_K1
    scores: npt.NDArray[np.float64] = idf * (
        (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avg_length))
    )
    return scores


def _load(path: Path) -> npt.NDArray[Any]:
    array: npt.NDArray[Any] = np.load(path, mmap_mode="r")
    return array


class FieldArrays:
    """One text field's arrays, memory-mapped."""

    def __init__(self, directory: Path, name: str) -> None:
        self.terms = _load(directory / f"{name}.terms.npy")
        self.docs = _load(directory / f"{name}.docs.npy")
        self.scores = _load(directory / f"{name}.scores.npy")
        self.spans = _load(directory / f"{name}.spans.npy")
        self.positions = _load(directory / f"{name}.positions.npy")


class PostingsArrays:
    """The postings arrays of one index version; read-only, safe to share between threads."""

    def __init__(self, version_dir: Path, doc_count: int) -> None:
        directory = version_dir / POSTINGS_DIR
        self.doc_count = doc_count
        terms = (directory / LEXICON_FILE).read_text("utf-8").split("\n")[:-1]
        self.lexicon = {term: i for i, term in enumerate(terms)}
        self.fields = {name: FieldArrays(directory, name) for name in TEXT_FIELDS}
        held = np.zeros(len(terms), np.int64)  # per term: a bit for each field holding it
        for name, arrays in self.fields.items():
            held |= np.where(np.diff(arrays.terms) > 0, _FIELD_BITS[name], 0)
        self.held = held
        bits = _FIELD_BITS.items()
        self.names = [tuple(n for n, b in bits if m & b) for m in range(1 << len(bits))]

    def fields_with(self, stem: str) -> tuple[str, ...]:
        """The text fields holding `stem`."""
        i = self.lexicon.get(stem)
        return () if i is None else self.names[int(self.held[i])]

    def _range(self, fieldname: str, stem: str) -> tuple[FieldArrays, int, int] | None:
        arrays = self.fields.get(fieldname)
        i = self.lexicon.get(stem)
        if arrays is None or i is None:
            return None
        return arrays, int(arrays.terms[i]), int(arrays.terms[i + 1])

    def doc_frequency(self, fieldname: str, stem: str) -> int:
        """In how many documents `fieldname` holds `stem`."""
        found = self._range(fieldname, stem)
        return 0 if found is None else found[2] - found[1]

    def scores(self, fieldname: str, stem: str) -> npt.NDArray[np.float64]:
        """BM25F score of `stem` in `fieldname`, per document (0: not there)."""
        dense = np.zeros(self.doc_count)
        found = self._range(fieldname, stem)
        if found is not None:
            arrays, start, end = found
            dense[arrays.docs[start:end]] = arrays.scores[start:end]
        return dense

    def positions(self, fieldname: str, stem: str, only: npt.NDArray[np.bool_]) -> Positions:
        """`stem`'s positions in `fieldname` as sorted keys, in the documents `only` marks."""
        found = self._range(fieldname, stem)
        if found is None:
            return _NO_KEYS
        arrays, start, end = found
        docs = np.asarray(arrays.docs[start:end])
        chosen = np.flatnonzero(only[docs])
        if not len(chosen):
            return _NO_KEYS
        firsts = arrays.spans[start + chosen]
        counts = arrays.spans[start + chosen + 1] - firsts
        # Entry k of the result is position firsts[j] + (k - where posting j's run starts).
        runs = np.cumsum(counts) - counts
        take = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(firsts - runs, counts)
        found_docs = np.repeat(docs[chosen].astype(np.int64), counts)
        keys: Positions = (found_docs << SHIFT) | arrays.positions[take].astype(np.int64)
        return keys
