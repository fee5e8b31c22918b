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
from wijkwijzer.corpus.validity import BINNENKORT_MAANDEN, Termijn
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
    GELDIG_TOT = "geldig_tot"


# The honest level sort, in words: for the API's description and next to the page's control.
NIVEAU_VOLGORDE = (
    "eerst de erkenningen die op de peildatum gelden (sterkste niveau eerst), dan die met een "
    "onbekend jaar, dan de verlopen erkenningen, dan de aanpakken zonder erkenning"
)
GELDIG_TOT_VOLGORDE = (
    "de erkenning die het langst geldt eerst, dan de verlopen erkenningen (de laatst verlopen "
    "eerst), dan die met een onbekend jaar, dan de aanpakken zonder erkenning"
)


class Filtervraag(BaseModel):
    """Zoektekst en filters van een lijst (binnen één facet: OF; tussen facetten: EN)."""

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
        "leeftijd omvatten, en aanpakken waarvan de bron geen leeftijdsgrens noemt (die dragen "
        "leeftijd_genoemd=false; het antwoord telt ze in zonder_leeftijd). Met "
        "alleen_met_leeftijd=true alleen aanpakken met een genoemde grens.",
        examples=[70],
    )
    alleen_met_leeftijd: bool = Field(
        default=False,
        description="Met leeftijd: laat de aanpakken weg waarvan de bron geen leeftijdsgrens "
        "noemt.",
        examples=[False],
    )
    erkenningsniveau: list[Niveau] = Field(
        default=[], description="Erkenningsniveau." + REPEATABLE, examples=[["goed-beschreven"]]
    )
    geldigheid: list[Termijn] = Field(
        default=[],
        description="Geldigheid van de erkenning op de peildatum: actueel, verloopt-binnenkort "
        f"(eindigt binnen {BINNENKORT_MAANDEN} maanden), onbekend (jaar van het oordeel "
        "onbekend), verlopen of n.v.t. (geen erkenning). Elke aanpak heeft precies één waarde; "
        "wie alles wil wat nu geldt, kiest actueel en verloopt-binnenkort." + REPEATABLE,
        examples=[["actueel", "verloopt-binnenkort"]],
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
        description="relevantie (standaard met q), naam (standaard zonder q), "
        f"erkenningsniveau ({NIVEAU_VOLGORDE}) of geldig_tot ({GELDIG_TOT_VOLGORDE}).",
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
    """Zoektekst, filters en één pagina van het resultaat."""

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
    return OngeldigeVraag(name, f"{name}: {melding(error)}")


def melding(error: Mapping[str, Any]) -> str:
    """A validation error of Pydantic (its `type`, `ctx`, `input`) in Dutch, never in English.

    The API's 422 and `ongeldig` word every error with it; a kind of error it
    does not know gets a general Dutch sentence, not Pydantic's English `msg`.
    """
    kind, ctx, given = error.get("type", ""), error.get("ctx") or {}, error.get("input")
    if kind in ("enum", "literal_error"):
        return f"onbekende waarde {given!r}; toegestaan: {_of(str(ctx.get('expected', '')))}"
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"verwacht een geheel getal, kreeg {given!r}"
    bound = next((ctx[k] for k in ("le", "lt", "ge", "gt") if k in ctx), None)
    messages = {
        "less_than_equal": f"moet hoogstens {bound} zijn, kreeg {given!r}",
        "less_than": f"moet kleiner dan {bound} zijn, kreeg {given!r}",
        "greater_than_equal": f"moet minstens {bound} zijn, kreeg {given!r}",
        "greater_than": f"moet groter dan {bound} zijn, kreeg {given!r}",
        "float_parsing": f"verwacht een getal, kreeg {given!r}",
        "float_type": f"verwacht een getal, kreeg {given!r}",
        "bool_parsing": f"verwacht true of false (ook 1 of 0), kreeg {given!r}",
        "bool_type": f"verwacht true of false (ook 1 of 0), kreeg {given!r}",
        "string_type": "verwacht tekst",
        "string_too_short": f"te kort: minstens {ctx.get('min_length')} tekens",
        "string_too_long": f"te lang: hoogstens {ctx.get('max_length')} tekens",
        "string_pattern_mismatch": f"heeft niet de verwachte vorm, kreeg {given!r}",
        "too_short": f"te weinig waarden: minstens {ctx.get('min_length')}",
        "too_long": f"te veel waarden: hoogstens {ctx.get('max_length')}",
        "list_type": "verwacht een lijst van waarden",
        "date_parsing": f"verwacht een datum (JJJJ-MM-DD), kreeg {given!r}",
        "date_from_datetime_parsing": f"verwacht een datum (JJJJ-MM-DD), kreeg {given!r}",
        "date_type": f"verwacht een datum (JJJJ-MM-DD), kreeg {given!r}",
        "missing": "verplicht",
        "extra_forbidden": "onbekende parameter",
    }
    return messages.get(kind, f"ongeldige waarde {given!r}")


def _of(expected: str) -> str:
    """Pydantic's list of what is allowed (``'a', 'b' or 'c'``) with a Dutch ``of``."""
    head, sep, last = expected.rpartition(" or ")
    return f"{head} of {last}" if sep else expected
