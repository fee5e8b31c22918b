"""A replica follows the database (``catalogue/follower.py``), on a real PostgreSQL server.

In one process: replica B's follower against loads written straight into the
shared database. The processes of ``wijkwijzer serve`` themselves are in
``tests/test_replicas.py``. A load announces its version only when it commits;
a burst of loads is one rebuild of the newest; a missed announcement is caught
up by the timer; a failed rebuild keeps the old version, is logged once, and is
tried again. On SQLite nothing follows; a server that may not write its index
waits for a load on its own machine instead of failing on the lock.
"""

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.helpers.corpora import aanpak, small_corpus
from tests.helpers.faults import install_failing_trigger
from tests.helpers.servers import NO_OVERRIDE
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.catalogue.follower import Follower, follow_database
from wijkwijzer.catalogue.loading import LOCK_FILE, load_catalogue, load_lock
from wijkwijzer.catalogue.reloading import index_version, sync_index
from wijkwijzer.catalogue.service import open_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.store import database
from wijkwijzer.store.database import make_engine, replace_corpus, stored_version
from wijkwijzer.store.notices import VersionListener

SWITCHED = "replica: versie"
FAILED = "niet gebouwd"


def version(name: str) -> Corpus:
    """A small corpus whose version (content hash) is `name`."""
    return small_corpus(name, aanpak(f"aanpak-{name}", f"Aanpak {name}", f"Buurtwerk {name}."))


def eventually(check: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "niet binnen de tijd"
        time.sleep(0.05)


def lines(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def replica(tmp_path: Path, pg_url: str, check_s: float = 3600) -> Settings:
    """Replica B: the shared database, its own index (built from the database)."""
    b = make_settings(tmp_path / "b", MINI_CORPUS, database_url=pg_url, replica_check_s=check_s)
    sync_index(b)
    return b


@pytest.fixture
def loaded(tmp_path: Path, pg_url: str) -> str:
    """The mini corpus loaded next to replica A; returns its version."""
    a = make_settings(tmp_path / "a", MINI_CORPUS, database_url=pg_url)
    return load_catalogue(a, load_corpus(a.corpus, a.vocabulaire)).content_hash


@pytest.fixture
def caplog_info(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="wijkwijzer.replica")
    return caplog


@contextmanager
def following(settings: Settings) -> Iterator[Follower]:
    follower = Follower(settings)
    follower.start()
    try:
        yield follower
    finally:
        follower.stop()


@pytest.mark.postgres
def test_a_load_announces_its_version_when_it_commits_and_not_when_it_fails(
    pg_url: str, engine: Engine
) -> None:
    with closing(VersionListener(pg_url)) as listener:
        assert listener.version() is None  # nothing loaded yet
        replace_corpus(engine, version("v1"))
        assert listener.wait(10) == ["v1"]
        assert listener.version() == "v1"
        install_failing_trigger(engine, "aanpak-v2")
        with pytest.raises(Exception, match="geweigerd"):
            replace_corpus(engine, version("v2"))
        assert listener.wait(1) == []
        assert listener.version() == "v1"


def test_on_sqlite_nothing_follows(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    stop = follow_database(make_settings(tmp_path))
    started = set(threading.enumerate()) - before
    assert [t.name for t in started if t.name == "wijkwijzer-replica"] == []
    stop()


@pytest.mark.postgres
def test_a_burst_of_loads_is_one_rebuild_of_the_newest(
    tmp_path: Path, pg_url: str, engine: Engine, loaded: str, caplog_info: pytest.LogCaptureFixture
) -> None:
    b = replica(tmp_path, pg_url)
    assert index_version(b) == loaded
    with following(b):
        # Loads elsewhere while B is busy (its load lock held): whichever came first,
        # B builds once, when it can, and then the newest.
        with load_lock(b.index_path):
            for name in ("v2", "v3", "v4", "v5"):
                replace_corpus(engine, version(name))
        eventually(lambda: index_version(b) == "v5")
        time.sleep(1)  # the announcements of v3..v5 arrive and are looked at
    switches = lines(caplog_info, SWITCHED)
    assert len(switches) == 1, switches
    assert f"versie {loaded} vervangen door v5" in switches[0]
    assert "zoekindex in " in switches[0]


@pytest.mark.postgres
def test_a_missed_announcement_is_caught_up_by_the_timer(
    tmp_path: Path,
    pg_url: str,
    engine: Engine,
    loaded: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog_info: pytest.LogCaptureFixture,
) -> None:
    b = replica(tmp_path, pg_url, check_s=0.5)
    monkeypatch.setattr(database, "announce", lambda _connection, _version: None)
    with following(b):
        replace_corpus(engine, version("v2"))  # not announced: as if B missed it
        eventually(lambda: index_version(b) == "v2", timeout=10)
    assert len(lines(caplog_info, SWITCHED)) == 1


@pytest.mark.postgres
def test_a_failed_rebuild_keeps_the_old_version_is_logged_once_and_is_retried(
    tmp_path: Path, pg_url: str, engine: Engine, loaded: str, caplog_info: pytest.LogCaptureFixture
) -> None:
    b = replica(tmp_path, pg_url, check_s=0.2)
    with open_catalogue(b) as catalogue, following(b):
        catalogue.warm()  # a worker of B, serving the loaded version
        with load_lock(b.index_path):  # B cannot start before the database is broken
            replace_corpus(engine, version("v2"))
            with engine.begin() as conn:  # a row this version of the application refuses
                conn.execute(text("UPDATE aanpak SET categorie = 'onzin'"))
        eventually(lambda: len(lines(caplog_info, FAILED)) == 1)
        time.sleep(1.5)  # several comparisons, each a retry that fails the same way
        assert index_version(b) == loaded
        health = catalogue.health()
        stand = stored_version(engine)
        assert stand is not None
        assert (health.status, health.corpus, health.index) == ("ongelijk", "v2", loaded)
        assert health.version == loaded
        assert health.achter_sinds == stand.geladen_op
        replace_corpus(engine, version("v3"))  # the next load is good: followed
        eventually(lambda: index_version(b) == "v3")
    failures = lines(caplog_info, FAILED)
    assert len(failures) == 1, failures
    assert "versie v2 niet gebouwd (ValidationError: " in failures[0]
    assert f"versie {loaded} blijft in gebruik" in failures[0]
    assert len(lines(caplog_info, "vervangen door v3")) == 1


WAIT_FOR_LOCK = """
import sys, time
from pathlib import Path
from wijkwijzer.catalogue.loading import load_lock
print("wachten", flush=True)
with load_lock(Path(sys.argv[1]), reader=True):
    print("binnen", time.monotonic(), flush=True)
"""


def test_a_server_that_may_not_write_its_index_still_waits_for_a_load(tmp_path: Path) -> None:
    """A replica's follower sees the announcement of a load on its own machine before that
    load switched the index; with a read-only index it must wait for the load, not fail."""
    root = tmp_path / "index"
    with load_lock(root):
        (root / LOCK_FILE).chmod(0o444)
        root.chmod(0o555)
        prefix = NO_OVERRIDE if os.geteuid() == 0 else []
        waiting = subprocess.Popen(
            [*prefix, sys.executable, "-c", WAIT_FOR_LOCK, str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert waiting.stdout is not None
            assert waiting.stdout.readline() == "wachten\n"
            time.sleep(0.5)  # it would be in by now, if it did not wait
            released = time.monotonic()
        finally:
            root.chmod(0o755)
    out, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 0, err
    assert float(out.split()[-1]) >= released
