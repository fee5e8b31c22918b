"""What a user sees stays the same: the OpenAPI document, every page type and the API answers.

Each URL's answer on the real corpus and the fixed peildatum is compared byte for
byte with a committed snapshot in ``tests/snapshots/``. A change that is meant to
show (a new field, a new text) updates them deliberately::

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_snapshots.py

and the diff of the snapshots is then part of the change under review.
"""

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.helpers.settings import PEILDATUM, REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app

SNAPSHOTS = Path(__file__).parent / "snapshots"
# When the snapshots' catalogue was loaded: the morning of the peildatum.
GELADEN = datetime.combine(PEILDATUM, time(9, 0), tzinfo=UTC)
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


def _slugs() -> list[str]:
    data = yaml.safe_load(REAL_CORPUS.read_text("utf-8"))
    return [a["slug"] for a in data["aanpakken"]]


URLS = [
    "/openapi.json",
    "/",
    "/?q=eenzame+ouderen",
    "/?q=eenzaamhied",
    "/?q=buurt&page=2&per_page=5",
    "/?doelgroep=jongeren&sort=erkenningsniveau",
    "/?doelgroep=ouderen&doelgroep=jongeren&vorm=onzin&leeftijd=14",
    "/?q=qqqzzz",
    *(f"/aanpak/{slug}" for slug in _slugs()),
    "/aanpak/buurtcirkle",
    "/vergelijk",
    "/vergelijk?slug=buurtcirkel&slug=resto-vanharte&slug=abcd-methode",
    "/erkenning",
    "/over",
    "/api/v1/approaches?q=eenzame%20ouderen&per_page=5",
    "/api/v1/approaches?doelgroep=jongeren&sort=erkenningsniveau",
    "/api/v1/approaches?doelgroep=onzin",
    "/api/v1/approaches/buurtbemiddeling",
    "/api/v1/approaches/buurtcirkle",
    "/api/v1/compare?slug=goldensports&slug=resto-vanharte",
    "/api/v1/erkenningsniveaus",
    "/api/v1/approaches.csv?categorie=interventie",
    "/api/v1/export.json",
    "/api/v1",
    "/api/v1/catalog.jsonld",
    "/feed.atom",
    "/feed.atom?doelgroep=jongeren",
    "/embed?doelgroep=ouderen",
    "/sitemap.xml",
    "/robots.txt",
    "/opensearch.xml",
]


def snapshot_name(url: str) -> str:
    """A file name for `url`: its characters outside [a-z0-9] become '_'."""
    stem = re.sub(r"[^a-z0-9]+", "_", url.lower()).strip("_") or "index"
    return f"{stem}.txt"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings: Settings = make_settings(
        tmp_path_factory.mktemp("snapshots"), REAL_CORPUS, response_cache_mb=0
    )
    corpus = load_corpus(settings.corpus, settings.vocabulaire)
    load_catalogue(settings, corpus, now=GELADEN)  # "laatst gewijzigd" and the feed's times
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_every_url_has_its_own_snapshot_file() -> None:
    names = [snapshot_name(u) for u in URLS]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("url", URLS)
def test_answer_is_unchanged(client: TestClient, url: str) -> None:
    response = client.get(url)
    shown = f"{response.status_code} {response.headers.get('content-type')}\n\n".encode()
    shown += response.content
    path = SNAPSHOTS / snapshot_name(url)
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(shown)
    assert path.is_file(), f"geen snapshot van {url}: draai met UPDATE_SNAPSHOTS=1"
    assert shown.decode() == path.read_bytes().decode(), f"het antwoord op {url} is veranderd"
