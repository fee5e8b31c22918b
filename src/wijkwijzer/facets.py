"""In-memory facet index of one corpus version: bitmasks per facet value.

Each approach has an ordinal; a set of approaches is a Python int used as a
bitmask, so filtering is ``&`` and counting is ``int.bit_count()``. That keeps
disjunctive facet counts cheap even for many thousands of approaches.
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from wijkwijzer.corpus import Aanpak, Corpus


@dataclass(frozen=True)
class FacetSpec:
    """A filterable facet: its parameter name, its vocabulary, how to read an approach."""

    name: str
    label: str
    vocab_kind: str
    values_of: Callable[[Aanpak], Iterable[str]]


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("doelgroep", "Doelgroep", "doelgroepen", lambda a: [d.value for d in a.doelgroepen]),
    FacetSpec(
        "erkenningsniveau",
        "Erkenningsniveau",
        "erkenningsniveaus",
        lambda a: [a.erkenning.niveau.value],
    ),
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


def sort_key(text: str) -> str:
    """Dutch-friendly alphabetical key: accents folded, case ignored."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()


def mask_of(ordinals: Iterable[int]) -> int:
    mask = 0
    for ordinal in ordinals:
        mask |= 1 << ordinal
    return mask


def members(mask: int, order: Iterable[int]) -> list[int]:
    """The ordinals of `order` that are in `mask`, in that order."""
    return [i for i in order if mask >> i & 1]


class FacetIndex:
    """Bitmasks for every facet value and age of one corpus version."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.aanpakken = corpus.aanpakken
        self.ordinal = {a.slug: i for i, a in enumerate(self.aanpakken)}
        self.all = (1 << len(self.aanpakken)) - 1
        self.masks: dict[str, dict[str, int]] = {}
        for spec in FACETS:
            codes = [t.code.value for t in getattr(corpus.vocabulaire, spec.vocab_kind)]
            per_value = dict.fromkeys(codes, 0)
            for i, aanpak in enumerate(self.aanpakken):
                for code in spec.values_of(aanpak):
                    per_value[code] |= 1 << i
            self.masks[spec.name] = per_value
        self._ages: dict[int, int] = {}

    def selection(self, facet: str, codes: Iterable[str]) -> int:
        """Approaches having any of `codes` (OR within a facet); all when none are given."""
        chosen = list(codes)
        if not chosen:
            return self.all
        mask = 0
        for code in chosen:
            mask |= self.masks[facet][code]
        return mask

    def age(self, leeftijd: int | None) -> int:
        """Approaches whose stated age range includes `leeftijd` (all when None)."""
        if leeftijd is None:
            return self.all
        if leeftijd not in self._ages:
            self._ages[leeftijd] = mask_of(
                i
                for i, a in enumerate(self.aanpakken)
                if (a.leeftijd_min is not None or a.leeftijd_max is not None)
                and (a.leeftijd_min or 0) <= leeftijd <= (a.leeftijd_max or 200)
            )
        return self._ages[leeftijd]

    @cached_property
    def by_naam(self) -> list[int]:
        return sorted(range(len(self.aanpakken)), key=lambda i: sort_key(self.aanpakken[i].naam))

    @cached_property
    def by_niveau(self) -> list[int]:
        """Strongest evidence first; within a level the most recent judgement, then by name."""
        vocabulaire = self.corpus.vocabulaire
        rang = {n.code: n.rang for n in vocabulaire.erkenningsniveaus}

        def key(i: int) -> tuple[int, int, str]:
            erkenning = self.aanpakken[i].erkenning
            return (
                -rang[erkenning.niveau],
                -(erkenning.jaar or 0),
                sort_key(self.aanpakken[i].naam),
            )

        return sorted(range(len(self.aanpakken)), key=key)
