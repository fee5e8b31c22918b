"""Loading the corpus into SQLite and PostgreSQL: complete, repeatable, all or nothing."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from tests.helpers.faults import install_failing_trigger
from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, VOCABULAIRE
from wijkwijzer.cli.main import main
from wijkwijzer.config import get_settings
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.store.database import (
    loaded_hash,
    make_engine,
    read_aanpakken,
    read_corpus,
    replace_corpus,
)
from wijkwijzer.store.tables import AanpakRow, NiveauRow, TagRow


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def real() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def mini() -> Corpus:
    return load_corpus(MINI_CORPUS, VOCABULAIRE)


def test_real_corpus_round_trips(engine: Engine, real: Corpus) -> None:
    replace_corpus(engine, real)
    with Session(engine) as session:
        assert read_aanpakken(session) == list(real.aanpakken)
    assert loaded_hash(engine) == real.content_hash


def test_reload_replaces_instead_of_adding(engine: Engine, real: Corpus, mini: Corpus) -> None:
    replace_corpus(engine, real)
    replace_corpus(engine, mini)
    replace_corpus(engine, mini)
    with Session(engine) as session:
        slugs = session.exec(select(AanpakRow.slug).order_by(AanpakRow.positie)).all()
        niveaus = session.exec(select(NiveauRow.code).order_by(NiveauRow.rang.desc())).all()
    assert slugs == ["buurtcirkel", "futsal-chabbab", "abcd-methode"]
    assert niveaus[0] == "effectief-sterke-aanwijzingen"
    assert niveaus[-1] == "onbekend"


def test_tags_can_be_queried_per_facet(engine: Engine, real: Corpus) -> None:
    replace_corpus(engine, real)
    with Session(engine) as session:
        ouderen = session.exec(
            select(AanpakRow.slug)
            .join(TagRow, TagRow.aanpak_id == AanpakRow.id)
            .where(TagRow.soort == "doelgroepen", TagRow.code == "ouderen")
            .order_by(AanpakRow.slug)
        ).all()
        age_12 = session.exec(
            select(AanpakRow.slug)
            .where(AanpakRow.leeftijd_min <= 12)
            .where((AanpakRow.leeftijd_max >= 12) | (AanpakRow.leeftijd_max.is_(None)))  # type: ignore[union-attr]
            .order_by(AanpakRow.slug)
        ).all()
    assert "goldensports" in ouderen
    assert age_12 == ["futsal-chabbab", "thuis-op-straat"]


def test_failed_load_leaves_previous_catalogue_intact(
    engine: Engine, real: Corpus, mini: Corpus
) -> None:
    replace_corpus(engine, mini)
    with Session(engine) as session:
        before = read_aanpakken(session)
    install_failing_trigger(engine, "resto-vanharte")
    with pytest.raises(DBAPIError, match="geweigerd"):
        replace_corpus(engine, real)
    with Session(engine) as session:
        assert read_aanpakken(session) == before
    assert loaded_hash(engine) == mini.content_hash


def test_invalid_corpus_never_reaches_the_database(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text(MINI_CORPUS.read_text(encoding="utf-8").replace("jaar: 2022", "jaar: twee"))
    engine = make_engine(database_url)
    replace_corpus(engine, load_corpus(MINI_CORPUS, VOCABULAIRE))
    before = loaded_hash(engine)
    monkeypatch.setenv("WIJKWIJZER_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert main(["load", str(broken)]) == 1
    finally:
        get_settings.cache_clear()
    assert "erkenning.jaar: verwacht een geheel getal" in capsys.readouterr().err
    assert loaded_hash(engine) == before
    engine.dispose()


def test_read_corpus_gives_back_what_was_loaded(engine: Engine, real: Corpus) -> None:
    assert read_corpus(engine) is None
    replace_corpus(engine, real)
    assert read_corpus(engine) == real
