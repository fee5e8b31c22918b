"""The index format stamp: a version of another format is never opened, and is rebuilt.

Whoosh pickles the analyzer's class path into every index, so an index written
by an older release may not open at all (or open with other analysis). Each
version directory carries ``FORMAT``; one without it, or with another number,
counts as no index, and ``sync_index`` (``wijkwijzer serve`` at start,
``wijkwijzer index``) rebuilds it from the database.
"""

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.settings import make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.reloading import sync_index
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.search import (
    INDEX_FORMAT,
    SearchIndex,
    activate_index,
    build_index,
    current_index,
    outdated_index,
)
from wijkwijzer.search import reader as index_reader
from wijkwijzer.search.versions import FORMAT_FILE, IndexFormatError


@pytest.fixture
def loaded(tmp_path: Path, corpus_file: Path) -> Settings:
    settings = make_settings(tmp_path, corpus_file)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    return settings


def restamp(settings: Settings, stamp: str | None) -> Path:
    """Make the current version look written by another release (None: no stamp at all)."""
    version_dir = current_index(settings.index_path)
    assert version_dir is not None
    if stamp is None:
        (version_dir / FORMAT_FILE).unlink()
    else:
        (version_dir / FORMAT_FILE).write_text(stamp, "utf-8")
    return version_dir


def never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a version of another format was opened")

    monkeypatch.setattr(index_reader, "VersionData", refuse)
    monkeypatch.setattr(index_reader.whoosh.index, "open_dir", refuse)


@pytest.mark.parametrize("stamp", [None, "0", str(INDEX_FORMAT + 1), "geen getal"])
def test_a_version_of_another_format_is_never_opened(
    loaded: Settings, stamp: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_dir = restamp(loaded, stamp)
    assert outdated_index(loaded.index_path) == version_dir
    assert current_index(loaded.index_path) is None
    never_opened(monkeypatch)
    with SearchIndex(loaded.index_path) as index:
        assert index.version is None
        result = index.search("buurt")
        assert result.version is None
        assert result.ordered == ()
        assert index.related("buurtcirkel", "buurt") == []


@pytest.mark.parametrize("stamp", [None, str(INDEX_FORMAT + 1)])
def test_opening_or_activating_a_version_of_another_format_fails_loudly(
    tmp_path: Path, loaded: Settings, stamp: str | None
) -> None:
    version_dir = restamp(loaded, stamp)
    with pytest.raises(IndexFormatError, match="indexformaat"):
        index_reader.VersionData(version_dir)
    with pytest.raises(IndexFormatError, match="indexformaat"):
        activate_index(loaded.index_path, version_dir)


@pytest.mark.parametrize("stamp", [None, str(INDEX_FORMAT + 1)])
def test_sync_index_rebuilds_a_version_of_another_format(
    loaded: Settings, stamp: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    old = restamp(loaded, stamp)
    with caplog.at_level(logging.INFO):
        built = sync_index(loaded)
    assert built is not None
    rebuilt = [r for r in caplog.records if "ander indexformaat" in r.getMessage()]
    assert len(rebuilt) == 1
    assert rebuilt[0].levelno == logging.WARNING
    assert old.name in rebuilt[0].getMessage()
    fresh = current_index(loaded.index_path)
    assert fresh is not None
    assert fresh != old
    assert outdated_index(loaded.index_path) is None
    with SearchIndex(loaded.index_path) as index:
        assert index.version == built
        assert index.search("buurt").ordered
    assert sync_index(loaded) is None  # now current: nothing to do, nothing logged


def test_a_fresh_build_is_stamped(tmp_path: Path, loaded: Settings) -> None:
    version_dir = build_index(tmp_path, load_corpus(loaded.corpus, loaded.vocabulaire))
    assert (version_dir / FORMAT_FILE).read_text("utf-8").strip() == str(INDEX_FORMAT)
