"""The API's front door and its open-data description: ``/api/v1`` and ``catalog.jsonld``.

``GET /api/v1`` is an index document: every resource of the API, the OpenAPI
document and the docs, each with an absolute link, its media type and a Dutch
description, so a client can start there and follow links. ``catalog.jsonld``
describes the dataset in DCAT-AP (JSON-LD): a ``dcat:Catalog`` with one
``dcat:Dataset`` and its distributions (the CSV and ``export.json``), with the
licence and the publisher as the corpus states them (``LICENTIE``, the
vocabulary's ``bronnen``).
"""

import re
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from wijkwijzer import __version__
from wijkwijzer.corpus.vocabulary import Brondocument
from wijkwijzer.web.api.shapes import BRON, EXAMPLE_BASE, LICENTIE, TITEL
from wijkwijzer.web.deps import CatalogueDep, UrlsDep
from wijkwijzer.web.urls import API_PREFIX, Urls

JSON = "application/json"
CSV = "text/csv"
JSON_LD = "application/ld+json"
# Any one approach serves as the example of the links with a template.
EXAMPLE_SLUGS = ("buurtcirkel", "resto-vanharte")

router = APIRouter(prefix=API_PREFIX, tags=["catalogus"])


class Verwijzing(BaseModel):
    """Eén onderdeel van de API: waar het staat, wat het geeft en in welk formaat."""

    rel: str = Field(description="Naam van de verwijzing.", examples=["approaches"])
    href: str = Field(
        description="Absolute URL; met `templated` een sjabloon (RFC 6570) met `{slug}`.",
        examples=[f"{EXAMPLE_BASE}/api/v1/approaches"],
    )
    type: str = Field(description="Mediatype van het antwoord.", examples=[JSON])
    beschrijving: str = Field(examples=["Aanpakken zoeken en filteren."])
    templated: bool = Field(default=False, description="`href` is een sjabloon.")
    voorbeeld: str | None = Field(
        default=None,
        description="Bij een sjabloon: een ingevulde URL die werkt.",
        examples=[f"{EXAMPLE_BASE}/api/v1/approaches/buurtcirkel"],
    )


class ApiIndex(BaseModel):
    """De ingang van de API: alle onderdelen met hun absolute links."""

    titel: str
    beschrijving: str
    api_versie: str = Field(description="Versie van de software achter de API.")
    licentie: str
    links: list[Verwijzing]


def _template(link: str) -> str:
    """A link built with ``{slug}`` placeholders, with its braces as a URI template has them."""
    return link.replace("%7B", "{").replace("%7D", "}")


def verwijzingen(urls: Urls) -> list[Verwijzing]:
    """Every resource of the API (and its documentation), with absolute links.

    A resource that needs slugs is a template (``{slug}``), with a working example.
    """
    one, other = EXAMPLE_SLUGS
    pair = ["{slug1}", "{slug2}"]
    # rel, link, media type, description, example (for a template)
    rows: list[tuple[str, str, str, str, str | None]] = [
        ("self", urls.api(), JSON, "Deze ingang.", None),
        (
            "approaches",
            urls.api_listing(),
            JSON,
            "Aanpakken zoeken en filteren, per pagina, met facetten.",
            None,
        ),
        (
            "approach",
            urls.api_aanpak("{slug}"),
            JSON,
            "Eén aanpak met al haar velden.",
            urls.api_aanpak(one),
        ),
        (
            "approaches-csv",
            urls.api_csv(),
            CSV,
            "Alle aanpakken die aan de filters voldoen, als CSV.",
            None,
        ),
        (
            "compare",
            urls.api_vergelijk(pair),
            JSON,
            "2 tot 4 aanpakken veld voor veld naast elkaar.",
            urls.api_vergelijk([one, other]),
        ),
        (
            "compare-csv",
            urls.api_vergelijk(pair, csv=True),
            CSV,
            "De vergelijking als CSV.",
            urls.api_vergelijk([one, other], csv=True),
        ),
        (
            "erkenningsniveaus",
            urls.api_erkenningsniveaus(),
            JSON,
            "De erkenningsladder met aantallen en het overzicht per doelgroep.",
            None,
        ),
        ("export", urls.api_export(), JSON, "De hele catalogus in één bestand (open data).", None),
        (
            "catalog",
            urls.api_catalog(),
            JSON_LD,
            "Beschrijving van de dataset in DCAT-AP (JSON-LD).",
            None,
        ),
        (
            "feed",
            urls.feed(),
            "application/atom+xml",
            "De wijzigingen van de catalogus, nieuwste eerst (Atom; filters zoals de lijst).",
            None,
        ),
        ("service-desc", urls.openapi(), JSON, "Het OpenAPI-document van deze API.", None),
        ("service-doc", urls.docs(), "text/html", "De interactieve documentatie.", None),
    ]
    return [
        Verwijzing(
            rel=rel,
            href=_template(urls.absolute(link)),
            type=media,
            beschrijving=text,
            templated=example is not None,
            voorbeeld=urls.absolute(example) if example else None,
        )
        for rel, link, media, text, example in rows
    ]


def api_index(urls: Urls) -> ApiIndex:
    return ApiIndex(
        titel="WijkWijzer API",
        beschrijving="Openbare, alleen-lezen API van de WijkWijzer-catalogus. Volg de links.",
        api_versie=__version__,
        licentie=LICENTIE,
        links=verwijzingen(urls),
    )


@router.get(
    "",
    response_model=ApiIndex,
    summary="Ingang van de API",
    response_description="Alle onderdelen van de API met hun absolute links.",
)
def index(urls: UrlsDep) -> ApiIndex:
    """De ingang van de API: een link naar elk onderdeel, het OpenAPI-document en de
    documentatie, met mediatype en beschrijving."""
    return api_index(urls)


@router.get("/", response_model=ApiIndex, include_in_schema=False)
def index_with_slash(urls: UrlsDep) -> ApiIndex:
    return api_index(urls)


# -- DCAT-AP ----------------------------------------------------------------------------

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/NLD"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
_ORGANISATION = re.compile(r"\(([^()]+)\)")


def nl(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "nl"}


def uitgevers(bronnen: list[Brondocument]) -> list[str]:
    """The organisations the corpus's main source names (its first ``bron``), in order.

    ``Dunya Shamsaddini (Platform31), Anna Sobczyk-Turek (Movisie)`` gives Platform31
    and Movisie; a source without organisations in parentheses gives its authors.
    """
    auteurs = bronnen[0].auteurs or bronnen[0].titel
    found = list(dict.fromkeys(m.strip() for m in _ORGANISATION.findall(auteurs)))
    return found or [auteurs]


def distribution(
    urls: Urls, link: str, titel: str, media: str, kind: str, licence: dict[str, Any]
) -> dict[str, Any]:
    url = {"@id": urls.absolute(link)}
    return {
        "@id": urls.absolute(link),
        "@type": "dcat:Distribution",
        "dct:title": nl(titel),
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": {"@id": MEDIA_TYPE + media},
        "dct:format": {"@id": FILE_TYPE + kind},
        "dct:license": licence,
    }


def dcat(
    urls: Urls, bronnen: list[Brondocument], version: str, modified: datetime
) -> dict[str, Any]:
    """The DCAT-AP description of the catalogue as JSON-LD."""
    catalog = urls.absolute(urls.api_catalog())
    licence = {
        "@id": f"{catalog}#licentie",
        "@type": "dct:LicenseDocument",
        "rdfs:label": nl(LICENTIE),
    }
    publisher = [{"@type": "foaf:Agent", "foaf:name": naam} for naam in uitgevers(bronnen)]
    sources = [
        {
            "@type": "dct:BibliographicResource",
            "dct:title": nl(b.titel),
            **({"dct:creator": b.auteurs} if b.auteurs else {}),
            **({"dct:date": b.datum} if b.datum else {}),
            **({"foaf:page": {"@id": str(b.url)}} if b.url else {}),
        }
        for b in bronnen
    ]
    stamp = modified.astimezone(UTC).isoformat(timespec="seconds")
    modified_on = {"dct:modified": {"@value": stamp, "@type": "xsd:dateTime"}}
    dataset = {
        "@id": f"{catalog}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{catalog}#dataset",
        "dct:title": nl(TITEL),
        "dct:description": nl(
            "Methodische aanpakken en interventies voor leefbare wijken en buurten, met doel, "
            f"doelgroep, werkwijze, erkenningsniveau en geldigheid. Bron: {BRON}."
        ),
        "dct:language": {"@id": LANGUAGE},
        "dct:publisher": publisher,
        "dct:source": sources,
        "dct:license": licence,
        **modified_on,
        "owl:versionInfo": version,
        "dcat:keyword": [nl(w) for w in ("leefbaarheid", "wijkaanpak", "interventies")],
        "dcat:landingPage": {"@id": urls.absolute(urls.over())},
        "dcat:distribution": [
            distribution(
                urls, urls.api_csv(), "Alle aanpakken als CSV", "text/csv", "CSV", licence
            ),
            distribution(
                urls, urls.api_export(), "De hele catalogus als JSON", JSON, "JSON", licence
            ),
        ],
    }
    return {
        "@context": CONTEXT,
        "@id": catalog,
        "@type": "dcat:Catalog",
        "dct:title": nl("WijkWijzer"),
        "dct:description": nl(
            "Open catalogus van methodische aanpakken voor leefbare wijken en buurten."
        ),
        "dct:language": {"@id": LANGUAGE},
        "dct:publisher": publisher,
        "dct:license": licence,
        "foaf:homepage": {"@id": urls.absolute(urls.listing())},
        **modified_on,
        "dcat:dataset": [dataset],
    }


@router.get(
    "/catalog.jsonld",
    response_class=JSONResponse,
    summary="Beschrijving van de dataset (DCAT-AP)",
    responses={
        200: {
            "content": {JSON_LD: {}},
            "description": "Een dcat:Catalog met de dataset, haar distributies (CSV en JSON), "
            "licentie en uitgever, als JSON-LD.",
        }
    },
)
def catalog(catalogue: CatalogueDep, urls: UrlsDep) -> JSONResponse:
    """De catalogus als open data beschreven in DCAT-AP (JSON-LD), voor dataportalen zoals
    data.overheid.nl: de dataset, de CSV en `export.json`, de licentie en de uitgever."""
    versie = catalogue.versie()
    body = dcat(urls, versie.corpus.vocabulaire.bronnen, versie.hash, versie.laatst_gewijzigd)
    return JSONResponse(body, media_type=JSON_LD)
