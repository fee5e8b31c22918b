"""Response shapes that only the API has: a page with links, a comparison, the export."""

from datetime import date

from pydantic import BaseModel, Field

from wijkwijzer.catalogue.listing import FacetWaarde, NiveauOverzicht, Sortering
from wijkwijzer.catalogue.shapes import AanpakDetail, AanpakSamenvatting

LICENTIE = (
    "Code: EUPL-1.2. Teksten: overgenomen uit de genoemde brondocumenten (WijkWijzer, "
    "Platform31 en Movisie, december 2024; Kan wél!, LSA; Klimmen Op Eigen Kracht; Samen Lukt "
    "Het Zelf; Movisie, Werkzame elementen bij buurtontwikkeling, 2014); vermeld de bron bij "
    "hergebruik."
)


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


class Vergelijkingsrij(BaseModel):
    veld: str = Field(examples=["doel"])
    label: str = Field(examples=["Doel"])
    waarden: list[str | None] = Field(description="Per aanpak de waarde, in de gevraagde volgorde.")
    verschillend: bool = Field(description="Verschillen de waarden?")


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
