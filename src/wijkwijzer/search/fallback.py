"""No dead ends: how the matches of a query's concepts become one answer, step by step.

All concepts together first. When that finds fewer than ``MIN_AND_RESULTS``, or a
concept matched only in a looser way, the answer names the steps it took (``Step``):
a typed compound that matches nowhere as its parts anywhere (``woorddelen``, made in
``Matcher.match``), an unknown word as its correction (``verbeterd``), approaches with
only some of the concepts (``minder_woorden``), and an approach whose name the query
is, written otherwise, first (``naam``, ``names.py``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from wijkwijzer.search.matching import Match, ranked_or
from wijkwijzer.search.plan import Concept, QueryPlan
from wijkwijzer.search.scoring import Scores, intersect

MIN_AND_RESULTS = 3  # fewer AND hits than this: fall back to a ranked OR

Mode = Literal["and", "or", "all"]
# The fallback steps a search took, in this order, when its words alone found too little.
Step = Literal["woorddelen", "verbeterd", "minder_woorden", "naam"]


@dataclass(frozen=True)
class Answer:
    """The documents a query matches, with how it got there."""

    hits: Scores
    coverage: Scores | None  # OR fallback: how many concepts each document matches
    mode: Mode
    steps: tuple[Step, ...]
    missing: tuple[str, ...]  # the typed words that match nothing, as typed
    split: tuple[str, ...]  # the typed compounds that matched only as their parts
    suggestion: str | None


def combine(query: str, plan: QueryPlan, matches: Sequence[Match], named: list[int]) -> Answer:
    """One answer from the matches of `plan`'s concepts and the documents `named` by it."""
    per_concept = [m.hits for m in matches]
    hits = intersect(per_concept)
    mode: Mode = "and"
    coverage = None
    steps: list[Step] = ["woorddelen"] if any(m.via == "delen" for m in matches) else []
    steps += ["verbeterd"] if any(m.via == "verbeterd" for m in matches) else []
    and_count = np.count_nonzero(hits)
    if len(per_concept) > 1 and and_count < MIN_AND_RESULTS:
        mode = "or"
        hits, coverage = ranked_or(per_concept)
        if np.count_nonzero(hits) > and_count:
            steps.append("minder_woorden")
    typed = [(_typed(query, c), m.via) for c, m in zip(plan.concepts, matches, strict=True)]
    missing = [text for text, via in typed if via == "geen"]
    split = tuple(text for text, via in typed if via == "delen")
    suggestion = plan.suggestion
    if named:  # the query is a name: that approach first, nothing to correct
        hits, coverage = _first(named, hits, coverage)
        steps, missing, suggestion = [*steps, "naam"], [], None
    return Answer(hits, coverage, mode, tuple(steps), tuple(missing), split, suggestion)


def _typed(query: str, concept: Concept) -> str:
    """The words of `concept` as they stand in `query`."""
    return query[concept.words[0].start : concept.words[-1].end]


def _first(docs: list[int], hits: Scores, coverage: Scores | None) -> tuple[Scores, Scores | None]:
    """`hits` (and `coverage`) with `docs` above every other match."""
    hits = hits.copy()
    hits[docs] = float(hits.max(initial=0.0)) + 1.0
    if coverage is not None:
        coverage = coverage.copy()
        coverage[docs] = float(coverage.max(initial=0.0)) + 1.0
    return hits, coverage
