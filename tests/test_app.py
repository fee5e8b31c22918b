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
