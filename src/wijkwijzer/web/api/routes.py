"""The public JSON API, version 1 (read-only): list, search, detail, compare, export."""

import csv
import io

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel

from wijkwijzer import __version__
from wijkwijzer.catalogue.comparison import vergelijk
from wijkwijzer.catalogue.errors import OnbekendeAanpak
from wijkwijzer.catalogue.question import MAX_PER_PAGE
from wijkwijzer.web.api.params import CompareSlugs, FilterParams, ListingParams, SlugPath
from wijkwijzer.web.api.shapes import (
    BRON,
    CSV_COLUMNS,
    LICENTIE,
    TITEL,
    AanpakDetail,
    Export,
    Lijst,
    NiveauOverzicht,
    Vergelijking,
    csv_cell,
    csv_row,
    lijst,
    linked_detail,
    linked_ladder,
)
from wijkwijzer.web.deps import CatalogueDep, UrlsDep
from wijkwijzer.web.errors import problem_responses
from wijkwijzer.web.inline import answer
from wijkwijzer.web.urls import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["catalogus"])


@router.get(
    "/approaches",
    response_model=Lijst,
    summary="Aanpakken zoeken en filteren",
    response_description="Eén pagina aanpakken, met facetten en links.",
    responses=problem_responses(422),
)
async def list_approaches(catalogue: CatalogueDep, urls: UrlsDep, vraag: ListingParams) -> Response:
    """Zoek en filter aanpakken. Filters binnen één facet: OF; tussen facetten: EN. De
    aantallen per facet gelden alsof de eigen selectie van dat facet er niet is."""
    return await answer(catalogue, lambda: json_response(lijst(catalogue.listing(vraag), urls)))


def json_response(answer: BaseModel) -> Response:
    """`answer` as JSON, serialised once by its own model (the response model checks nothing
    more: the answer was built from validated parts)."""
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get(
    "/approaches.csv",
    response_class=Response,
    summary="Aanpakken als CSV",
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 met BOM)."},
        **problem_responses(422),
    },
)
def approaches_csv(catalogue: CatalogueDep, urls: UrlsDep, vraag: FilterParams) -> Response:
    """Alle aanpakken die aan de filters voldoen, als CSV voor spreadsheets (UTF-8 met BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    page = 1
    while True:
        resultaat = catalogue.listing(vraag.op_pagina(page, MAX_PER_PAGE))
        writer.writerows(csv_row(item, urls) for item in resultaat.items)
        if page >= resultaat.pages:
            break
        page += 1
    return csv_response(out, "wijkwijzer-aanpakken.csv")


def csv_response(out: io.StringIO, filename: str) -> Response:
    """CSV text as a download, with a BOM so spreadsheets read it as UTF-8."""
    return Response(
        content="\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/approaches/{slug}",
    response_model=AanpakDetail,
    summary="Eén aanpak",
    response_description="De aanpak met al haar velden.",
    responses=problem_responses(404, 422),
)
def get_approach(slug: SlugPath, catalogue: CatalogueDep, urls: UrlsDep) -> AanpakDetail:
    """Alle velden van één aanpak, met geldigheid van de erkenning en 3–5 verwante aanpakken."""
    found = catalogue.get(slug)
    if found is None:
        raise OnbekendeAanpak(slug, [a.slug for a in catalogue.close_matches(slug)])
    return linked_detail(found, urls)


@router.get(
    "/compare",
    response_model=Vergelijking,
    summary="Aanpakken vergelijken",
    response_description="De aanpakken veld voor veld naast elkaar.",
    responses=problem_responses(404, 422),
)
def compare(catalogue: CatalogueDep, urls: UrlsDep, slug: CompareSlugs) -> Vergelijking:
    """Vergelijk 2 tot 4 aanpakken veld voor veld."""
    aanpakken = catalogue.compare(slug)
    return Vergelijking(
        slugs=[a.slug for a in aanpakken],
        rijen=vergelijk(aanpakken),
        aanpakken=[linked_detail(a, urls) for a in aanpakken],
    )


@router.get(
    "/compare.csv",
    response_class=Response,
    summary="Vergelijking als CSV",
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 met BOM)."},
        **problem_responses(404, 422),
    },
)
def compare_csv(catalogue: CatalogueDep, slug: CompareSlugs) -> Response:
    """De vergelijking van 2 tot 4 aanpakken als CSV: per veld een rij, per aanpak een kolom."""
    aanpakken = catalogue.compare(slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["veld", "label", *(a.naam for a in aanpakken)])
    for rij in vergelijk(aanpakken):
        writer.writerow([rij.veld, rij.label, *(csv_cell(w) for w in rij.waarden)])
    return csv_response(out, "wijkwijzer-vergelijking.csv")


@router.get(
    "/erkenningsniveaus",
    response_model=list[NiveauOverzicht],
    summary="De erkenningsladder",
    response_description="De erkenningsniveaus, sterkste bewijs eerst.",
)
def erkenningsniveaus(catalogue: CatalogueDep, urls: UrlsDep) -> list[NiveauOverzicht]:
    """De erkenningsladder (sterkste bewijs eerst) met definitie, geldigheid en de aanpakken
    op elk niveau. Per niveau telt `termijnen` de aanpakken per geldigheid op de peildatum, en
    geeft `per_doelgroep` het overzicht doelgroep × erkenningsniveau: per doelgroep het aantal,
    de geldigheid en de link naar precies die lijst."""
    return linked_ladder(catalogue.ladder(), urls)


@router.get(
    "/export.json",
    response_model=Export,
    summary="De hele catalogus",
    response_description="Alle aanpakken en erkenningsniveaus in één bestand.",
)
def export(catalogue: CatalogueDep, urls: UrlsDep) -> Export:
    """De hele catalogus in één bestand, voor hergebruik als open data."""
    versie = catalogue.versie()
    details = [catalogue.get(a.slug) for a in versie.corpus.aanpakken]
    return Export(
        titel=TITEL,
        licentie=LICENTIE,
        bron=BRON,
        version=versie.hash,
        versie=versie.hash,
        gegenereerd_op=catalogue.today(),
        api_versie=__version__,
        aanpakken=[linked_detail(d, urls) for d in details if d is not None],
        erkenningsniveaus=linked_ladder(catalogue.ladder(), urls),
    )
