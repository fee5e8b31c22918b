"""The public JSON API, version 1 (read-only): list, search, detail, compare, export."""

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from wijkwijzer import __version__
from wijkwijzer.catalogue import (
    MAX_PER_PAGE,
    FacetWaarde,
    NiveauOverzicht,
    OnbekendeAanpak,
    Resultaat,
    Sortering,
    Zoekvraag,
)
from wijkwijzer.deps import CatalogueDep
from wijkwijzer.errors import problem_responses
from wijkwijzer.public import API_PREFIX, AanpakDetail, AanpakSamenvatting
from wijkwijzer.search import MAX_QUERY_LENGTH
from wijkwijzer.vocab import Categorie, Doelgroep, Kenmerk, Niveau, Vorm, WerkzaamElement

router = APIRouter(prefix=API_PREFIX, tags=["catalogus"])

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


def _repeatable(description: str, example: str) -> Any:
    return Query(
        description=description + " Herhaalbaar; waarden binnen één filter: OF.",
        examples=[[example]],
    )


Q = Annotated[
    str,
    Query(
        max_length=MAX_QUERY_LENGTH,
        description="Zoektekst in gewone taal (Nederlands); synoniemen en samenstellingen tellen "
        f"mee. Hoogstens {MAX_QUERY_LENGTH} tekens.",
        examples=["ouderen eenzaamheid"],
    ),
]
DoelgroepQ = Annotated[list[Doelgroep], _repeatable("Doelgroep.", "ouderen")]
NiveauQ = Annotated[list[Niveau], _repeatable("Erkenningsniveau.", "goed-beschreven")]
VormQ = Annotated[list[Vorm], _repeatable("Vorm van de beschrijving.", "methodebeschrijving")]
CategorieQ = Annotated[list[Categorie], _repeatable("Categorie.", "interventie")]
KenmerkQ = Annotated[list[Kenmerk], _repeatable("Terugkerend kenmerk.", "krachten-en-talenten")]
ElementQ = Annotated[list[WerkzaamElement], _repeatable("Werkzaam element.", "empowerment")]
LeeftijdQ = Annotated[
    int | None,
    Query(
        ge=0,
        le=120,
        description="Een leeftijd in jaren: aanpakken waarvan de genoemde "
        "leeftijdsgrenzen die leeftijd omvatten.",
        examples=[70],
    ),
]
SortQ = Annotated[
    Sortering | None,
    Query(
        description="relevantie (standaard met q), naam (standaard zonder q) of "
        "erkenningsniveau (sterkste bewijs eerst).",
        examples=["erkenningsniveau"],
    ),
]
PageQ = Annotated[int, Query(ge=1, le=100_000, description="Paginanummer, vanaf 1.", examples=[1])]
PerPageQ = Annotated[
    int, Query(ge=1, le=MAX_PER_PAGE, description="Aanpakken per pagina (1–100).", examples=[20])
]


def _vraag(
    q: str,
    doelgroep: list[Doelgroep],
    leeftijd: int | None,
    erkenningsniveau: list[Niveau],
    vorm: list[Vorm],
    categorie: list[Categorie],
    kenmerk: list[Kenmerk],
    werkzaam_element: list[WerkzaamElement],
    sort: Sortering | None,
    page: int,
    per_page: int,
) -> Zoekvraag:
    filters: dict[
        str,
        list[Doelgroep]
        | list[Niveau]
        | list[Vorm]
        | list[Categorie]
        | list[Kenmerk]
        | list[WerkzaamElement],
    ] = {
        "doelgroep": doelgroep,
        "erkenningsniveau": erkenningsniveau,
        "vorm": vorm,
        "categorie": categorie,
        "kenmerk": kenmerk,
        "werkzaam_element": werkzaam_element,
    }
    return Zoekvraag(
        q=q,
        filters={name: [v.value for v in values] for name, values in filters.items() if values},
        leeftijd=leeftijd,
        sort=sort,
        page=page,
        per_page=per_page,
    )


def _page_link(request: Request, page: int) -> str:
    return str(request.url.include_query_params(page=page))


def _lijst(request: Request, resultaat: Resultaat) -> Lijst:
    facets = {f.name: f.values for f in resultaat.facets}
    return Lijst(
        **resultaat.model_dump(exclude={"facets"}),
        facets=facets,
        links=Links(
            self=str(request.url),
            next=_page_link(request, resultaat.page + 1)
            if resultaat.page < resultaat.pages
            else None,
            prev=_page_link(request, resultaat.page - 1) if resultaat.page > 1 else None,
        ),
    )


@router.get("/approaches", response_model=Lijst, responses=problem_responses(422))
def list_approaches(
    request: Request,
    catalogue: CatalogueDep,
    q: Q = "",
    doelgroep: DoelgroepQ = [],  # noqa: B006 - FastAPI copies defaults
    leeftijd: LeeftijdQ = None,
    erkenningsniveau: NiveauQ = [],  # noqa: B006
    vorm: VormQ = [],  # noqa: B006
    categorie: CategorieQ = [],  # noqa: B006
    kenmerk: KenmerkQ = [],  # noqa: B006
    werkzaam_element: ElementQ = [],  # noqa: B006
    sort: SortQ = None,
    page: PageQ = 1,
    per_page: PerPageQ = 20,
) -> Lijst:
    """Zoek en filter aanpakken. Filters binnen één facet: OF; tussen facetten: EN. De
    aantallen per facet gelden alsof de eigen selectie van dat facet er niet is."""
    vraag = _vraag(
        q,
        doelgroep,
        leeftijd,
        erkenningsniveau,
        vorm,
        categorie,
        kenmerk,
        werkzaam_element,
        sort,
        page,
        per_page,
    )
    return _lijst(request, catalogue.listing(vraag))


CSV_COLUMNS = (
    "slug",
    "naam",
    "categorie",
    "vorm",
    "doel",
    "doelgroepen",
    "leeftijd_min",
    "leeftijd_max",
    "erkenningsniveau",
    "erkenning_jaar",
    "erkenning_status",
    "geldig_tot",
    "databank",
    "url",
    "html_url",
)


def _csv_row(item: AanpakSamenvatting, base: str) -> list[str]:
    e = item.erkenning
    values: list[object] = [
        item.slug,
        item.naam,
        item.categorie.label,
        item.vorm.label,
        item.doel,
        "; ".join(d.label for d in item.doelgroepen),
        item.leeftijd_min,
        item.leeftijd_max,
        e.label,
        e.jaar,
        e.status,
        e.geldig_tot,
        e.databank,
        base + item.url,
        base + item.html_url,
    ]
    return ["" if v is None else str(v) for v in values]


@router.get(
    "/approaches.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 met BOM)."},
        **problem_responses(422),
    },
)
def approaches_csv(
    request: Request,
    catalogue: CatalogueDep,
    q: Q = "",
    doelgroep: DoelgroepQ = [],  # noqa: B006
    leeftijd: LeeftijdQ = None,
    erkenningsniveau: NiveauQ = [],  # noqa: B006
    vorm: VormQ = [],  # noqa: B006
    categorie: CategorieQ = [],  # noqa: B006
    kenmerk: KenmerkQ = [],  # noqa: B006
    werkzaam_element: ElementQ = [],  # noqa: B006
    sort: SortQ = None,
) -> Response:
    """Alle aanpakken die aan de filters voldoen, als CSV voor spreadsheets (UTF-8 met BOM)."""
    base = str(request.base_url).rstrip("/")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        vraag = _vraag(
            q,
            doelgroep,
            leeftijd,
            erkenningsniveau,
            vorm,
            categorie,
            kenmerk,
            werkzaam_element,
            sort,
            page,
            MAX_PER_PAGE,
        )
        resultaat = catalogue.listing(vraag)
        writer.writerows(_csv_row(item, base) for item in resultaat.items)
        if page >= resultaat.pages:
            break
        page += 1
    return Response(
        content="\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="wijkwijzer-aanpakken.csv"'},
    )


SlugPath = Annotated[
    str, Path(max_length=200, description="De slug van de aanpak.", examples=["buurtcirkel"])
]


@router.get("/approaches/{slug}", response_model=AanpakDetail, responses=problem_responses(404))
def get_approach(slug: SlugPath, catalogue: CatalogueDep) -> AanpakDetail:
    """Alle velden van één aanpak, met geldigheid van de erkenning en 3–5 verwante aanpakken."""
    found = catalogue.get(slug)
    if found is None:
        raise OnbekendeAanpak(slug, [a.slug for a in catalogue.close_matches(slug)])
    return found


COMPARE_FIELDS = (
    ("categorie", "Categorie"),
    ("doel", "Doel"),
    ("doelgroep", "Doelgroep"),
    ("doelgroepen", "Doelgroepen"),
    ("leeftijd", "Leeftijd"),
    ("omschrijving", "Omschrijving"),
    ("uitvoerders", "Uitvoerders"),
    ("vorm", "Vorm"),
    ("stappen", "Stappen"),
    ("erkenningsniveau", "Erkenningsniveau"),
    ("erkenning_jaar", "Jaar van het oordeel"),
    ("erkenning_geldigheid", "Geldigheid"),
    ("databank", "Databank"),
    ("kenmerken", "Kenmerken"),
    ("werkzame_elementen", "Werkzame elementen"),
    ("bron", "Bron"),
)


def _compare_value(a: AanpakDetail, veld: str) -> str | None:
    values: dict[str, object] = {
        "categorie": a.categorie.label,
        "vorm": a.vorm.label,
        "doelgroepen": ", ".join(d.label for d in a.doelgroepen) or None,
        "leeftijd": _leeftijd(a.leeftijd_min, a.leeftijd_max),
        "stappen": "; ".join(s.titel for s in a.stappen) or None,
        "erkenningsniveau": a.erkenning.label,
        "erkenning_jaar": a.erkenning.jaar,
        "erkenning_geldigheid": a.erkenning.geldigheid,
        "databank": a.erkenning.databank,
        "kenmerken": ", ".join(k.label for k in a.kenmerken) or None,
        "werkzame_elementen": ", ".join(w.label for w in a.werkzame_elementen) or None,
        "bron": a.bron.url or a.bron.titel,
    }
    value = values[veld] if veld in values else getattr(a, veld)
    return None if value is None else str(value)


def _leeftijd(low: int | None, high: int | None) -> str | None:
    if low is None and high is None:
        return None
    if high is None:
        return f"vanaf {low} jaar"
    return f"{low or 0} tot {high} jaar"


@router.get("/compare", response_model=Vergelijking, responses=problem_responses(404, 422))
def compare(
    catalogue: CatalogueDep,
    slug: Annotated[
        list[str],
        Query(
            min_length=2,
            max_length=4,
            description="2 tot 4 slugs, in de gewenste volgorde.",
            examples=[["buurtcirkel", "resto-vanharte"]],
        ),
    ],
) -> Vergelijking:
    """Vergelijk 2 tot 4 aanpakken veld voor veld."""
    aanpakken = catalogue.compare(slug)
    rijen = []
    for veld, label in COMPARE_FIELDS:
        waarden = [_compare_value(a, veld) for a in aanpakken]
        rijen.append(
            Vergelijkingsrij(
                veld=veld, label=label, waarden=waarden, verschillend=len(set(waarden)) > 1
            )
        )
    return Vergelijking(slugs=[a.slug for a in aanpakken], rijen=rijen, aanpakken=aanpakken)


@router.get("/erkenningsniveaus", response_model=list[NiveauOverzicht])
def erkenningsniveaus(catalogue: CatalogueDep) -> list[NiveauOverzicht]:
    """De erkenningsladder (sterkste bewijs eerst) met definitie, geldigheid en de aanpakken
    op elk niveau."""
    return catalogue.ladder()


@router.get("/export.json", response_model=Export)
def export(catalogue: CatalogueDep) -> Export:
    """De hele catalogus in één bestand, voor hergebruik als open data."""
    versie = catalogue.versie()
    details = [catalogue.get(a.slug) for a in versie.corpus.aanpakken]
    return Export(
        titel="WijkWijzer: methodische aanpakken voor leefbare wijken en buurten",
        licentie=LICENTIE,
        bron="WijkWijzer (Platform31 en Movisie, december 2024) en de brondocumenten per aanpak",
        versie=versie.hash,
        gegenereerd_op=catalogue.today(),
        api_versie=__version__,
        aanpakken=[d for d in details if d is not None],
        erkenningsniveaus=catalogue.ladder(),
    )
