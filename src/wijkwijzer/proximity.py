"""Words near each other: positions read once per term, nearness tested on whole arrays.

Whoosh tests a phrase or span document by document, span by span, in
Python; for two common words that is most of a query's time. Here each
term's positions are read once (per index version) into sorted keys
``document << 32 | position``, and two words are near where a key of one
plus an allowed offset is a key of the other: one ``np.isin`` per offset.
The rule is Whoosh's ``SpanNear2`` for two single words: the distance is 0
at the same position (a compound and its parts), else the gap, and must lie
in [mindist, slop]; ordered means the second word does not stand before the
first.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.formats import Positions as PositionsFormat

Positions = tuple[npt.NDArray[np.int64]]  # sorted keys: document << 32 | position
_SHIFT = 32
# Encoded position lists repeat endlessly (most words stand once or twice in a
# field, early on): decoded once, shared by all threads.
_DECODED: dict[bytes, list[int]] = {}
_DECODED_MAX = 200_000


def read_positions(searcher: Any, fieldname: str, text: str) -> Positions:
    """The positions of `text` in `fieldname` in every document, as sorted keys."""
    reader = searcher.reader()
    if (fieldname, text) not in reader:
        return (np.zeros(0, np.int64),)
    decode = _decoder(searcher.schema[fieldname].format)
    matcher = reader.postings(fieldname, text)
    keys: list[int] = []
    blockwise = all(hasattr(matcher, a) for a in ("_read_ids", "_read_values", "_next_block"))
    while matcher.is_active():
        if blockwise:  # a block of postings at a time (Whoosh's own codec)
            matcher._read_ids()
            matcher._read_values()
            for docnum, value in zip(matcher._ids, matcher._values, strict=True):
                base = docnum << _SHIFT
                keys.extend([base | p for p in decode(value)])
            matcher._next_block()
        else:
            base = matcher.id() << _SHIFT
            keys.extend([base | p for p in decode(matcher.value())])
            matcher.next()
    return (np.asarray(keys, np.int64),)


def _decoder(fmt: Any) -> Callable[[bytes], list[int]]:
    """The format's position decoder, remembering results for Whoosh's own format."""
    decode: Callable[[bytes], list[int]] = fmt.decode_positions
    if type(fmt) is not PositionsFormat:
        return decode

    def remembered(value: bytes) -> list[int]:
        found = _DECODED.get(value)
        if found is None:
            found = decode(value)
            if len(_DECODED) >= _DECODED_MAX:
                _DECODED.clear()
            _DECODED[value] = found
        return found

    return remembered


def offsets(slop: int, ordered: bool, mindist: int) -> list[int]:
    """Where the second word may stand relative to the first."""
    allowed = range(0 if ordered else -slop, slop + 1)
    return [o for o in allowed if abs(o) >= mindist]


def near_docs(
    first: Positions, second: Positions, slop: int, ordered: bool, mindist: int
) -> npt.NDArray[np.int64]:
    """The documents in which the two words stand near each other."""
    a, b = first[0], second[0]
    if not len(a) or not len(b):
        return np.zeros(0, np.int64)
    found = [a[np.isin(a + o, b, assume_unique=True)] for o in offsets(slop, ordered, mindist)]
    hits = np.concatenate(found) if found else np.zeros(0, np.int64)
    return np.unique(hits >> _SHIFT)
