"""The database goes down while serving, and comes back: a real PostgreSQL server, stopped.

What a worker holds in memory (the version it read) it keeps answering from: that
is better than a 503. Whatever needs the database (the health check, a worker that
starts during the outage and has nothing in memory yet) answers 503 with
Retry-After: problem+json under the API, a Dutch page elsewhere, never a 500 with
a traceback. Each worker logs one line when the outage starts and one when it ends.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.pgserver import PgServer, running_postgres
from tests.helpers.servers import Server, running_server
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus

pytestmark = pytest.mark.postgres

API_URLS = [
    "/api/v1/approaches",
    "/api/v1/approaches?q=buurt",
    "/api/v1/approaches/buurtcirkel",
    "/api/v1/approaches/bestaat-niet",
    "/api/v1/compare?slug=buurtcirkel&slug=futsal-chabbab",
    "/api/v1/approaches.csv",
    "/api/v1/erkenningsniveaus",
    "/api/v1/export.json",
]
PAGES = ["/", "/?q=buurt", "/aanpak/buurtcirkel", "/vergelijk", "/erkenning", "/over"]
DOWN = "de database is niet bereikbaar"
BACK = "de database is weer bereikbaar"


@pytest.fixture
def postgres() -> Iterator[PgServer]:
    with running_postgres() as server:  # its own: this test stops it
        yield server


@pytest.fixture
def settings(tmp_path: Path, postgres: PgServer) -> Settings:
    settings = make_settings(tmp_path, MINI_CORPUS, database_url=postgres.create_database())
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    return settings


def wait_for(url: str, status: int, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(url, timeout=10)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def assert_unavailable(server: Server) -> None:
    for path in API_URLS:
        answer = httpx.get(server.url + path, timeout=30)
        assert answer.status_code == 503, path
        assert answer.headers["content-type"] == "application/problem+json", path
        assert answer.headers["retry-after"] == "30", path
        assert answer.json()["detail"].startswith("De catalogus is even niet bereikbaar"), path
    for path in PAGES:
        page = httpx.get(server.url + path, timeout=30)
        assert page.status_code == 503, path
        assert page.headers["content-type"] == "text/html; charset=utf-8", path
        assert page.headers["retry-after"] == "30", path
        assert "De catalogus is even niet bereikbaar" in page.text, path
        assert 'lang="nl"' in page.text


def test_a_database_outage_is_a_503_and_is_logged_once(
    settings: Settings, postgres: PgServer, tmp_path: Path
) -> None:
    with running_server(settings, tmp_path, kind="serve") as serving:
        assert httpx.get(serving.url + "/api/v1/approaches", timeout=30).status_code == 200
        postgres.stop()
        health = httpx.get(serving.url + "/healthz", timeout=30)
        assert health.status_code == 503
        assert health.json()["status"] == "fout"
        assert health.headers["retry-after"] == "30"
        # what this worker read before the outage it still answers, from memory
        for path in ["/api/v1/approaches?q=buurt", "/aanpak/buurtcirkel", "/over"]:
            assert httpx.get(serving.url + path, timeout=30).status_code == 200, path

        # a worker that starts during the outage has nothing in memory: 503 everywhere
        with running_server(settings, tmp_path, kind="uvicorn", healthy=False) as starting:
            for _ in range(3):
                assert_unavailable(starting)
            assert httpx.get(starting.url + "/healthz", timeout=30).status_code == 503
            postgres.start()
            assert wait_for(starting.url + "/healthz", 200).status_code == 200
            for path in [*API_URLS[:3], *PAGES]:
                assert httpx.get(starting.url + path, timeout=30).status_code == 200, path
            log = starting.log_text()
        assert wait_for(serving.url + "/healthz", 200).status_code == 200
        served_log = serving.log_text()

    assert log.count(DOWN) == 1, log
    assert log.count(BACK) == 1, log
    assert served_log.count(DOWN) == 1, served_log
    assert served_log.count(BACK) == 1, served_log
    for text in (log, served_log):
        assert "Traceback" not in text
        assert " 500 " not in text
