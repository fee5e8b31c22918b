"""The controlled vocabularies: fixed codes here, labels and definitions in data.

The codes are the contract (corpus schema, API filter values); their names,
definitions and order live in ``data/vocabulaire.yaml`` so pages and API can
explain each one.
"""

from enum import Enum, StrEnum
from functools import cached_property
from typing import Generic, TypeVar

from pydantic import Field, model_validator

from wijkwijzer.corpus.fields import HttpUrl, Slug, StrictModel, Text


class Categorie(StrEnum):
    INTERVENTIE = "interventie"
    METHODISCHE_AANPAK = "methodische-aanpak"


class Vorm(StrEnum):
    INTERVENTIEBESCHRIJVING = "interventiebeschrijving"
    METHODEBESCHRIJVING = "methodebeschrijving"
    HANDREIKING = "handreiking"
    PRAKTIJKHANDBOEK = "praktijkhandboek"
    INSPIRATIEGIDS = "inspiratiegids"
    PUBLICATIE = "publicatie"
    VERKENNING = "verkenning"
    TRAINING = "training"
    WERKWIJZE = "werkwijze"


class Niveau(StrEnum):
    GOED_BESCHREVEN = "goed-beschreven"
    GOED_ONDERBOUWD = "goed-onderbouwd"
    EFFECTIEF_EERSTE = "effectief-eerste-aanwijzingen"
    EFFECTIEF_GOEDE = "effectief-goede-aanwijzingen"
    EFFECTIEF_STERKE = "effectief-sterke-aanwijzingen"
    PRAKTIJKVOORBEELD = "praktijkvoorbeeld"
    NIET_BEOORDEELD = "niet-beoordeeld"
    ONBEKEND = "onbekend"


class Doelgroep(StrEnum):
    KINDEREN = "kinderen"
    JONGEREN = "jongeren"
    OUDERS = "ouders"
    OUDEREN = "ouderen"
    KWETSBARE_BEWONERS = "kwetsbare-bewoners"
    SOCIAAL_GEISOLEERDEN = "sociaal-geisoleerden"
    PSYCHISCHE_BEPERKING = "mensen-met-een-psychische-beperking"
    BUREN_MET_CONFLICT = "buren-met-een-conflict"
    ALLE_BEWONERS = "alle-bewoners"
    ACTIEVE_BEWONERS = "actieve-bewoners"
    PROFESSIONALS = "professionals"
    BELEIDSMAKERS = "beleidsmakers"


class Kenmerk(StrEnum):
    VERBINDING = "verbinding-en-sociale-contacten"
    KRACHTEN = "krachten-en-talenten"
    PROBLEMEN = "problemen-voorkomen-en-oplossen"
    ZEGGENSCHAP = "zeggenschap-en-eigenaarschap"


class WerkzaamElement(StrEnum):
    PROCESBEGELEIDER = "procesbegeleider"
    PERSOONLIJKE_BENADERING = "persoonlijke-benadering"
    AANSLUITEN = "aansluiten-bij-behoeften"
    LAAGDREMPELIGHEID = "laagdrempeligheid"
    EMPOWERMENT = "empowerment"
    SAMENWERKEN = "samenwerken"
    GEWOON_BEGINNEN = "gewoon-beginnen"


class StappenSoort(StrEnum):
    STAPPEN = "stappen"
    FASEN = "fasen"
    SPOREN = "sporen"


# --- the vocabulary file (data/vocabulaire.yaml) -------------------------------------------

C = TypeVar("C", bound=Enum)


class Term(StrictModel, Generic[C]):
    """A code of a controlled list with its Dutch name and optional explanation."""

    code: C
    naam: Text
    omschrijving: Text | None = None


class Uitleg(Term[C], Generic[C]):
    """A term whose explanation is required (kenmerken, werkzame elementen)."""

    omschrijving: Text


class Niveaubeschrijving(StrictModel):
    """One rung of the recognition ladder (or one of the non-ladder states)."""

    code: Niveau
    naam: Text
    rang: int = Field(strict=True, description="Sterkte van het bewijs; hoger is sterker.")
    erkenning: bool = Field(
        description="Onderdeel van de erkenningsladder (oordeel van een commissie)."
    )
    geldigheid_jaren: int | None = Field(default=None, ge=1, le=20)
    definitie: Text
    bron: Text | None = None


class Brondocument(StrictModel):
    """A source document of the catalogue."""

    code: Slug
    titel: Text
    auteurs: Text | None = None
    datum: Text | None = None
    url: HttpUrl | None = None


def _covers(name: str, codes: list[Enum], enum: type[Enum]) -> None:
    seen = [c.value for c in codes]
    missing = [e.value for e in enum if e.value not in seen]
    doubles = sorted({c for c in seen if seen.count(c) > 1})
    if missing or doubles:
        parts = ([f"ontbreekt: {', '.join(missing)}"] if missing else []) + (
            [f"dubbel: {', '.join(doubles)}"] if doubles else []
        )
        raise ValueError(f"{name}: elke code precies één keer ({'; '.join(parts)})")


class Vocabulaire(StrictModel):
    """Everything the corpus refers to by code, with the words to explain it."""

    bronnen: list[Brondocument] = Field(min_length=1)
    erkenningsniveaus: list[Niveaubeschrijving]
    kenmerken: list[Uitleg[Kenmerk]]
    werkzame_elementen: list[Uitleg[WerkzaamElement]]
    doelgroepen: list[Term[Doelgroep]]
    vormen: list[Term[Vorm]]
    categorieen: list[Term[Categorie]]

    @model_validator(mode="after")
    def _complete(self) -> "Vocabulaire":
        _covers("erkenningsniveaus", [t.code for t in self.erkenningsniveaus], Niveau)
        _covers("kenmerken", [t.code for t in self.kenmerken], Kenmerk)
        _covers("werkzame_elementen", [t.code for t in self.werkzame_elementen], WerkzaamElement)
        _covers("doelgroepen", [t.code for t in self.doelgroepen], Doelgroep)
        _covers("vormen", [t.code for t in self.vormen], Vorm)
        _covers("categorieen", [t.code for t in self.categorieen], Categorie)
        ranks = [n.rang for n in self.erkenningsniveaus]
        if len(set(ranks)) != len(ranks):
            raise ValueError("erkenningsniveaus: elke rang precies één keer")
        return self

    def label(self, kind: str, code: str) -> str:
        """The Dutch name of `code` in the list `kind` (e.g. ``doelgroepen``)."""
        terms: list[Term[Enum]] | list[Niveaubeschrijving] = getattr(self, kind)
        for term in terms:
            if term.code.value == code:
                return term.naam
        return code

    def niveau(self, code: Niveau) -> Niveaubeschrijving:
        """The ladder entry for `code`."""
        return self._niveaus[code]

    @cached_property
    def _niveaus(self) -> dict[Niveau, Niveaubeschrijving]:
        return {n.code: n for n in self.erkenningsniveaus}
