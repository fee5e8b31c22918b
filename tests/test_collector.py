"""The serving process's garbage collector: tuned after warm-up, unless switched off."""

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.settings import make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app
from wijkwijzer.web.collector import SERVING_THRESHOLDS


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
@pytest.mark.parametrize("tuned", [True, False])
def test_a_server_tunes_its_collector_after_reading_the_catalogue(
    tmp_path: Path, tuned: bool
) -> None:
    settings = make_settings(tmp_path, gc_tuning=tuned)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    before = gc.get_threshold()
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/approaches", params={"q": "jongeren"}).status_code == 200
        if tuned:
            assert gc.get_threshold() == SERVING_THRESHOLDS
            assert gc.get_freeze_count() > 0
        else:
            assert gc.get_threshold() == before
