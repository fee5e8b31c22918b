"""No cache poisoning through Host: a real server, real sockets, the response cache on.

A request names exactly one allowed host, or it gets a 400 before any route or
cache sees it; the links of every answer are built from that one host, or from
``WIJKWIJZER_PUBLIC_URL`` when it is set; the trailing-slash redirect uses the same
base. The attacks are sent as raw HTTP/1.1, as no client library would send them.
"""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.raw_http import raw_get
from tests.helpers.servers import Server, running_server
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus

EVIL = "evil.example"
PUBLIC = "https://wijkwijzer.example/sub"
API_LISTING = "/api/v1/approaches?per_page=1"
CSV = "/api/v1/approaches.csv"
# Pages and answers with absolute links, all kept by the response cache.
LINKED = ["/over", API_LISTING, CSV, "/vergelijk?slug=buurtcirkel&slug=futsal-chabbab"]


def start(tmp: Path, kind: str, **env: str) -> Iterator[Server]:
    settings = make_settings(tmp, MINI_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind=kind, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start(tmp_path_factory.mktemp("hosts"), "serve")


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start(tmp_path_factory.mktemp("public"), "uvicorn", WIJKWIJZER_PUBLIC_URL=PUBLIC)


def authority(server: Server) -> str:
    return server.url.removeprefix("http://")


def test_two_host_headers_are_refused_and_poison_nothing(server: Server) -> None:
    real = f"Host: {authority(server)}"
    for path in LINKED:
        for pair in ((f"Host: {EVIL}", real), (real, f"Host: {EVIL}")):
            refused = raw_get(server.url, path, *pair)
            assert refused.status == 400, (path, pair, refused.status)
            assert EVIL not in refused.text
            assert refused.header("cache-control") == "no-store"
    for path in LINKED:  # what a later visitor gets, from the cache or not
        for _ in range(2):
            answer = raw_get(server.url, path, real)
            assert answer.status == 200, path
            assert EVIL not in answer.text, path
            assert f"{server.url}/" in answer.text, path
    links = httpx.get(server.url + API_LISTING, timeout=30).json()["links"]
    assert links["self"] == server.url + API_LISTING
    assert links["next"].startswith(server.url + "/api/v1/approaches?")
    # the trailing-slash redirect: refused with two hosts, on the one host otherwise
    assert raw_get(server.url, "/over/", f"Host: {EVIL}", real).status == 400
    redirect = raw_get(server.url, "/api/v1/approaches/?q=buurt", real)
    assert redirect.status in (307, 308)
    assert redirect.header("location") == f"{server.url}/api/v1/approaches?q=buurt"


def test_a_host_that_is_not_allowed_is_refused_in_dutch(server: Server) -> None:
    port = server.url.rsplit(":", 1)[1]
    for host in (EVIL, f"{EVIL}:{port}", "127.0.0.1:1", "127.0.0.1", f"*:{port}", "a/b"):
        page = raw_get(server.url, "/over", f"Host: {host}")
        assert page.status == 400, host
        assert page.header("content-type") == "text/html; charset=utf-8"
        assert "deze server beantwoordt geen verzoeken voor deze host" in page.text
        api = raw_get(server.url, API_LISTING, f"Host: {host}")
        assert api.status == 400, host
        assert api.header("content-type") == "application/problem+json"
        assert EVIL not in api.text
    for host in (authority(server), f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        answer = raw_get(server.url, API_LISTING, f"Host: {host}")
        assert answer.status == 200, host
        assert f'"self":"http://{host.lower()}/api/v1/approaches?' in answer.text


def test_a_request_without_host_is_refused(server: Server) -> None:
    for path in ("/over", API_LISTING):
        answer = raw_get(server.url, path)
        assert answer.status == 400, path
        assert "de kop Host ontbreekt" in answer.text


def test_the_public_url_builds_every_link(public_server: Server) -> None:
    real = f"Host: {authority(public_server)}"
    for host in (real, f"Host: {EVIL}", real):  # any one host: no link uses it
        links = raw_get(public_server.url, API_LISTING, host)
        assert links.status == 200
        body = links.text
        assert f'"self":"{PUBLIC}{API_LISTING}"' in body
        assert f'"next":"{PUBLIC}/api/v1/approaches?per_page=1&page=2"' in body
        assert EVIL not in body
        assert "127.0.0.1" not in body
        for path in ("/over", CSV):
            answer = raw_get(public_server.url, path, host)
            assert f"{PUBLIC}/aanpak/buurtcirkel" in answer.text, path
            assert EVIL not in answer.text, path
            assert "127.0.0.1" not in answer.text, path
    redirect = raw_get(public_server.url, "/over/", f"Host: {EVIL}")
    assert redirect.header("location") == f"{PUBLIC}/over"
    assert raw_get(public_server.url, "/over", f"Host: {EVIL}", real).status == 400
