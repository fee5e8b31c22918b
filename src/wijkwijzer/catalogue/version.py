"""One version of the catalogue: the records, facet masks and history of one corpus hash.

With the text hits from the index of the same version, a version orders a page
of a listing and counts its facets. Its history (when each approach was first
seen, last changed, removed) is read with its corpus, in one read: the change
feed and the pages of a version always agree.
"""

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
from cachetools import LRUCache

from wijkwijzer.catalogue.answers import Facet, FacetWaarde
from wijkwijzer.catalogue.facets import FACETS, FacetIndex, bits_of
from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.catalogue.records import Samenvatting, summary
from wijkwijzer.corpus.models import Corpus
from wijkwijzer.search import TextResult
from wijkwijzer.store.changes import Historie

# The history of a loaded corpus is never empty (a corpus has an approach); for form's sake.
NOOIT = datetime.fromtimestamp(0, UTC)
SUMMARIES = 20_000  # summaries kept per version: the approaches of many result pages


def _summaries() -> "LRUCache[tuple[int, date], Samenvatting]":
    return LRUCache(SUMMARIES)


@dataclass(frozen=True)
class Versie:
    """One complete version of the catalogue: records and facet masks of one corpus hash."""

    corpus: Corpus
    facets: FacetIndex
    # every slug ever loaded, removed ones too, newest change first (``store/changes.py``)
    historie: Mapping[str, Historie] = field(default_factory=dict)
    _summaries: "LRUCache[tuple[int, date], Samenvatting]" = field(
        default_factory=_summaries, init=False, repr=False, compare=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def summary(
        self, ordinal: int, today: date, highlights: dict[str, str] | None = None
    ) -> Samenvatting:
        """The summary of approach `ordinal` on `today`, made once per version and day.

        The summary is shared: callers copy it, never change it.
        """
        key = (ordinal, today)
        with self._lock:
            found = self._summaries.get(key)
        if found is None:
            found = summary(self.facets.aanpakken[ordinal], self.corpus.vocabulaire, today)
            with self._lock:
                self._summaries[key] = found
        if highlights is None:
            return found
        return found.model_copy(update={"highlights": highlights})

    @property
    def hash(self) -> str:
        return self.corpus.content_hash

    @property
    def key(self) -> str:
        """What caches and ETags key this version on: its hash and its newest change.

        Each load that changes the history sets a time later than all it had, so
        the key changes with the history, even when the corpus's hash does not
        (a change undone: the corpus is back, its approach changed twice).
        """
        return f"{self.hash}@{self.laatst_gewijzigd.isoformat()}"

    @property
    def laatst_gewijzigd(self) -> datetime:
        """When the catalogue last changed: the newest change or removal of an approach."""
        newest = next(iter(self.historie.values()), None)
        return newest.bijgewerkt if newest else NOOIT

    def page(
        self,
        matched: int,
        sort: Sortering,
        text: TextResult | None,
        start: int,
        count: int,
        today: date,
    ) -> list[int]:
        """The ordinals of one page of the `matched` approaches, in the order asked."""
        facets = self.facets
        chosen = bits_of(matched, len(facets.aanpakken))
        if sort == Sortering.RELEVANTIE and text is not None:
            ordinals = facets.ordinals(text.slugs)
            in_doc_order = np.zeros(len(ordinals), np.bool_)
            known = ordinals >= 0
            in_doc_order[known] = chosen[ordinals[known]]
            docs = np.flatnonzero(in_doc_order & (text.by_doc > 0))
            best = text.best(docs, start + count)[start:]
            return [int(i) for i in ordinals[best]]
        if sort == Sortering.ERKENNINGSNIVEAU:
            order = facets.op(today).by_niveau
        elif sort == Sortering.GELDIG_TOT:
            order = facets.op(today).by_geldig_tot
        else:
            order = facets.by_naam
        return [int(i) for i in order[chosen[order]][start : start + count]]

    def facet_counts(
        self,
        base: int,
        selections: Mapping[str, int],
        chosen: Mapping[str, Sequence[str]],
        today: date,
    ) -> list[Facet]:
        """Disjunctive counts: each facet counted as if its own selection were absent."""
        masks = self.facets.masks_on(today)
        result = []
        for spec in FACETS:
            others = base
            for name, mask in selections.items():
                if name != spec.name:
                    others &= mask
            selected = set(chosen.get(spec.name, ()))
            labels = self.facets.labels(spec)
            values = [
                FacetWaarde(
                    value=code,
                    label=labels[code],
                    count=(others & mask).bit_count(),
                    selected=code in selected,
                )
                for code, mask in masks[spec.name].items()
            ]
            result.append(Facet(name=spec.name, label=spec.label, values=values))
        return result
