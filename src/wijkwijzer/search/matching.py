"""Matching and scoring: the documents a concept of a query plan matches, with scores.

Queries are built from analysed words, never by Whoosh's query parser, so no
wildcard, field, range, boost or fuzzy syntax exists and malformed input
cannot raise.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import numpy as np
from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from wijkwijzer.search.analysis import Word
from wijkwijzer.search.plan import Concept
from wijkwijzer.search.schema import TEXT_FIELDS
from wijkwijzer.search.scoring import ScoreCache, Scores, Searcher, intersect
from wijkwijzer.search.synonyms import Phrase, Term

SYNONYM_BOOST = 0.6
RELATED_BOOST = 0.4  # a related term ("verwant") weighs less than a synonym
TIEBREAK = 0.1  # share of the other alternatives' scores added to the best one
CORRECTION_BOOST = 0.8
# How far apart the parts of a typed compound may stand to match it ("opvang van
# kinderen" for "kinderopvang"): next to each other, stopwords aside, in any order.
PART_SLOP = 1
# A concept matching more than this share of the approaches ("in de wijk") does not
# make an approach a match in the OR fallback on its own.
COMMON_SHARE = 0.6
# A typed compound that matches nowhere matches as its parts anywhere in an approach,
# weighing less than the compound itself would.
PARTS_BOOST = 0.5

Hits = Scores  # one score per document number, 0 where it does not match
# How a concept matched: as typed (or a synonym), only through the spelling correction,
# only as the parts of a compound, or not at all.
Via = Literal["woord", "verbeterd", "delen", "geen"]


@dataclass(frozen=True)
class Match:
    """The documents a concept matches, with scores, and how it matched."""

    hits: Hits
    via: Via


def ranked_or(per_concept: Sequence[Hits]) -> tuple[Hits, Hits]:
    """The OR fallback: documents matching any concept, and how many concepts each matches.

    Scores add up. A concept matching nearly every approach ("wijk") adds to the
    score, but an approach matching only such concepts is left out, unless no other
    concept matches anything.
    """
    matches = [h > 0 for h in per_concept]
    doc_count = len(per_concept[0])
    selective = [m for m in matches if 0 < np.count_nonzero(m) <= COMMON_SHARE * doc_count]
    candidates = np.logical_or.reduce(selective or matches)
    hits = np.where(candidates, np.add.reduce(per_concept), 0.0)
    coverage = np.where(candidates, np.add.reduce(matches, dtype=np.float64), 0.0)
    return hits, coverage


def _or(subqueries: Sequence[Any]) -> Any:
    """An Or matched by a tree of unions (Whoosh's array preloading is slower here)."""
    return wq.DefaultOr(list(subqueries))


def _best(alternatives: Sequence[Any]) -> Any:
    """Alternatives for one thing asked: the best match counts (a little of the rest)."""
    if len(alternatives) == 1:
        return alternatives[0]
    return wq.DisjunctionMax(list(alternatives), tiebreak=TIEBREAK)


class Matcher:
    """Runs the queries of concepts through the version's score cache, for one thread.

    `searcher` gives the thread's own Whoosh searcher, for the few queries Whoosh runs.
    """

    def __init__(
        self, fields_with: Callable[[str], tuple[str, ...]], scores: ScoreCache, searcher: Searcher
    ) -> None:
        self.fields_with = fields_with
        self.scores = scores
        self.searcher = searcher

    def term_query(self, stem: str) -> wq.Query | None:
        """`stem` in any text field."""
        names = self.fields_with(stem)
        return _or([wq.Term(name, stem) for name in names]) if names else None

    def word_query(self, word: Word, parts: bool = True) -> wq.Query | None:
        """The word, or (a compound) all its parts close together, in any text field."""
        options = [self.term_query(word.stem)]
        if parts and word.parts:
            options.append(self.near_query(word.parts))
        found = [q for q in options if q is not None]
        return _best(found) if found else None

    def fields_with_all(self, stems: Sequence[str]) -> list[str]:
        """The text fields holding every one of `stems`."""
        return [n for n in TEXT_FIELDS if all(n in self.fields_with(s) for s in stems)]

    def near_query(self, stems: Sequence[str]) -> wq.Query | None:
        """The words within PART_SLOP positions of each other, in any order, in one field."""
        names = self.fields_with_all(stems)
        spans = [
            SpanNear2([wq.Term(n, s) for s in stems], slop=PART_SLOP, ordered=False, mindist=0)
            for n in names
        ]
        return _or(spans) if spans else None

    def phrase_query(self, stems: Sequence[str]) -> wq.Query | None:
        """The words in this order within one text field."""
        names = self.fields_with_all(stems)
        return _or([wq.Phrase(n, list(stems)) for n in names]) if names else None

    def literal_hits(self, concept: Concept) -> Hits:
        """Documents matching the concept's own words (all of them), with scores.

        Two words written apart that the index knows as one compound also
        match as that compound; a document counts the better of the two.
        """
        words = [q.word for q in concept.words]
        if concept.phrase and len(words) > 1:
            stems = [w.stem for w in words]
            return self.run_keyed(("phrase", *stems), lambda: self.phrase_query(stems))
        if not concept.each:
            return self.run_keyed(("word", words[0]), lambda: self.word_query(words[0]))
        hits = intersect([self.concept_hits(c) for c in concept.each])
        if concept.joined is not None:
            joined = concept.joined
            hits = np.maximum(
                hits, self.run_keyed(("word", joined), lambda: self.word_query(joined))
            )
        return hits

    def alternative_query(self, term: Term, parts: bool = False) -> wq.Query | None:
        """A synonym, related term or correction: each of its parts, in any of its forms."""
        queries = []
        for forms in term.parts:  # a part's own form first, then its synonyms
            found = []
            for i, form in enumerate(forms):
                q = self.phrase_or_word(form, parts)
                if q is not None:
                    found.append(q.with_boost(SYNONYM_BOOST) if i else q)
            if not found:
                return None
            queries.append(_best(found))
        return queries[0] if len(queries) == 1 else wq.And(queries)

    def phrase_or_word(self, phrase: Phrase, parts: bool = False) -> wq.Query | None:
        """One word (with its compound parts when `parts`), or a phrase."""
        if len(phrase) == 1:
            return self.word_query(phrase[0], parts=parts)
        return self.phrase_query([w.stem for w in phrase])

    def match(self, concept: Concept) -> Match:
        """``concept_hits``, or when those are none, the compound's parts anywhere."""
        literal, hits = self._scored(concept)
        if hits.any():
            plain = concept.correction is None or literal.any()
            return Match(hits, "woord" if plain else "verbeterd")
        parts = self.parts_hits(concept)
        return Match(parts, "delen") if parts.any() else Match(hits, "geen")

    def parts_hits(self, concept: Concept) -> Hits:
        """A compound's parts anywhere: all of them, or else the most of them.

        For a concept of several words, each word that matches nowhere is replaced
        by its parts.
        """
        if concept.each:
            each = [self.match(c).hits for c in concept.each]
            return intersect(each) if all(h.any() for h in each) else np.zeros_like(each[0])
        if not concept.parts:
            return np.zeros(self.scores.doc_count)
        per_part = [self.concept_hits(p) for p in concept.parts]
        hits = intersect(per_part)
        if not hits.any() and len(per_part) > 1:
            hits, _ = ranked_or(per_part)
        return hits * PARTS_BOOST

    def concept_hits(self, concept: Concept) -> Hits:
        """Documents matching the concept or one of its alternatives, with scores.

        An alternative (synonym, related term, correction) is scored on the scale
        of the literal words: a rare synonym would otherwise outweigh the word
        that was typed. A document counts its best alternative and a little
        (TIEBREAK) of the rest.
        """
        return self._scored(concept)[1]

    def _scored(self, concept: Concept) -> tuple[Hits, Hits]:
        """The concept's literal hits, and those with its alternatives (``concept_hits``)."""
        literal = self.literal_hits(concept)
        # (term, weight, whether a one-word term may match as its compound parts)
        weighted = [(t, _weight(t), False) for t in concept.synonyms]
        if concept.correction is not None:
            weighted.append((Term((((concept.correction,),),)), CORRECTION_BOOST, True))
            weighted += [
                (t, CORRECTION_BOOST * _weight(t), False) for t in concept.correction_synonyms
            ]
        scale = float(literal.max(initial=0.0))
        found = [literal]
        for term, weight, parts in weighted:
            hits = self.run_keyed(
                ("alternative", term, parts),
                partial(self.alternative_query, term, parts),
            )
            top = float(hits.max(initial=0.0))
            if top > 0:
                found.append(hits * (weight * (scale / top if scale else 1.0)))
        if len(found) == 1:
            return literal, literal
        best: Hits = np.maximum.reduce(found)
        combined: Hits = best + TIEBREAK * (np.add.reduce(found) - best)
        return literal, combined

    def run(self, q: wq.Query | None) -> Hits:
        """Every document's score for `q` (none match no query)."""
        if q is None:
            return np.zeros(self.scores.doc_count)
        return self.scores.run(q, self.searcher)

    def run_keyed(self, key: Hashable, build: Callable[[], wq.Query | None]) -> Hits:
        """``run`` of the query `build` makes, kept under `key`: words and terms hash
        much faster than the Whoosh query trees they become, which are built only once."""
        return self.scores.run_keyed(key, build, self.searcher)


def _weight(term: Term) -> float:
    return RELATED_BOOST if term.related else SYNONYM_BOOST
