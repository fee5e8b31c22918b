"""The query parameters of the listing endpoints, documented once, as Pydantic models."""

from pydantic import BaseModel, Field

from wijkwijzer.catalogue.facets import FACET_NAMES
from wijkwijzer.catalogue.listing import MAX_PER_PAGE, Sortering, Zoekvraag
from wijkwijzer.corpus.vocabulary import (
    Categorie,
    Doelgroep,
    Kenmerk,
    Niveau,
    Vorm,
    WerkzaamElement,
)
from wijkwijzer.search import MAX_QUERY_LENGTH

REPEATABLE = " Herhaalbaar; waarden binnen één filter: OF."


class Filtervraag(BaseModel):
    """Text and filters of a listing (filters within a facet OR, across facets AND)."""

    q: str = Field(
        default="",
        max_length=MAX_QUERY_LENGTH,
        description="Zoektekst in gewone taal (Nederlands); synoniemen en samenstellingen tellen "
        f"mee. Hoogstens {MAX_QUERY_LENGTH} tekens.",
        examples=["ouderen eenzaamheid"],
    )
    doelgroep: list[Doelgroep] = Field(
        default=[], description="Doelgroep." + REPEATABLE, examples=[["ouderen"]]
    )
    leeftijd: int | None = Field(
        default=None,
        ge=0,
        le=120,
        description="Een leeftijd in jaren: aanpakken waarvan de genoemde leeftijdsgrenzen die "
        "leeftijd omvatten.",
        examples=[70],
    )
    erkenningsniveau: list[Niveau] = Field(
        default=[], description="Erkenningsniveau." + REPEATABLE, examples=[["goed-beschreven"]]
    )
    vorm: list[Vorm] = Field(
        default=[],
        description="Vorm van de beschrijving." + REPEATABLE,
        examples=[["methodebeschrijving"]],
    )
    categorie: list[Categorie] = Field(
        default=[], description="Categorie." + REPEATABLE, examples=[["interventie"]]
    )
    kenmerk: list[Kenmerk] = Field(
        default=[],
        description="Terugkerend kenmerk." + REPEATABLE,
        examples=[["krachten-en-talenten"]],
    )
    werkzaam_element: list[WerkzaamElement] = Field(
        default=[], description="Werkzaam element." + REPEATABLE, examples=[["empowerment"]]
    )
    sort: Sortering | None = Field(
        default=None,
        description="relevantie (standaard met q), naam (standaard zonder q) of "
        "erkenningsniveau (sterkste bewijs eerst).",
        examples=["erkenningsniveau"],
    )

    def zoekvraag(self, page: int = 1, per_page: int = 20) -> Zoekvraag:
        """The catalogue's question for one page of this listing."""
        filters = {
            name: [value.value for value in getattr(self, name)]
            for name in FACET_NAMES
            if getattr(self, name)
        }
        return Zoekvraag(
            q=self.q,
            filters=filters,
            leeftijd=self.leeftijd,
            sort=self.sort,
            page=page,
            per_page=per_page,
        )


class Lijstvraag(Filtervraag):
    """Text, filters and one page of the result."""

    page: int = Field(
        default=1, ge=1, le=100_000, description="Paginanummer, vanaf 1.", examples=[1]
    )
    per_page: int = Field(
        default=20,
        ge=1,
        le=MAX_PER_PAGE,
        description=f"Aanpakken per pagina (1–{MAX_PER_PAGE}).",
        examples=[20],
    )
