"""The public JSON API, version 1 (read-only): list, search, detail, compare, export."""

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from wijkwijzer import __version__
from wijkwijzer.catalogue.listing import MAX_PER_PAGE, NiveauOverzicht, OnbekendeAanpak, Resultaat
from wijkwijzer.catalogue.shapes import API_PREFIX, AanpakDetail
from wijkwijzer.catalogue.tabular import COMPARE_FIELDS, CSV_COLUMNS, compare_value, csv_row
from wijkwijzer.web.api.params import Filtervraag, Lijstvraag
from wijkwijzer.web.api.shapes import LICENTIE, Export, Lijst, Links, Vergelijking, Vergelijkingsrij
from wijkwijzer.web.deps import CatalogueDep
from wijkwijzer.web.errors import problem_responses

router = APIRouter(prefix=API_PREFIX, tags=["catalogus"])


def _page_link(request: Request, page: int) -> str:
    return str(request.url.include_query_params(page=page))


def _lijst(request: Request, resultaat: Resultaat) -> Lijst:
    has_next = resultaat.page < resultaat.pages
    return Lijst(
        **resultaat.model_dump(exclude={"facets"}),
        facets={f.name: f.values for f in resultaat.facets},
        links=Links(
            self=str(request.url),
            next=_page_link(request, resultaat.page + 1) if has_next else None,
            prev=_page_link(request, resultaat.page - 1) if resultaat.page > 1 else None,
        ),
    )


@router.get("/approaches", response_model=Lijst, responses=problem_responses(422))
def list_approaches(
    request: Request, catalogue: CatalogueDep, vraag: Annotated[Lijstvraag, Query()]
) -> Lijst:
    """Zoek en filter aanpakken. Filters binnen één facet: OF; tussen facetten: EN. De
    aantallen per facet gelden alsof de eigen selectie van dat facet er niet is."""
    return _lijst(request, catalogue.listing(vraag.zoekvraag(vraag.page, vraag.per_page)))


@router.get(
    "/approaches.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 met BOM)."},
        **problem_responses(422),
    },
)
def approaches_csv(
    request: Request, catalogue: CatalogueDep, vraag: Annotated[Filtervraag, Query()]
) -> Response:
    """Alle aanpakken die aan de filters voldoen, als CSV voor spreadsheets (UTF-8 met BOM)."""
    base = str(request.base_url).rstrip("/")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        resultaat = catalogue.listing(vraag.zoekvraag(page, MAX_PER_PAGE))
        writer.writerows(csv_row(item, base) for item in resultaat.items)
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
        waarden = [compare_value(a, veld) for a in aanpakken]
        verschillend = len(set(waarden)) > 1
        rijen.append(
            Vergelijkingsrij(veld=veld, label=label, waarden=waarden, verschillend=verschillend)
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
