"""Words near each other: nearness tested on whole arrays of positions.

Whoosh tests a phrase or span document by document, span by span, in
Python; for two common words that is most of a query's time. Here the
positions of each word, in the documents holding both, become sorted keys
``document << 32 | position`` (from the postings arrays,
``PostingsArrays.positions``), and two words are near where a key of one
plus an allowed offset is a key of the other: one ``np.isin`` per offset.
The rule is Whoosh's ``SpanNear2`` for two single words: the distance is 0
at the same position (a compound and its parts), else the gap, and must lie
in [mindist, slop]; ordered means the second word does not stand before the
first.
"""

import numpy as np
import numpy.typing as npt

Positions = npt.NDArray[np.int64]  # sorted keys: document << SHIFT | position
SHIFT = 32


def offsets(slop: int, ordered: bool, mindist: int) -> list[int]:
    """Where the second word may stand relative to the first."""
    allowed = range(0 if ordered else -slop, slop + 1)
    return [o for o in allowed if abs(o) >= mindist]


def chains(count: int, ordered: bool, mindist: int) -> bool:
    """Whether `count` words can be tested as a chain, each near the one before.

    Always for two words. For more, Whoosh measures each word against the
    span of those before it; in order and never overlapping (a phrase), that
    is the distance to the word just before.
    """
    return count == 2 or (count > 2 and ordered and mindist >= 1)


def near_docs(
    positions: list[Positions], slop: int, ordered: bool, mindist: int
) -> npt.NDArray[np.int64]:
    """The documents in which the words stand near each other (see ``chains``)."""
    steps = offsets(slop, ordered, mindist)
    current = positions[0]
    for following in positions[1:]:
        if not len(current) or not len(following):
            return np.zeros(0, np.int64)
        reached = [current + o for o in steps]
        current = np.unique(
            np.concatenate([r[np.isin(r, following)] for r in reached])
            if reached
            else np.zeros(0, np.int64)
        )
    return np.unique(current >> SHIFT)
