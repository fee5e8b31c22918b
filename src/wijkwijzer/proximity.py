"""Words near each other: nearness tested on whole arrays of positions.

Whoosh tests a phrase or span document by document, span by span, in
Python; for two common words that is most of a query's time. Here the
positions of each word, in the documents holding both, become sorted keys
``document << 32 | position`` (decoded from the postings ``ScoreCache``
keeps), and two words are near where a key of one plus an allowed offset is
a key of the other: one ``np.isin`` per offset.
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

Positions = npt.NDArray[np.int64]  # sorted keys: document << 32 | position
_SHIFT = 32
# Encoded position lists repeat endlessly (most words stand once or twice in a
# field, early on): decoded once, shared by all threads.
_DECODED: dict[bytes, list[int]] = {}
_DECODED_MAX = 200_000


def positions_in(
    ids: npt.NDArray[np.int32],
    offsets: npt.NDArray[np.int64],
    blob: npt.NDArray[np.uint8],
    only: npt.NDArray[np.bool_],
    decode: Callable[[bytes], list[int]],
) -> Positions:
    """A term's positions as sorted keys, in the documents `only` marks.

    `ids`, `offsets` and `blob` are its postings as ``ScoreCache`` keeps them:
    document numbers and their encoded position lists, one blob. Only the
    postings of marked documents are decoded.
    """
    chosen = np.flatnonzero(only[ids])
    raw = blob.tobytes()
    keys: list[int] = []
    for docnum, start, end in zip(
        ids[chosen].tolist(), offsets[chosen].tolist(), offsets[chosen + 1].tolist(), strict=True
    ):
        base = docnum << _SHIFT
        keys.extend([base | p for p in decode(raw[start:end])])
    return np.asarray(keys, np.int64)


def decoder(fmt: Any) -> Callable[[bytes], list[int]]:
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
    if not len(first) or not len(second):
        return np.zeros(0, np.int64)
    found = [
        first[np.isin(first + o, second, assume_unique=True)]
        for o in offsets(slop, ordered, mindist)
    ]
    hits = np.concatenate(found) if found else np.zeros(0, np.int64)
    return np.unique(hits >> _SHIFT)
