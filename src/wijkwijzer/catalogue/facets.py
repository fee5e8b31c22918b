"""In-memory facet index of one corpus version: bitmasks per facet value.

Each approach has an ordinal; a set of approaches is a Python int used as a
bitmask, so filtering is ``&`` and counting is ``int.bit_count()``. That keeps
disjunctive facet counts cheap even for many thousands of approaches.
"""

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import numpy.typing as npt
from cachetools import LRUCache, cachedmethod

from wijkwijzer.corpus.models import Aanpak, Corpus
from wijkwijzer.corpus.text import sort_key
from wijkwijzer.corpus.validity import TERMIJN_LABELS, Termijn, geldigheid
from wijkwijzer.corpus.vocabulary import Vocabulaire

Ordinals = npt.NDArray[np.int64]
# Ages asked are 0–120 (the question's bound): each one's mask is kept.
AGES_KEPT = 128
# Peildata whose validity masks are kept (today, and a fixed one or two).
PEILDATA_KEPT = 4
GELDIGHEID = "geldigheid"


@dataclass(frozen=True)
class FacetSpec:
    """A filterable facet: its parameter name, its vocabulary, how to read an approach.

    The facet ``geldigheid`` has no vocabulary in the corpus: its values are the
    ``Termijn`` of each recognition on the peildatum (``FacetIndex.op``).
    """

    name: str
    label: str
    vocab_kind: str | None
    values_of: Callable[[Aanpak], Iterable[str]] | None

    def value_label(self, vocabulaire: Vocabulaire, code: str) -> str:
        if self.vocab_kind is None:
            return TERMIJN_LABELS[Termijn(code)]
        return vocabulaire.label(self.vocab_kind, code)


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("doelgroep", "Doelgroep", "doelgroepen", lambda a: [d.value for d in a.doelgroepen]),
    FacetSpec(
        "erkenningsniveau",
        "Erkenningsniveau",
        "erkenningsniveaus",
        lambda a: [a.erkenning.niveau.value],
    ),
    FacetSpec(GELDIGHEID, "Geldigheid van de erkenning", None, None),
    FacetSpec("vorm", "Vorm", "vormen", lambda a: [a.vorm.value]),
    FacetSpec("categorie", "Categorie", "categorieen", lambda a: [a.categorie.value]),
    FacetSpec("kenmerk", "Kenmerk", "kenmerken", lambda a: [k.value for k in a.kenmerken]),
    FacetSpec(
        "werkzaam_element",
        "Werkzaam element",
        "werkzame_elementen",
        lambda a: [w.value for w in a.werkzame_elementen],
    ),
)
FACET_NAMES = tuple(f.name for f in FACETS)

# The groups of the honest level sort: what holds on the peildatum comes first.
NIVEAU_GROEP: dict[Termijn, int] = {
    Termijn.ACTUEEL: 0,
    Termijn.VERLOOPT_BINNENKORT: 0,
    Termijn.ONBEKEND: 1,
    Termijn.VERLOPEN: 2,
    Termijn.GEEN: 3,
}


def mask_of(ordinals: Iterable[int] | Ordinals) -> int:
    """The bitmask of a set of ordinals (built in one pass, not bit by bit)."""
    chosen = np.asarray(ordinals if isinstance(ordinals, np.ndarray) else list(ordinals), np.int64)
    if not len(chosen):
        return 0
    bits = np.zeros(int(chosen.max()) + 1, np.bool_)
    bits[chosen] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def bits_of(mask: int, count: int) -> npt.NDArray[np.bool_]:
    """Membership of ordinals 0 … count-1 in `mask`, as an array."""
    packed = np.frombuffer(mask.to_bytes((count + 7) // 8, "little"), np.uint8)
    return np.unpackbits(packed, count=count, bitorder="little").astype(np.bool_)


@dataclass(frozen=True)
class Peiling:
    """What depends on the peildatum in one version: each approach's termijn, and orders."""

    termijnen: list[Termijn]
    masks: dict[str, int]
    by_niveau: Ordinals
    by_geldig_tot: Ordinals


def _as_slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", sort_key(text)))


def _triples(slug: str) -> set[str]:
    padded = f"-{slug}-"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class FacetIndex:
    """Bitmasks for every facet value and age of one corpus version."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.aanpakken = corpus.aanpakken
        self.ordinal = {a.slug: i for i, a in enumerate(self.aanpakken)}
        self.all = (1 << len(self.aanpakken)) - 1
        self.masks: dict[str, dict[str, int]] = {}
        for spec in FACETS:
            if spec.vocab_kind is None or spec.values_of is None:
                continue
            codes = [t.code.value for t in getattr(corpus.vocabulaire, spec.vocab_kind)]
            having: dict[str, list[int]] = {code: [] for code in codes}
            for i, aanpak in enumerate(self.aanpakken):
                for code in spec.values_of(aanpak):
                    having[code].append(i)
            self.masks[spec.name] = {code: mask_of(found) for code, found in having.items()}
        self._ages: LRUCache[int, int] = LRUCache(maxsize=AGES_KEPT)
        self._ages_lock = threading.Lock()
        self._peilingen: LRUCache[date, Peiling] = LRUCache(maxsize=PEILDATA_KEPT)
        self._peilingen_lock = threading.Lock()
        self._ordinals: tuple[Sequence[str], Ordinals] | None = None

    def ordinals(self, slugs: Sequence[str]) -> Ordinals:
        """The ordinal of each of `slugs` (-1 for none); remembered for the last list asked.

        The index's document numbers name slugs in a list that lives as long as its
        version, so this runs once per version.
        """
        last = self._ordinals
        if last is None or last[0] is not slugs:
            ordinal = self.ordinal
            found = np.fromiter((ordinal.get(s, -1) for s in slugs), np.int64, len(slugs))
            self._ordinals = last = (slugs, found)
        return last[1]

    def by_slug(self, slug: str) -> Aanpak | None:
        found = self.ordinal.get(slug)
        return None if found is None else self.aanpakken[found]

    def masks_on(self, today: date) -> dict[str, dict[str, int]]:
        """The masks of every facet value, validity included, on the peildatum `today`."""
        return {**self.masks, GELDIGHEID: self.op(today).masks}

    def selection(self, facet: str, codes: Iterable[str], today: date | None = None) -> int:
        """Approaches having any of `codes` (OR within a facet); all when none are given.

        Validity (``geldigheid``) depends on the peildatum: `today` is needed for it.
        """
        chosen = list(codes)
        if not chosen:
            return self.all
        if facet == GELDIGHEID:
            if today is None:
                raise ValueError("geldigheid hangt af van de peildatum")
            values = self.op(today).masks
        else:
            values = self.masks[facet]
        mask = 0
        for code in chosen:
            mask |= values[code]
        return mask

    def age(self, leeftijd: int | None, alleen_genoemd: bool = False) -> int:
        """Approaches whose stated age range includes `leeftijd` (all when None).

        Approaches that state no ages stay in, unless `alleen_genoemd`: a filter on
        age must not hide what the sources leave open.
        """
        if leeftijd is None:
            return self.all
        stated = self._age(leeftijd)
        return stated if alleen_genoemd else stated | self.zonder_leeftijd

    @cached_property
    def zonder_leeftijd(self) -> int:
        """Approaches whose sources state no ages."""
        return mask_of(i for i, a in enumerate(self.aanpakken) if not a.leeftijd_genoemd)

    @cachedmethod(lambda self: self._ages, lock=lambda self: self._ages_lock)
    def _age(self, leeftijd: int) -> int:
        lowest, highest = self._age_bounds
        return mask_of(np.flatnonzero((lowest <= leeftijd) & (leeftijd <= highest)))

    @cached_property
    def _age_bounds(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each approach's stated ages as (lowest, highest); none stated: a range no age has."""
        lowest = np.array(
            [(a.leeftijd_min or 0) if a.leeftijd_genoemd else 1 for a in self.aanpakken], np.int64
        )
        highest = np.array(
            [(a.leeftijd_max or 200) if a.leeftijd_genoemd else 0 for a in self.aanpakken],
            np.int64,
        )
        return lowest, highest

    @cachedmethod(lambda self: self._peilingen, lock=lambda self: self._peilingen_lock)
    def op(self, today: date) -> Peiling:
        """Validity on the peildatum `today`: each approach's termijn, masks and orders."""
        vocabulaire = self.corpus.vocabulaire
        rang = {n.code: n.rang for n in vocabulaire.erkenningsniveaus}
        valid = [
            geldigheid(a.erkenning, vocabulaire.niveau(a.erkenning.niveau), today)
            for a in self.aanpakken
        ]
        having: dict[str, list[int]] = {t.value: [] for t in Termijn}
        for i, g in enumerate(valid):
            having[g.termijn.value].append(i)
        names = self.naam_keys

        def by_niveau(i: int) -> tuple[int, int, int, str]:
            # Current recognitions first, then an unknown year, then expired, then the rest;
            # within each group the strongest level, the most recent judgement, the name.
            erkenning = self.aanpakken[i].erkenning
            group = NIVEAU_GROEP[valid[i].termijn]
            return (group, -rang[erkenning.niveau], -(erkenning.jaar or 0), names[i])

        def by_geldig_tot(i: int) -> tuple[int, int, int, str]:
            # The latest end first; then an unknown year, then no recognition.
            tot = valid[i].geldig_tot
            group = 0 if tot is not None else NIVEAU_GROEP[valid[i].termijn]
            erkenning = self.aanpakken[i].erkenning
            return (group, -(tot or 0), -rang[erkenning.niveau], names[i])

        every = range(len(self.aanpakken))
        return Peiling(
            termijnen=[g.termijn for g in valid],
            masks={code: mask_of(found) for code, found in having.items()},
            by_niveau=np.array(sorted(every, key=by_niveau), np.int64),
            by_geldig_tot=np.array(sorted(every, key=by_geldig_tot), np.int64),
        )

    def resembling(self, text: str, limit: int = 50) -> list[int]:
        """Up to `limit` approaches whose slug or name shares the most letter triples with `text`.

        A cheap first cut for fuzzy matching: comparing a text with every
        approach costs seconds at 100,000 approaches.
        """
        wanted = _triples(_as_slug(text))
        if len(self.aanpakken) <= limit or not wanted:
            return list(range(min(len(self.aanpakken), limit)))
        index, sizes = self._triples
        postings = [index[t] for t in wanted if t in index]
        if not postings:
            return []
        shared = np.bincount(np.concatenate(postings), minlength=len(self.aanpakken))
        likeness = shared / (sizes + len(wanted))  # Dice, up to a factor 2
        best = np.argsort(-likeness, kind="stable")[:limit]
        return [int(i) for i in best if shared[i] > 0]

    @cached_property
    def _triples(self) -> tuple[dict[str, npt.NDArray[np.int32]], npt.NDArray[np.float64]]:
        """Letter triple -> approaches having it, and how many triples each approach has."""
        having: dict[str, list[int]] = {}
        counts = np.zeros(len(self.aanpakken))
        for i, aanpak in enumerate(self.aanpakken):
            triples = _triples(aanpak.slug) | _triples(_as_slug(aanpak.naam))
            counts[i] = len(triples)
            for triple in triples:
                having.setdefault(triple, []).append(i)
        return {t: np.array(found, np.int32) for t, found in having.items()}, counts

    def labels(self, spec: FacetSpec) -> dict[str, str]:
        """The label of every value of facet `spec`, made once per version."""
        return self._labels[spec.name]

    @cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        vocabulaire = self.corpus.vocabulaire
        codes = {name: list(values) for name, values in self.masks.items()}
        codes[GELDIGHEID] = [t.value for t in Termijn]
        return {
            spec.name: {code: spec.value_label(vocabulaire, code) for code in codes[spec.name]}
            for spec in FACETS
        }

    @cached_property
    def naam_keys(self) -> list[str]:
        """Each approach's name as it sorts (accents folded, case ignored)."""
        return [sort_key(a.naam) for a in self.aanpakken]

    @cached_property
    def by_naam(self) -> Ordinals:
        keys = self.naam_keys
        return np.array(sorted(range(len(keys)), key=keys.__getitem__), np.int64)
