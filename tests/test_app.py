"""The app as a whole: health check, start-up, unhandled errors, the front page."""

from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event

from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.store.database import stored_version
from wijkwijzer.web.app import create_app


def test_health_and_names(settings: Settings) -> None:
    corpus = load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        page = client.get("/")
    assert health.json() == healthy(corpus.content_hash)
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    for aanpak in corpus.aanpakken:
        assert f'href="/aanpak/{aanpak.slug}"' in page.text
        assert aanpak.naam in page.text


def test_head_is_answered_like_get_without_body(settings: Settings) -> None:
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/aanpak/buurtcirkel", "/api/v1/approaches", "/static/wijkwijzer.css"):
            get, head = client.get(path), client.head(path)
            assert head.status_code == get.status_code == 200, path
            assert head.content == b""
            assert head.headers["content-type"] == get.headers["content-type"]
        assert client.head("/aanpak/bestaat-niet").status_code == 404


def loaded(settings: Settings) -> str:
    return load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire)).content_hash


def healthy(version: str) -> dict[str, str | None]:
    """/healthz of a server that serves `version`, as its database and index hold it."""
    return {
        "status": "ok",
        "corpus": version,
        "index": version,
        "version": version,
        "achter_sinds": None,
    }


def catalogue_of(client: TestClient) -> Catalogue:
    found: Catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    return found


def statements(engine: Engine) -> list[str]:
    """Every SQL statement `engine` runs from now on."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen


def broken(*_args: object, **_kwargs: object) -> NoReturn:
    raise RuntimeError("kapot: interne details")


@pytest.fixture
def failing(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client of an app whose catalogue fails on every detail (`Catalogue.get`)."""
    loaded(settings)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        monkeypatch.setattr(catalogue_of(client), "get", broken)
        yield client


def test_an_unhandled_error_is_a_500_with_the_security_headers(
    failing: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = failing.get("/aanpak/buurtcirkel")
    api = failing.get("/api/v1/approaches/buurtcirkel", headers={"Origin": "https://x.example"})
    head = failing.head("/aanpak/buurtcirkel")
    monkeypatch.undo()
    assert failing.get("/aanpak/buurtcirkel").status_code == 200  # the 500 was not kept
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="nl">' in page.text
    assert "<title>Er ging iets mis" in page.text
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json() == {
        "type": "about:blank",
        "title": "Interne serverfout",
        "status": 500,
        "detail": "Er ging iets mis op de server. Probeer het later nog eens.",
        "instance": "/api/v1/approaches/buurtcirkel",
    }
    assert api.headers["access-control-allow-origin"] == "*"
    assert head.content == b""
    for response in (page, api, head):
        assert response.status_code == 500
        assert "kapot" not in response.text
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_an_unhandled_error_still_reaches_the_server_log(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exception propagates after the 500 is sent: uvicorn logs it with its traceback."""
    loaded(settings)
    with TestClient(create_app(settings)) as client:
        monkeypatch.setattr(catalogue_of(client), "listing", broken)
        with pytest.raises(RuntimeError, match="kapot"):
            client.get("/api/v1/approaches")


def test_a_500_page_does_not_need_the_templates(
    failing: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = failing.app.state.templates  # type: ignore[attr-defined]
    monkeypatch.setattr(templates, "TemplateResponse", broken)
    page = failing.get("/aanpak/buurtcirkel")
    assert page.status_code == 500
    assert "<h1>Interne serverfout</h1>" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_health_is_one_read_and_says_what_is_loaded(settings: Settings) -> None:
    nothing = {"version": None, "achter_sinds": None}
    with TestClient(create_app(settings)) as client:
        empty = client.get("/healthz").json()
        assert empty == {"status": "leeg", "corpus": None, "index": None, **nothing}
        version = loaded(settings)
        seen = statements(catalogue_of(client).engine)
        for _ in range(3):
            health = client.get("/healthz")
            assert health.status_code == 200
            assert health.json() == healthy(version)
        assert len(seen) == 3  # one primary-key read each, no schema checks
        stand = stored_version(catalogue_of(client).engine)
        (settings.index_path / "current").unlink()
        assert stand is not None
        assert stand.geladen_op is not None
        assert client.get("/healthz").json() == {
            "status": "ongelijk",
            "corpus": version,
            "index": None,
            "version": None,  # nothing read yet, and no index to read it with
            "achter_sinds": stand.geladen_op.isoformat().replace("+00:00", "Z"),
        }


def test_health_is_503_without_a_database(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = loaded(settings)
    unreachable = create_engine(f"sqlite:///{tmp_path / 'bestaat-niet' / 'db.sqlite'}")
    with TestClient(create_app(settings)) as client:
        monkeypatch.setattr(catalogue_of(client), "engine", unreachable)
        health = client.get("/healthz")
    unreachable.dispose()
    assert health.status_code == 503
    assert health.json() == {
        "status": "fout",
        "corpus": None,
        "index": version,
        "version": version,  # what it read before, it still serves
        "achter_sinds": None,
    }
    assert health.headers["cache-control"] == "no-store"


def test_the_catalogue_is_read_before_the_first_request(settings: Settings) -> None:
    loaded(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        seen = statements(catalogue_of(client).engine)
        assert client.get("/api/v1/approaches?q=buurt").status_code == 200
        assert client.get("/aanpak/buurtcirkel").status_code == 200
    assert seen == []


def test_an_empty_database_does_not_stop_the_start(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/approaches").status_code == 503
        loaded(settings)
        assert client.get("/api/v1/approaches").status_code == 200
