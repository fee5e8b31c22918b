"""What the API answers: the catalogue's answers with their links, and the CSV's rows.

The catalogue's records carry no links. Here an approach gets its ``url`` (its
record in the API) and ``html_url`` (its page) from the request's ``Urls``,
and a page of a listing its ``links``; the shapes keep the names and the field
order the OpenAPI document has always shown.
"""

from datetime import date

from pydantic import BaseModel, Field

from wijkwijzer.catalogue.answers import FacetWaarde, Resultaat, Trede
from wijkwijzer.catalogue.comparison import EXPORT, Vergelijkingsrij
from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.catalogue.records import Detail, DetailVelden, Samenvatting
from wijkwijzer.web.urls import Urls

LICENTIE = (
    "Code: EUPL-1.2. Teksten: overgenomen uit de genoemde brondocumenten (WijkWijzer, "
    "Platform31 en Movisie, december 2024; Kan wél!, LSA; Klimmen Op Eigen Kracht; Samen Lukt "
    "Het Zelf; Movisie, Werkzame elementen bij buurtontwikkeling, 2014); vermeld de bron bij "
    "hergebruik."
)


class AanpakSamenvatting(Samenvatting):
    """An approach as it appears in a list of results."""

    url: str = Field(
        description="Dit record in de API.", examples=["/api/v1/approaches/buurtcirkel"]
    )
    html_url: str = Field(
        description="De pagina van deze aanpak.", examples=["/aanpak/buurtcirkel"]
    )


# The bases in this order put the summary's fields (and its links) before the detail's.
class AanpakDetail(DetailVelden, AanpakSamenvatting):
    """An approach with every field of the corpus."""

    related: list[AanpakSamenvatting] = Field(default_factory=list)


class NiveauOverzicht(Trede):
    """One rung of the recognition ladder with the approaches standing on it."""

    aanpakken: list[AanpakSamenvatting]


class Links(BaseModel):
    self: str = Field(examples=["/api/v1/approaches?q=ouderen&page=1"])
    next: str | None = Field(examples=["/api/v1/approaches?q=ouderen&page=2"])
    prev: str | None = Field(examples=[None])


class Lijst(BaseModel):
    """One page of approaches with facets, spelling suggestion and paging links."""

    items: list[AanpakSamenvatting]
    total: int = Field(description="Aantal gevonden aanpakken (alle pagina's).", examples=[24])
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[20])
    pages: int = Field(examples=[2])
    facets: dict[str, list[FacetWaarde]] = Field(
        description="Per facet de waarden met value, label, count en selected."
    )
    suggestion: str | None = Field(description="'Bedoelde u …'", examples=["ouderen eenzaamheid"])
    sort: Sortering
    mode: str = Field(description="and, or (ruimer gezocht) of all (zonder q).")
    version: str = Field(description="Versie van het corpus (inhoudshash).")
    links: Links


class Vergelijking(BaseModel):
    """2 to 4 approaches aligned field by field."""

    slugs: list[str]
    rijen: list[Vergelijkingsrij]
    aanpakken: list[AanpakDetail]


class Export(BaseModel):
    """The whole catalogue, for open-data reuse."""

    titel: str
    licentie: str
    bron: str
    versie: str
    gegenereerd_op: date
    api_versie: str
    aanpakken: list[AanpakDetail]
    erkenningsniveaus: list[NiveauOverzicht]


# -- the catalogue's answers, linked ---------------------------------------------------
# ``vars()`` hands the record's fields over as they are: nested records stay records.


def linked(item: Samenvatting, urls: Urls) -> AanpakSamenvatting:
    links = {"url": urls.api_aanpak(item.slug), "html_url": urls.aanpak(item.slug)}
    return AanpakSamenvatting.model_validate({**vars(item), **links})


def linked_detail(item: Detail, urls: Urls) -> AanpakDetail:
    links = {"url": urls.api_aanpak(item.slug), "html_url": urls.aanpak(item.slug)}
    related = [linked(r, urls) for r in item.related]
    return AanpakDetail.model_validate({**vars(item), **links, "related": related})


def linked_ladder(ladder: list[Trede], urls: Urls) -> list[NiveauOverzicht]:
    return [
        NiveauOverzicht.model_validate(
            {**vars(trede), "aanpakken": [linked(a, urls) for a in trede.aanpakken]}
        )
        for trede in ladder
    ]


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
        version=resultaat.version,
        links=Links(
            self=urls.here(),
            next=urls.here_on_page(resultaat.page + 1) if has_next else None,
            prev=urls.here_on_page(resultaat.page - 1) if resultaat.page > 1 else None,
        ),
    )


# -- the CSV --------------------------------------------------------------------------

CSV_COLUMNS = (*(veld.key for veld in EXPORT), "url", "html_url")


def csv_row(item: Samenvatting, urls: Urls) -> list[str]:
    """One CSV row; the links are absolute, for a spreadsheet that is opened anywhere."""
    links = (urls.absolute(urls.api_aanpak(item.slug)), urls.absolute(urls.aanpak(item.slug)))
    return [csv_cell(v) for v in (*(veld.read(item) for veld in EXPORT), *links)]


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, -, @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
