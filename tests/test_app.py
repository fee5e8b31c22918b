"""The app as a whole: health check, and the approaches listed on the front page."""

from fastapi.testclient import TestClient

from wijkwijzer.app import create_app
from wijkwijzer.config import Settings
from wijkwijzer.corpus import load_corpus
from wijkwijzer.loader import load_catalogue


def test_health_and_names(settings: Settings) -> None:
    corpus = load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        health = client.get("/healthz")
        page = client.get("/")
    assert health.json() == {"status": "ok", "corpus": corpus.content_hash}
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
