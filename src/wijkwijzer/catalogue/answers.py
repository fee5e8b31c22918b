"""What the catalogue answers: a page of a listing with its facets, the ladder, its health."""

from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.catalogue.records import Samenvatting, Shape


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

    items: list[Samenvatting]
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


class Trede(Shape):
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
    aanpakken: Sequence[Samenvatting]


class Gezondheid(Shape):
    """Which corpus version the database holds and which the search index; do they agree?

    ``ok`` when both hold the same version, ``leeg`` without a loaded corpus,
    ``ongelijk`` when they differ (during a reload, or without an index), ``fout``
    when the database cannot be read.
    """

    status: Literal["ok", "leeg", "ongelijk", "fout"]
    corpus: str | None
    index: str | None
