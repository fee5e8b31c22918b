"""Two replicas on one PostgreSQL: a load next to A reaches B by itself (docs/deploy.md).

Two ``wijkwijzer serve`` processes, each with its own index directory and port,
share one real PostgreSQL database. ``wijkwijzer load`` runs next to A only; B is
never given a command. B follows within seconds, answers every request from one
whole version while it switches, and after the database was gone for a moment
it reconnects and catches up with a load made meanwhile. B's comparison timer is
set to an hour, so only the announcement, or the comparison after a reconnect,
can bring the new version in time.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.helpers.pgserver import PgServer, running_postgres
from tests.helpers.servers import Server, run_cli, running_server
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.config import Settings
from wijkwijzer.web.middleware.security import WORKER_HEADER

pytestmark = pytest.mark.postgres

NEW_NAME = "Buurtcirkel Zonnebloemkring"
REACH_S = 15  # the promise of docs/deploy.md: every replica within 15 s
B_ENV = {"WIJKWIJZER_REPLICA_CHECK_S": "3600", "WIJKWIJZER_WORKER_HEADER": "true"}
SWITCHED = "replica: versie"
# Each path shows the change: a mix of two versions would match neither pure answer.
PATHS = (
    "/api/v1/approaches?q=zonnebloemkring&per_page=100",
    "/api/v1/approaches?q=buurtcirkel&per_page=100",
    "/api/v1/approaches/buurtcirkel",
    "/aanpak/buurtcirkel",
)


@pytest.fixture
def postgres() -> Iterator[PgServer]:
    with running_postgres() as server:  # its own: a test stops it
        yield server


def two_replicas(tmp_path: Path, database_url: str) -> tuple[Settings, Settings]:
    """A and B: one database, each its own state directory (and index)."""
    corpus = tmp_path / "corpus.yaml"
    corpus.write_bytes(MINI_CORPUS.read_bytes())
    a = make_settings(tmp_path / "a", corpus, database_url=database_url)
    b = make_settings(tmp_path / "b", corpus, database_url=database_url)
    return a, b


def load_next_to(a: Settings, new: bool = False) -> None:
    """``wijkwijzer load`` on machine A, of the mini corpus or of its changed version."""
    text = MINI_CORPUS.read_text("utf-8")
    a.corpus.write_text(text.replace("naam: Buurtcirkel", f"naam: {NEW_NAME}") if new else text)
    loaded = run_cli(a, "load")
    assert loaded.returncode == 0, loaded.stderr


@contextmanager
def serving(
    a: Settings, b: Settings, log_dir: Path, b_workers: int = 2
) -> Iterator[tuple[Server, Server]]:
    """A (one worker) and B (`b_workers`, its timer an hour) serving."""
    with ExitStack() as stack:
        server_a = stack.enter_context(running_server(a, log_dir))
        server_b = stack.enter_context(running_server(b, log_dir, workers=b_workers, env=B_ENV))
        yield server_a, server_b


def health(server: Server) -> dict[str, str | None]:
    found: dict[str, str | None] = httpx.get(server.url + "/healthz", timeout=30).json()
    return found


def until_serving(server: Server, version: str | None, timeout: float = REACH_S) -> float:
    """Seconds until /healthz says `server` serves `version` and its index matches."""
    started = time.monotonic()
    while True:
        try:
            found = health(server)
            if found["status"] == "ok" and found["version"] == version:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        assert time.monotonic() - started < timeout, f"niet {version} binnen {timeout} s: {found}"
        time.sleep(0.05)


def every_worker_says(server: Server, naam: str) -> None:
    """Ask on new connections until two different workers both answered `naam`."""
    passed: set[str] = set()
    deadline = time.monotonic() + 30
    while len(passed) < 2:
        assert time.monotonic() < deadline, f"niet elke worker bijgewerkt: {passed}"
        answer = httpx.get(
            server.url + "/api/v1/approaches/buurtcirkel",
            headers={"Connection": "close"},
            timeout=30,
        )
        worker = answer.headers[WORKER_HEADER.decode()]
        if answer.json()["naam"] == naam:
            passed.add(worker)
        else:
            passed.discard(worker)


def switches(server: Server) -> list[str]:
    return [line for line in server.log_text().splitlines() if SWITCHED in line]


def test_a_load_next_to_a_reaches_b_by_itself(tmp_path: Path, pg_url: str) -> None:
    a, b = two_replicas(tmp_path, pg_url)
    load_next_to(a)
    with serving(a, b, tmp_path) as (server_a, server_b):
        old = health(server_b)
        assert old["status"] == "ok"
        assert old["achter_sinds"] is None
        assert old["version"] == health(server_a)["version"] is not None
        started = time.monotonic()
        load_next_to(a, new=True)
        load_s = time.monotonic() - started
        new = health(server_a)["version"]  # A's own load made its index
        assert new != old["version"]
        reach_s = until_serving(server_b, new)
        every_worker_says(server_b, NEW_NAME)
        print(f"\nwijkwijzer load naast A: {load_s:.2f} s; daarna B bij in {reach_s:.2f} s")
        assert switches(server_a) == []  # the load itself did A's work
        b_switched = switches(server_b)
        assert len(b_switched) == 1, b_switched  # one rebuild for B, not one per worker
        assert f"versie {old['version']} vervangen door {new}" in b_switched[0]
        assert "Traceback" not in server_b.log_text()


def test_b_never_answers_from_a_mix_of_versions_while_it_switches(
    tmp_path: Path, pg_url: str
) -> None:
    a, b = two_replicas(tmp_path, pg_url)
    load_next_to(a)
    with serving(a, b, tmp_path) as (server_a, server_b):

        def ask(path: str) -> httpx.Response:  # on a new connection: both workers answer
            return httpx.get(server_b.url + path, headers={"Connection": "close"}, timeout=30)

        before = {path: ask(path).text for path in PATHS}
        seen: list[tuple[str, int, str]] = []
        stop = threading.Event()

        def hammer(offset: int) -> None:
            turn = offset
            while not stop.is_set():
                path = PATHS[turn % len(PATHS)]
                answer = ask(path)
                seen.append((path, answer.status_code, answer.text))
                turn += 1

        threads = [threading.Thread(target=hammer, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        try:
            load_next_to(a, new=True)
            until_serving(server_b, health(server_a)["version"])
            time.sleep(1)  # and a while on the new version
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)
        after = {path: ask(path).text for path in PATHS}

    for path in PATHS:
        assert before[path] != after[path], path  # each path shows the change
    mixed = [
        (path, status)
        for path, status, text in seen
        if status != 200 or text not in (before[path], after[path])
    ]
    assert mixed == [], mixed[:3]
    assert any(text == before[path] for path, _, text in seen)
    assert any(text == after[path] for path, _, text in seen)
    assert len(seen) > 50


def test_b_reconnects_after_an_outage_and_catches_up_with_a_load_made_meanwhile(
    tmp_path: Path, postgres: PgServer
) -> None:
    a, b = two_replicas(tmp_path, postgres.create_database())
    load_next_to(a)
    with serving(a, b, tmp_path, b_workers=1) as (server_a, server_b):
        old = health(server_b)["version"]
        postgres.stop()
        server_b.wait_for_log("replica: geen verbinding met de database")
        answer = httpx.get(server_b.url + "/api/v1/approaches/buurtcirkel", timeout=30)
        assert answer.json()["naam"] == "Buurtcirkel"  # serving goes on, from memory
        down = httpx.get(server_b.url + "/healthz", timeout=30)
        assert down.status_code == 503
        assert down.json()["version"] == old  # and says which version it serves
        # B tries again after 0.5, 1.5, 3.5 and 7.5 s (BACKOFF_S): back up at about 4.5 s
        # and loaded by about 6 s, the load's announcement most likely goes out while B
        # is away, and B learns of it by comparing after it reconnects.
        time.sleep(4)
        postgres.start()
        load_next_to(a, new=True)
        new = health(server_a)["version"]
        reach_s = until_serving(server_b, new)
        print(f"\nB weer bij na de storing: {reach_s:.2f} s na de load")
        detail = httpx.get(server_b.url + "/api/v1/approaches/buurtcirkel", timeout=30)
        assert detail.json()["naam"] == NEW_NAME
        log = server_b.log_text()
    assert log.count("replica: geen verbinding met de database") == 1, log
    assert log.count("replica: weer verbonden met de database") == 1, log
    assert len([line for line in log.splitlines() if SWITCHED in line]) == 1, log
    assert "Traceback" not in log
