"""What the API answers: the catalogue's answers with their links, and the CSV's rows.

The catalogue's records carry no links. Here an approach gets its ``url`` (its
record in the API) and ``html_url`` (its page) from the request's ``Urls``,
and a page of a listing its ``links``; the shapes keep the names and the field
order the OpenAPI document has always shown. Every link is absolute, on the
request's base (``WIJKWIJZER_PUBLIC_URL``, or the one allowed Host): a partner
site that stores an item can follow its links without knowing where it came from.
"""

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from wijkwijzer.catalogue.answers import (
    ZOEKSTAPPEN_UITLEG,
    Cel,
    FacetWaarde,
    Resultaat,
    Trede,
    Zoekstap,
)
from wijkwijzer.catalogue.comparison import EXPORT, Vergelijkingsrij
from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.catalogue.records import Detail, DetailVelden, Samenvatting
from wijkwijzer.web.urls import Urls, cel_query

LICENTIE = (
    "Code: EUPL-1.2. Teksten: overgenomen uit de genoemde brondocumenten (WijkWijzer, "
    "Platform31 en Movisie, december 2024; Kan wél!, LSA; Klimmen Op Eigen Kracht; Samen Lukt "
    "Het Zelf; Movisie, Werkzame elementen bij buurtontwikkeling, 2014); vermeld de bron bij "
    "hergebruik."
)
TITEL = "WijkWijzer: methodische aanpakken voor leefbare wijken en buurten"
BRON = "WijkWijzer (Platform31 en Movisie, december 2024) en de brondocumenten per aanpak"
# The base of the examples in the OpenAPI document (a real answer has the request's base).
EXAMPLE_BASE = "https://wijkwijzer.example.nl"


class AanpakSamenvatting(Samenvatting):
    """Een aanpak zoals die in een lijst met resultaten staat, met haar links."""

    url: str = Field(
        description="Dit record in de API (absoluut).",
        examples=[f"{EXAMPLE_BASE}/api/v1/approaches/buurtcirkel"],
    )
    html_url: str = Field(
        description="De pagina van deze aanpak (absoluut).",
        examples=[f"{EXAMPLE_BASE}/aanpak/buurtcirkel"],
    )


# The bases in this order put the summary's fields (and its links) before the detail's.
class AanpakDetail(DetailVelden, AanpakSamenvatting):
    """Een aanpak met alle velden uit het corpus en 3–5 verwante aanpakken."""

    related: list[AanpakSamenvatting] = Field(default_factory=list)


class CelMetLinks(Cel):
    """Eén cel van het overzicht doelgroep × erkenningsniveau, met de gefilterde lijst."""

    url: str = Field(
        description="De lijst van deze cel in de API (absoluut).",
        examples=[
            f"{EXAMPLE_BASE}/api/v1/approaches?doelgroep=ouderen&erkenningsniveau=goed-beschreven"
        ],
    )
    html_url: str = Field(
        description="De lijst van deze cel op de site (absoluut).",
        examples=[f"{EXAMPLE_BASE}/?doelgroep=ouderen&erkenningsniveau=goed-beschreven"],
    )


class NiveauOverzicht(Trede):
    """Eén trede van de erkenningsladder, met de aanpakken die erop staan."""

    per_doelgroep: list[CelMetLinks]
    aanpakken: list[AanpakSamenvatting]


class Links(BaseModel):
    """Links naar deze pagina en naar de pagina ervoor en erna."""

    self: str = Field(examples=[f"{EXAMPLE_BASE}/api/v1/approaches?q=ouderen&page=1"])
    next: str | None = Field(examples=[f"{EXAMPLE_BASE}/api/v1/approaches?q=ouderen&page=2"])
    prev: str | None = Field(examples=[None])


class Lijst(BaseModel):
    """Eén pagina aanpakken, met facetten, spellingsuggestie en links naar andere pagina's."""

    items: list[AanpakSamenvatting]
    total: int = Field(description="Aantal gevonden aanpakken (alle pagina's).", examples=[24])
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[20])
    pages: int = Field(examples=[2])
    facets: dict[str, list[FacetWaarde]] = Field(
        description="Per facet de waarden met `value`, `label`, `count` en `selected`."
    )
    suggestion: str | None = Field(description="'Bedoelde u …'", examples=["ouderen eenzaamheid"])
    sort: Sortering
    mode: str = Field(
        description="`and`: alle woorden gevonden; `or`: ruimer gezocht; `all`: zonder q."
    )
    zoekstappen: list[Zoekstap] = Field(description=ZOEKSTAPPEN_UITLEG, examples=[["woorddelen"]])
    niet_gevonden: list[str] = Field(
        description="De woorden van de zoekvraag die in geen enkele aanpak voorkomen.",
        examples=[["daklozen"]],
    )
    gesplitst: list[str] = Field(
        description="De samengestelde woorden die alleen als hun delen gevonden zijn.",
        examples=[["theatervoorstelling"]],
    )
    version: str = Field(description="Versie van het corpus (inhoudshash).")
    zonder_leeftijd: int = Field(
        description="Hoeveel van de gevonden aanpakken geen leeftijdsgrens noemen "
        "(met leeftijd blijven die in de resultaten, met leeftijd_genoemd=false)."
    )
    peildatum: date = Field(description="De datum waarop de geldigheid van erkenningen is bepaald.")
    links: Links


class Vergelijking(BaseModel):
    """2 tot 4 aanpakken, veld voor veld naast elkaar."""

    slugs: list[str]
    rijen: list[Vergelijkingsrij]
    aanpakken: list[AanpakDetail]


class Export(BaseModel):
    """De hele catalogus, voor hergebruik als open data."""

    titel: str
    licentie: str
    bron: str
    version: str = Field(description="Versie van het corpus (inhoudshash), zoals in de lijst.")
    versie: str = Field(
        description="Verouderd: hetzelfde als `version`. Blijft in API v1 staan zodat "
        "bestaande gebruikers niet breken; gebruik `version`.",
        json_schema_extra={"deprecated": True},
    )
    gegenereerd_op: date
    api_versie: str
    aanpakken: list[AanpakDetail]
    erkenningsniveaus: list[NiveauOverzicht]


# -- the catalogue's answers, linked ---------------------------------------------------
# ``vars()`` hands the record's fields over as they are: nested records stay records.


def item_links(slug: str, urls: Urls) -> dict[str, str]:
    """An approach's ``url`` (its record in the API) and ``html_url`` (its page), absolute."""
    return {
        "url": urls.absolute(urls.api_aanpak(slug)),
        "html_url": urls.absolute(urls.aanpak(slug)),
    }


def linked(item: Samenvatting, urls: Urls) -> AanpakSamenvatting:
    # `item` was validated when it was made; only the two links are new (strings).
    fields: dict[str, Any] = {**vars(item), **item_links(item.slug, urls)}
    return AanpakSamenvatting.model_construct(**fields)


def linked_detail(item: Detail, urls: Urls) -> AanpakDetail:
    links = item_links(item.slug, urls)
    related = [linked(r, urls) for r in item.related]
    return AanpakDetail.model_validate({**vars(item), **links, "related": related})


def linked_ladder(ladder: list[Trede], urls: Urls) -> list[NiveauOverzicht]:
    return [
        NiveauOverzicht.model_validate(
            {
                **vars(trede),
                "per_doelgroep": [linked_cel(c, trede.code, urls) for c in trede.per_doelgroep],
                "aanpakken": [linked(a, urls) for a in trede.aanpakken],
            }
        )
        for trede in ladder
    ]


def linked_cel(cel: Cel, niveau: str, urls: Urls) -> CelMetLinks:
    links = {
        "url": urls.absolute(urls.api_listing(cel_query(cel.code, niveau))),
        "html_url": urls.absolute(urls.cel(cel.code, niveau)),
    }
    return CelMetLinks.model_validate({**vars(cel), **links})


def lijst(resultaat: Resultaat, urls: Urls) -> Lijst:
    """A page of a listing with its links: to itself, and to the pages before and after."""
    has_next = resultaat.page < resultaat.pages
    return Lijst(
        items=[linked(item, urls) for item in resultaat.items],
        total=resultaat.total,
        page=resultaat.page,
        per_page=resultaat.per_page,
        pages=resultaat.pages,
        facets={f.name: f.values for f in resultaat.facets},
        suggestion=resultaat.suggestion,
        sort=resultaat.sort,
        mode=resultaat.mode,
        zoekstappen=resultaat.zoekstappen,
        niet_gevonden=resultaat.niet_gevonden,
        gesplitst=resultaat.gesplitst,
        version=resultaat.version,
        zonder_leeftijd=resultaat.zonder_leeftijd,
        peildatum=resultaat.peildatum,
        links=Links(
            self=urls.here(),
            next=urls.here_on_page(resultaat.page + 1) if has_next else None,
            prev=urls.here_on_page(resultaat.page - 1) if resultaat.page > 1 else None,
        ),
    )


# -- the CSV --------------------------------------------------------------------------

CSV_COLUMNS = (*(veld.key for veld in EXPORT), "url", "html_url")


def csv_row(item: Samenvatting, urls: Urls) -> list[str]:
    """One CSV row; the links are absolute, as everywhere in the API."""
    links = item_links(item.slug, urls)
    cells = (*(veld.read(item) for veld in EXPORT), links["url"], links["html_url"])
    return [csv_cell(v) for v in cells]


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, -, @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
