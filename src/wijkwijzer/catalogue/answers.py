"""What the catalogue answers: a page of a listing with its facets, the ladder, its health."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.catalogue.records import Samenvatting, Shape
from wijkwijzer.search import Step

Zoekstap = Step  # the fallback steps of a search
ZOEKSTAP_LABELS: dict[str, str] = {
    "woorddelen": "op de delen van een samengesteld woord",
    "verbeterd": "op de verbetering van een onbekend woord",
    "minder_woorden": "op een deel van de woorden",
    "naam": "op de naam van een aanpak",
}
ZOEKSTAPPEN_UITLEG = (
    "Hoe er ruimer gezocht is toen de woorden zelf te weinig vonden, in deze volgorde: "
    "`woorddelen` (een samengesteld woord gezocht als zijn delen, los in de tekst), "
    "`verbeterd` (een onbekend woord gezocht als de verbetering uit `suggestion`), "
    "`minder_woorden` (ook aanpakken met een deel van de woorden), `naam` (de zoekvraag is "
    "de naam van een aanpak, anders geschreven). Leeg: de woorden zelf vonden genoeg."
)


class FacetWaarde(Shape):
    """Eén waarde van een facet: code, naam, aantal en of ze gekozen is."""

    value: str = Field(examples=["ouderen"])
    label: str = Field(examples=["Ouderen"])
    count: int = Field(description="Aantal resultaten met deze waarde, los van de eigen selectie.")
    selected: bool


class Facet(Shape):
    """Eén facet van een lijst met zijn waarden."""

    name: str = Field(examples=["doelgroep"])
    label: str = Field(examples=["Doelgroep"])
    values: list[FacetWaarde]


class Resultaat(Shape):
    """Eén pagina van een lijst, met de facetten."""

    items: list[Samenvatting]
    total: int
    page: int
    per_page: int
    pages: int
    facets: list[Facet]
    suggestion: str | None = Field(description="'Bedoelde u …': de verbeterde zoekvraag.")
    mode: Literal["and", "or", "all"] = Field(
        description="`and`: alle woorden gevonden; `or`: ruimer gezocht; `all`: zonder zoektekst."
    )
    zoekstappen: list[Zoekstap] = Field(
        default_factory=list, description=ZOEKSTAPPEN_UITLEG, examples=[["woorddelen"]]
    )
    niet_gevonden: list[str] = Field(
        default_factory=list,
        description="De woorden van de zoekvraag die in geen aanpak voorkomen, zoals getypt.",
        examples=[["daklozen"]],
    )
    gesplitst: list[str] = Field(
        default_factory=list,
        description="De samengestelde woorden die alleen als hun delen gevonden zijn.",
        examples=[["theatervoorstelling"]],
    )
    sort: Sortering
    version: str = Field(description="Versie (inhoudshash) van het corpus.")
    zonder_leeftijd: int = Field(
        description="Hoeveel van de gevonden aanpakken geen leeftijdsgrens noemen."
    )
    peildatum: date = Field(description="De datum waarop de geldigheid is bepaald.")


class Cel(Shape):
    """Eén cel van het overzicht doelgroep × erkenningsniveau."""

    code: str = Field(description="Code van de doelgroep.", examples=["ouderen"])
    label: str = Field(examples=["Ouderen"])
    count: int
    termijnen: dict[str, int] = Field(description="Aantal per geldigheid op de peildatum.")


class Trede(Shape):
    """Eén trede van de erkenningsladder, met de aanpakken die erop staan."""

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
    termijnen: dict[str, int] = Field(
        description="Aantal aanpakken op dit niveau per geldigheid op de peildatum "
        "(actueel, verloopt-binnenkort, onbekend, verlopen, n.v.t.)."
    )
    per_doelgroep: Sequence[Cel] = Field(
        description="Per doelgroep: hoeveel aanpakken op dit niveau, en hun geldigheid."
    )
    aanpakken: Sequence[Samenvatting]


class Gezondheid(Shape):
    """Welke corpusversie staat in de database, welke in de zoekindex, welke wordt geserveerd?

    ``ok`` als database en index dezelfde versie hebben, ``leeg`` zonder geladen corpus,
    ``ongelijk`` als ze verschillen (tijdens het herladen, een replica die nog bijwerkt,
    of zonder index), ``fout`` als de database niet te lezen is.
    """

    status: Literal["ok", "leeg", "ongelijk", "fout"]
    corpus: str | None
    index: str | None
    version: str | None = Field(
        default=None, description="De versie waaruit deze server nu antwoordt."
    )
    achter_sinds: datetime | None = Field(
        default=None,
        description="Bij `ongelijk`: sinds wanneer de database een versie heeft die deze "
        "server nog niet serveert (wanneer die geladen werd).",
    )
