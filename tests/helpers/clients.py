"""A ``TestClient`` of the whole app on a loaded corpus, its state in a temporary folder."""

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app


def loaded_client(
    tmp: Path, corpus: Path = REAL_CORPUS, **overrides: object
) -> Iterator[TestClient]:
    """Load `corpus` into state under `tmp` and yield a client of the app on it."""
    settings = make_settings(tmp, corpus, **overrides)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        yield client
