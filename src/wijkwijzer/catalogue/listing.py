"""The question and the answer of a listing, and the ways a question can fail.

Shared by the catalogue service, the API and the pages.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import Field

from wijkwijzer.catalogue.shapes import AanpakSamenvatting, Shape

MAX_PER_PAGE = 100


class Sortering(StrEnum):
    RELEVANTIE = "relevantie"
    NAAM = "naam"
    ERKENNINGSNIVEAU = "erkenningsniveau"


class OngeldigeVraag(ValueError):
    """A request the catalogue cannot answer; names the parameter and what is allowed."""

    def __init__(self, parameter: str, message: str, allowed: Sequence[str] = ()) -> None:
        self.parameter = parameter
        self.allowed = list(allowed)
        super().__init__(message)


class OnbekendeAanpak(LookupError):
    """No approach has this slug; carries close matches."""

    def __init__(self, slug: str, suggesties: Sequence[str]) -> None:
        self.slug, self.suggesties = slug, list(suggesties)
        hint = f" Bedoelde u: {', '.join(self.suggesties)}?" if self.suggesties else ""
        super().__init__(f"Er is geen aanpak '{slug}'.{hint}")


class GeenCatalogus(RuntimeError):
    """Nothing has been loaded yet (run `wijkwijzer load`)."""


@dataclass(frozen=True)
class Zoekvraag:
    """Everything a listing can ask: text, filters, age, sort and page."""

    q: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    leeftijd: int | None = None
    sort: Sortering | None = None
    page: int = 1
    per_page: int = 20

    @property
    def effective_sort(self) -> Sortering:
        if self.sort and (self.sort != Sortering.RELEVANTIE or self.q.strip()):
            return self.sort
        return Sortering.RELEVANTIE if self.q.strip() else Sortering.NAAM


class FacetWaarde(Shape):
    value: str = Field(examples=["ouderen"])
    label: str = Field(examples=["Ouderen"])
    count: int = Field(description="Aantal resultaten met deze waarde, los van de eigen selectie.")
    selected: bool


class Facet(Shape):
    name: str = Field(examples=["doelgroep"])
    label: str = Field(examples=["Doelgroep"])
    values: list[FacetWaarde]


class Resultaat(Shape):
    """One page of a listing with its facets."""

    items: list[AanpakSamenvatting]
    total: int
    page: int
    per_page: int
    pages: int
    facets: list[Facet]
    suggestion: str | None = Field(description="'Bedoelde u …': de verbeterde zoekvraag.")
    mode: Literal["and", "or", "all"] = Field(
        description="and: alle woorden gevonden; or: ruimer gezocht; all: zonder zoektekst."
    )
    sort: Sortering
    version: str = Field(description="Versie (inhoudshash) van het corpus.")


class NiveauOverzicht(Shape):
    """One rung of the recognition ladder with the approaches standing on it."""

    code: str = Field(examples=["goed-beschreven"])
    naam: str = Field(examples=["Goed beschreven"])
    rang: int = Field(description="Sterkte van het bewijs; hoger is sterker.")
    erkenning: bool = Field(description="Een oordeel van een erkenningscommissie.")
    geldigheid_jaren: int | None = Field(examples=[5])
    definitie: str
    bron: str | None
    count: int
    slugs: list[str]
    verlopen: list[str] = Field(description="Slugs waarvan de erkenning verlopen is.")
    aanpakken: list[AanpakSamenvatting]
