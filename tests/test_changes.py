"""The history of the approaches, on a SQLite file and on a real PostgreSQL server.

Every load records, in the transaction that replaces the corpus, which approaches
are new, changed or gone (``store/changes.py``); a load that fails records
nothing; the catalogue gives the changes newest first, filtered as its list.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from tests.helpers.atom import corpus, corpus_file
from tests.helpers.faults import install_failing_trigger
from tests.helpers.settings import MINI_CORPUS, VOCABULAIRE, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.question import Filtervraag
from wijkwijzer.catalogue.service import open_catalogue
from wijkwijzer.cli.main import main
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.store.changes import Historie, aanpak_hash
from wijkwijzer.store.database import make_engine, read_stored, replace_corpus

T1 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=3)
T3 = T2 + timedelta(days=3)
T4 = T3 + timedelta(days=3)
SLUGS = {"buurtcirkel", "futsal-chabbab", "abcd-methode"}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def history(engine: Engine) -> dict[str, Historie]:
    stored = read_stored(engine)
    assert stored is not None
    return stored.historie


def test_the_first_load_records_every_approach_as_first_seen_now(engine: Engine) -> None:
    before = datetime.now(UTC)
    replace_corpus(engine, load_corpus(MINI_CORPUS, VOCABULAIRE))
    after = datetime.now(UTC)
    found = history(engine)
    assert set(found) == SLUGS
    for item in found.values():
        assert before <= item.eerst_gezien <= after
        assert item.eerst_gezien == item.laatst_gewijzigd
        assert item.eerst_gezien.tzinfo is not None
        assert item.verwijderd_op is None


def test_a_second_load_records_only_the_approach_that_changed(
    engine: Engine, tmp_path: Path
) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    replace_corpus(engine, corpus(tmp_path, change="futsal-chabbab"), T2)
    found = history(engine)
    changed = found["futsal-chabbab"]
    assert (changed.eerst_gezien, changed.laatst_gewijzigd) == (T1, T2)
    assert changed.naam == "Futsal Chabbab (nieuwe versie)"
    for slug in SLUGS - {"futsal-chabbab"}:
        assert (found[slug].eerst_gezien, found[slug].laatst_gewijzigd) == (T1, T1)
    assert next(iter(found)) == "futsal-chabbab"  # newest change first


def test_a_load_of_the_same_corpus_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    replace_corpus(engine, corpus(tmp_path, change="buurtcirkel"), T2)
    before = history(engine)
    replace_corpus(engine, corpus(tmp_path, change="buurtcirkel"), T3)
    assert history(engine) == before


def test_a_removed_approach_gets_a_removal_and_can_come_back(
    engine: Engine, tmp_path: Path
) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    replace_corpus(engine, corpus(tmp_path, drop="abcd-methode"), T2)
    gone = history(engine)["abcd-methode"]
    assert gone.verwijderd_op == T2
    assert (gone.naam, gone.laatst_gewijzigd) == ("ABCD-methode", T1)  # still named
    assert gone.doel == "Het van binnenuit werken aan een leefbare buurt."
    replace_corpus(engine, corpus(tmp_path, drop="abcd-methode"), T3)
    assert history(engine)["abcd-methode"].verwijderd_op == T2  # removed once
    replace_corpus(engine, corpus(tmp_path), T4)
    back = history(engine)["abcd-methode"]
    assert (back.eerst_gezien, back.laatst_gewijzigd, back.verwijderd_op) == (T1, T4, None)


def test_a_load_that_fails_in_the_database_records_nothing(engine: Engine, tmp_path: Path) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    before = history(engine)
    install_failing_trigger(engine, "buurtcirkel")  # refuses the insert of that approach
    with pytest.raises(DBAPIError, match="geweigerd"):
        replace_corpus(engine, corpus(tmp_path, change="abcd-methode", drop="futsal-chabbab"), T2)
    assert history(engine) == before


def test_a_corpus_that_fails_validation_records_nothing(
    tmp_path: Path,
    database_url: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    before = history(engine)
    broken = corpus_file(tmp_path / "kapot.yaml", change="buurtcirkel", drop="abcd-methode")
    broken.write_text(broken.read_text("utf-8").replace("jaar: 2022", "jaar: twee"), "utf-8")
    monkeypatch.setenv("WIJKWIJZER_DATABASE_URL", database_url)
    monkeypatch.setenv("WIJKWIJZER_STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    try:
        assert main(["load", str(broken)]) == 1
    finally:
        get_settings.cache_clear()
    assert "erkenning.jaar" in capsys.readouterr().err
    assert history(engine) == before


def test_a_database_of_an_older_version_gets_the_history_at_its_next_load(
    engine: Engine, tmp_path: Path
) -> None:
    replace_corpus(engine, corpus(tmp_path), T1)
    with engine.begin() as connection:  # as a version without the history left it
        connection.execute(text("DROP TABLE aanpak_wijziging"))
    found = history(engine)  # the table is made; the approaches date from their load
    assert {(h.eerst_gezien, h.laatst_gewijzigd) for h in found.values()} == {(T1, T1)}
    replace_corpus(engine, corpus(tmp_path), T2)  # the same corpus: all first seen now
    found = history(engine)
    assert set(found) == SLUGS
    assert {(h.eerst_gezien, h.laatst_gewijzigd) for h in found.values()} == {(T2, T2)}


def test_the_content_hash_is_of_the_approach_alone(tmp_path: Path) -> None:
    plain, changed = corpus(tmp_path), corpus(tmp_path, change="buurtcirkel")
    hashes = [aanpak_hash(a) for a in plain.aanpakken]
    assert len(set(hashes)) == 3
    assert [aanpak_hash(a) for a in changed.aanpakken][1:] == hashes[1:]
    assert aanpak_hash(changed.aanpakken[0]) != hashes[0]


# -- the catalogue's changes ------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, corpus_file(tmp_path / "c.yaml"), database_url=database_url)


def test_the_catalogue_gives_changes_newest_first_and_filtered_like_its_list(
    settings: Settings, tmp_path: Path
) -> None:
    load_catalogue(settings, corpus(tmp_path), now=T1)
    load_catalogue(settings, corpus(tmp_path, change="futsal-chabbab", drop="abcd-methode"), now=T2)
    with open_catalogue(settings) as catalogue:
        alles = catalogue.changes(Filtervraag())
        assert [(w.slug, w.soort.value) for w in alles.items] == [
            ("abcd-methode", "verwijderd"),  # T2, slugs in order at one time
            ("futsal-chabbab", "gewijzigd"),
            ("buurtcirkel", "nieuw"),
        ]
        assert alles.bijgewerkt == T2
        assert not alles.gefilterd
        assert alles.items[0].naam == "ABCD-methode"

        jongeren = catalogue.changes(Filtervraag.model_validate({"doelgroep": ["jongeren"]}))
        assert [w.slug for w in jongeren.items] == ["futsal-chabbab"]
        assert jongeren.gefilterd

        gezocht = catalogue.changes(Filtervraag(q="buurtcirkel"))
        assert [w.slug for w in gezocht.items] == ["buurtcirkel"]
        assert gezocht.bijgewerkt == T1  # the newest of what it holds

        niets = catalogue.changes(Filtervraag(leeftijd=99, alleen_met_leeftijd=True))
        assert niets.items == []
        assert niets.bijgewerkt == T2  # then the catalogue's
        assert [w.slug for w in catalogue.changes(Filtervraag(), limit=1).items] == ["abcd-methode"]

        detail = catalogue.get("futsal-chabbab")
        assert detail is not None
        assert (detail.eerst_gezien, detail.laatst_gewijzigd) == (T1, T2)
