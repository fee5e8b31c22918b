"""The question of a listing: one parameter model, validated once, wherever it is asked.

The API takes it as its query model, the pages build it leniently from a URL
(dropping what they cannot use, see ``web/pages/params.py``), the CLI builds it
with ``zoekvraag()``. The service and the search trust it: whoever holds a
``Zoekvraag`` holds a valid one, so nothing below checks it again.
"""

from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import Any, get_args

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from wijkwijzer.catalogue.errors import OngeldigeVraag
from wijkwijzer.catalogue.facets import FACET_NAMES
from wijkwijzer.corpus.vocabulary import (
    Categorie,
    Doelgroep,
    Kenmerk,
    Niveau,
    Vorm,
    WerkzaamElement,
)

# The search keeps the limit it protects itself with; the question states it to its askers.
from wijkwijzer.search import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH

MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_LEEFTIJD = 120
REPEATABLE = " Herhaalbaar; waarden binnen één filter: OF."


class Sortering(StrEnum):
    RELEVANTIE = "relevantie"
    NAAM = "naam"
    ERKENNINGSNIVEAU = "erkenningsniveau"


class Filtervraag(BaseModel):
    """Text and filters of a listing (filters within a facet OR, across facets AND)."""

    model_config = ConfigDict(frozen=True)

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
        le=MAX_LEEFTIJD,
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

    @property
    def filters(self) -> dict[str, list[str]]:
        """The chosen codes per facet, for the facets with a choice (in facet order)."""
        chosen: dict[str, list[str]] = {}
        for name in FACET_NAMES:
            values: list[Enum] = getattr(self, name)
            if values:
                chosen[name] = [v.value for v in values]
        return chosen

    @property
    def effective_sort(self) -> Sortering:
        if self.sort and (self.sort != Sortering.RELEVANTIE or self.q.strip()):
            return self.sort
        return Sortering.RELEVANTIE if self.q.strip() else Sortering.NAAM

    def op_pagina(self, page: int, per_page: int) -> "Zoekvraag":
        """This listing's question for one page of it."""
        return Zoekvraag(**{**dict(self), "page": page, "per_page": per_page})


class Zoekvraag(Filtervraag):
    """Text, filters and one page of the result."""

    page: int = Field(
        default=1, ge=1, le=MAX_PAGE, description="Paginanummer, vanaf 1.", examples=[1]
    )
    per_page: int = Field(
        default=20,
        ge=1,
        le=MAX_PER_PAGE,
        description=f"Aanpakken per pagina (1–{MAX_PER_PAGE}).",
        examples=[20],
    )


def bounds(name: str) -> tuple[int, int]:
    """The lowest and highest value the number parameter `name` allows."""
    metadata = Zoekvraag.model_fields[name].metadata
    low = next(m.ge for m in metadata if isinstance(m, Ge) and isinstance(m.ge, int))
    high = next(m.le for m in metadata if isinstance(m, Le) and isinstance(m.le, int))
    return low, high


def allowed_values(name: str) -> list[str]:
    """The codes the enumerated parameter `name` (a facet, or sort) allows."""
    annotation = Zoekvraag.model_fields[name].annotation
    enum = next(a for a in (annotation, *get_args(annotation)) if _is_enum(a))
    return [member.value for member in enum]


def _is_enum(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def zoekvraag(data: Mapping[str, Any]) -> Zoekvraag:
    """The question for `data` (plain values, codes as text), or OngeldigeVraag in Dutch."""
    try:
        return Zoekvraag.model_validate(data)
    except ValidationError as exc:
        raise ongeldig(exc.errors()[0]) from None


def ongeldig(error: ErrorDetails) -> OngeldigeVraag:
    """The first problem of a question as the catalogue words it."""
    name = str(error["loc"][0])
    given = error.get("input")
    if name == "q":
        text = given if isinstance(given, str) else ""
        return OngeldigeVraag(
            "q", f"de zoektekst is {len(text)} tekens; het maximum is {MAX_QUERY_LENGTH}"
        )
    if name in FACET_NAMES or name == "sort":
        return OngeldigeVraag(name, f"onbekende waarde '{given}' voor {name}", allowed_values(name))
    if name in ("leeftijd", "page", "per_page"):
        low, high = bounds(name)
        unit = " jaar" if name == "leeftijd" else ""
        return OngeldigeVraag(name, f"{name} moet tussen {low} en {high}{unit} liggen")
    return OngeldigeVraag(name, f"{name}: {error['msg']}")
