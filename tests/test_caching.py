"""The response cache: repeated requests answered from memory, exactly as computed.

Real app, real SQLite file and index in ``tmp_path``. An answer kept in memory
must be the answer the app would compute now: a reload, a new day, another host
or another origin never gets an answer meant for something else.
"""

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.settings import make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app
from wijkwijzer.web.middleware.caching import ResponseStore

API = "/api/v1"
# Every kind of answer the cache keeps: API list, search, detail, comparison, ladder,
# export and CSV; the listing page, a detail page, the comparison, the ladder, about.
CACHED = [
    f"{API}/approaches?q=jongeren+sport",
    f"{API}/approaches?doelgroep=jongeren&sort=naam",
    f"{API}/approaches/buurtcirkel",
    f"{API}/compare?slug=buurtcirkel&slug=futsal-chabbab",
    f"{API}/erkenningsniveaus",
    f"{API}/export.json",
    f"{API}/approaches.csv",
    "/",
    "/?q=jongeren+sport",
    "/aanpak/buurtcirkel",
    "/vergelijk?slug=buurtcirkel&slug=abcd-methode",
    "/erkenning",
    "/over",
]
COMPUTING = ("listing", "get", "compare", "ladder", "close_matches")


def loaded(settings: Settings, corpus: Path | None = None) -> str:
    return load_catalogue(
        settings, load_corpus(corpus or settings.corpus, settings.vocabulaire)
    ).content_hash


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    loaded(settings)
    with TestClient(create_app(settings)) as client:
        yield client


def store(client: TestClient) -> ResponseStore:
    kept: ResponseStore = client.app.state.response_cache  # type: ignore[attr-defined]
    return kept


def catalogue(client: TestClient) -> Catalogue:
    found: Catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    return found


def refuse_to_compute(target: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every query the catalogue would answer fails the test."""

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*_args: Any, **_kwargs: Any) -> Any:
            raise AssertionError(f"Catalogue.{name} was asked again")

        return refused

    for name in COMPUTING:
        monkeypatch.setattr(target, name, refuse(name))


def count_calls(target: Catalogue, name: str, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    original = getattr(target, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return calls


def same_headers(response: Any) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.multi_items() if k != "date"]


def test_repeated_requests_are_answered_from_memory_unchanged(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.head(CACHED[0]).content == b""  # a HEAD has no body to keep
    first = {path: client.get(path) for path in CACHED}
    for path, response in first.items():
        assert response.status_code == 200, path
    refuse_to_compute(catalogue(client), monkeypatch)
    for path, before in first.items():
        again = client.get(path)
        assert again.status_code == 200, path
        assert again.content == before.content, path
        assert same_headers(again) == same_headers(before), path
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-length"] == before.headers["content-length"], path
    assert store(client).hits == 2 * len(CACHED)


def test_a_reload_is_seen_at_once_and_never_mixed(settings: Settings, tmp_path: Path) -> None:
    first = loaded(settings)
    changed = tmp_path / "gewijzigd.yaml"
    changed.write_text(
        settings.corpus.read_text(encoding="utf-8").replace(
            "Een buurtcirkel komt wekelijks", "Een buurtcirkel komt elke week"
        ),
        encoding="utf-8",
    )
    paths = [f"{API}/approaches/buurtcirkel", "/aanpak/buurtcirkel", "/over"]
    with TestClient(create_app(settings)) as client:
        old = {path: client.get(path) for path in paths}
        assert all(client.get(path).content == old[path].content for path in paths)
        second = loaded(settings, changed)
        for path in paths:
            new = client.get(path)
            assert new.status_code == 200
            assert new.content != old[path].content, path
        assert "elke week" in client.get(f"{API}/approaches/buurtcirkel").text
        assert second in client.get("/over").text
        # back to the first version: its answers again, not the second's, but for the time
        # of buurtcirkel's last change: the undo is a change of its own (and a new cache key)
        assert loaded(settings) == first
        for path in paths:
            back = client.get(path)
            assert without_times(back) == without_times(old[path]), path
            assert back.content != old[path].content, path
        assert first in client.get("/over").text


def without_times(response: Any) -> bytes:
    """An answer without the times of the last change (JSON, or ``<time>`` on a page)."""
    content: bytes = response.content
    content = re.sub(rb'"laatst_gewijzigd":"[^"]*"', b'"laatst_gewijzigd":""', content)
    return re.sub(rb'<time datetime="[^"]*">[^<]*</time>', b"<time></time>", content)


def test_an_answer_computed_across_a_reload_is_not_kept(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loaded(settings)
    changed = tmp_path / "gewijzigd.yaml"
    changed.write_text(
        settings.corpus.read_text(encoding="utf-8").replace("Buurtcirkel", "Buurtkring"),
        encoding="utf-8",
    )
    path = f"{API}/approaches/buurtcirkel"
    with TestClient(create_app(settings)) as client:
        target = catalogue(client)
        original = target.get

        def reload_first(slug: str) -> Any:
            loaded(settings, changed)  # the reload lands while this request is answered
            return original(slug)

        monkeypatch.setattr(target, "get", reload_first)
        assert client.get(path).json()["naam"] == "Buurtkring"
        monkeypatch.setattr(target, "get", original)
        assert loaded(settings) == first
        assert client.get(path).json()["naam"] == "Buurtcirkel"


def test_a_new_day_gets_a_new_answer(client: TestClient, settings: Settings) -> None:
    path = f"{API}/approaches/buurtcirkel"
    today = client.get(path)
    assert today.json()["erkenning"]["status"] == "actueel"
    settings.peildatum = date(2031, 1, 1)
    later = client.get(path)
    assert later.json()["erkenning"]["status"] == "verlopen"
    assert later.headers["etag"] != today.headers["etag"]
    settings.peildatum = date(2026, 11, 21)
    assert client.get(path).content == today.content


def test_only_successful_gets_are_kept(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    gets = count_calls(catalogue(client), "get", monkeypatch)
    for _ in range(2):
        assert client.get("/aanpak/bestaat-niet").status_code == 404
        assert client.get(f"{API}/approaches/bestaat-niet").status_code == 404
        assert client.get(f"{API}/approaches?per_page=1000").status_code == 422
        assert client.get("/?leeftijd=", follow_redirects=False).status_code == 303
        assert client.post(f"{API}/approaches").status_code == 405
    assert len(gets) == 4
    assert store(client).entries == {}
    # a GET with a body may mean something else: answered, not kept
    assert client.request("GET", "/erkenning", content=b"x").status_code == 200
    assert store(client).entries == {}
    assert store(client).hits == 0


def test_if_none_match_still_gets_304(client: TestClient) -> None:
    path = f"{API}/approaches?q=ouderen"
    first = client.get(path)
    etag = first.headers["etag"]
    assert client.get(path).content == first.content  # now kept
    hits = store(client).hits
    not_modified = client.get(path, headers={"If-None-Match": f'"andere", {etag}'})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert not_modified.headers["cache-control"] == "public, max-age=300"
    other = client.get(path, headers={"If-None-Match": '"verouderd"'})
    assert other.status_code == 200
    assert other.content == first.content
    assert store(client).hits == hits + 2
    # a page has no ETag: a conditional request gets the whole page
    client.get("/erkenning")
    assert client.get("/erkenning", headers={"If-None-Match": etag}).status_code == 200


def test_the_byte_bound_evicts_the_least_recently_used(
    tmp_path: Path, corpus_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, corpus_file, response_cache_mb=0.05)
    loaded(settings)
    paths = [f"{API}/approaches/futsal-chabbab?n={n}" for n in range(40)]
    with TestClient(create_app(settings)) as client:
        kept = store(client)
        assert kept.max_bytes == 52428
        for path in paths:
            assert client.get(path).status_code == 200
            assert 0 < kept.size <= kept.max_bytes
        assert 5 < len(kept.entries) < len(paths)
        gets = count_calls(catalogue(client), "get", monkeypatch)
        client.get(paths[-1])
        assert gets == []
        client.get(paths[0])
        assert len(gets) == 1
        big = client.get(f"{API}/export.json")  # larger than an eighth of the cache
        assert big.status_code == 200
        assert len(big.content) > kept.max_entry_bytes
        assert not any(key.path.endswith("export.json") for key in kept.entries)


def test_zero_turns_the_cache_off(
    tmp_path: Path, corpus_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, corpus_file, response_cache_mb=0)
    loaded(settings)
    with TestClient(create_app(settings)) as client:
        assert client.app.state.response_cache is None  # type: ignore[attr-defined]
        listings = count_calls(catalogue(client), "listing", monkeypatch)
        first, second = client.get(f"{API}/approaches"), client.get(f"{API}/approaches")
        assert first.content == second.content
        assert len(listings) == 2


def test_cors_and_security_headers_are_per_request(client: TestClient) -> None:
    path = f"{API}/approaches?q=buurt"
    with_origin = client.get(path, headers={"Origin": "https://gemeente.example"})
    assert with_origin.headers["access-control-allow-origin"] == "*"
    assert with_origin.headers["access-control-expose-headers"] == "ETag, Cache-Control"
    other = client.get(path, headers={"Origin": "https://andere.example"})
    assert other.headers["access-control-allow-origin"] == "*"
    without = client.get(path)
    assert "access-control-allow-origin" not in without.headers
    assert without.headers["vary"] == "Origin"
    assert with_origin.content == other.content == without.content
    assert store(client).hits == 2
    preflight = client.options(
        path, headers={"Origin": "https://gemeente.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]
    for response in (with_origin, other, without):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers
    https = TestClient(client.app, base_url="https://testserver").get(path)
    assert https.headers["strict-transport-security"] == "max-age=31536000"
    assert https.json()["links"]["self"].startswith("https://testserver/")


def test_links_follow_the_host_asked_for(tmp_path: Path, corpus_file: Path) -> None:
    settings = make_settings(tmp_path, corpus_file, allowed_hosts="a.example,b.example")
    loaded(settings)
    path = f"{API}/approaches?per_page=1"
    with TestClient(create_app(settings)) as client:
        for host in ("a.example", "b.example", "a.example"):
            links = client.get(path, headers={"Host": host}).json()["links"]
            assert links["self"] == f"http://{host}{path}"
            assert links["next"].startswith(f"http://{host}/")
        over = client.get("/over", headers={"Host": "b.example"}).text
        assert "http://b.example/aanpak/buurtcirkel" in over
        assert store(client).hits == 1
        assert client.get(path, headers={"Host": "c.example"}).status_code == 400


def test_the_worker_header_stays_this_workers(tmp_path: Path, corpus_file: Path) -> None:
    settings = make_settings(tmp_path, corpus_file, worker_header=True)
    loaded(settings)
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/erkenning") for _ in range(2)]
    assert [a.headers["x-wijkwijzer-worker"] for a in answers] == [str(os.getpid())] * 2


def old_style_etag(version: str, today: date, path: str, query: str) -> str:
    """The tag as it was derived before an answer existed: version, date and URL alone."""
    key = f"{version}|{today.isoformat()}|{path}?{query}".encode()
    return f'"{hashlib.sha256(key).hexdigest()[:32]}"'


@pytest.mark.parametrize("cache_mb", [32, 0])
def test_a_forged_etag_never_turns_a_404_or_422_into_a_304(
    tmp_path: Path, corpus_file: Path, cache_mb: int
) -> None:
    settings = make_settings(tmp_path, corpus_file, response_cache_mb=cache_mb)
    version = loaded(settings)
    failing = {
        f"{API}/approaches/bestaat-niet": 404,
        f"{API}/approaches?per_page=1000": 422,
        f"{API}/compare?slug=buurtcirkel": 422,
    }
    with TestClient(create_app(settings)) as client:
        real = client.get(f"{API}/approaches").headers["etag"]
        for url, status in failing.items():
            path, _, query = url.partition("?")
            forged = old_style_etag(version, settings.today(), path, query)
            for tags in (forged, f"{forged}, {real}", "*"):
                answer = client.get(url, headers={"If-None-Match": tags})
                assert answer.status_code == status, (url, tags)
                assert "etag" not in answer.headers, url
                assert answer.headers["content-type"] == "application/problem+json"
        ok = client.get(f"{API}/approaches", headers={"If-None-Match": real})
        assert ok.status_code == 304
        assert ok.headers["etag"] == real
