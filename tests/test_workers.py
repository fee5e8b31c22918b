"""Several workers on one PostgreSQL database: the steps of docs/deploy.md, run for real.

1. ``wijkwijzer load`` (database on PostgreSQL, index in the state directory);
2. the index is made read-only for the serving processes;
3. ``wijkwijzer serve --workers 2``: every worker gives the same answers, and has
   opened nothing in the index for writing;
4. ``wijkwijzer load`` of a changed corpus reaches every worker; so does
   ``kill -HUP`` to the supervisor.
"""

import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import Server, run_cli, running_server
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.config import Settings
from wijkwijzer.web.middleware.security import WORKER_HEADER

pytestmark = pytest.mark.postgres

PATHS = (
    "/api/v1/approaches?q=buurt&per_page=100",
    "/api/v1/approaches?doelgroep=jongeren",
    "/api/v1/approaches/buurtcirkel",
    "/api/v1/compare?slug=buurtcirkel&slug=abcd-methode",
    "/api/v1/approaches.csv",
    "/aanpak/futsal-chabbab",
)
WORKER = {"WIJKWIJZER_WORKER_HEADER": "true"}
NEW_NAME = "Buurtcirkel Twee"


@pytest.fixture
def settings(tmp_path: Path, pg_url: str) -> Settings:
    corpus = tmp_path / "corpus.yaml"
    corpus.write_bytes(MINI_CORPUS.read_bytes())
    return make_settings(tmp_path, corpus, database_url=pg_url)


def ask(server: Server, path: str) -> tuple[int, httpx.Response]:
    """One request on a new connection (so any worker may take it); (worker pid, response)."""
    response = httpx.get(server.url + path, timeout=30, headers={"Connection": "close"})
    assert response.status_code == 200, (path, response.text)
    return int(response.headers[WORKER_HEADER.decode()]), response


def answers_per_worker(server: Server, rounds: int = 40) -> dict[int, dict[str, str]]:
    """Ask every path until two workers answered each of them."""
    seen: dict[int, dict[str, str]] = {}
    for _ in range(rounds):
        for path in PATHS:
            pid, response = ask(server, path)
            seen.setdefault(pid, {})[path] = response.text
        if len(seen) >= 2 and all(len(by_path) == len(PATHS) for by_path in seen.values()):
            break
    return seen


def set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~0o222)


@pytest.fixture
def read_only_index(settings: Settings) -> Iterator[Path]:
    root = settings.index_path
    yield root
    set_writable(root, True)  # so pytest can clean up


def files_opened_for_writing(pid: int, root: Path) -> list[str]:
    """Files under `root` that process `pid` holds open for writing or maps writably."""
    found = []
    resolved = str(root.resolve())
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
            flags = int(Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split()[3], 8)
        except OSError:
            continue
        if target.startswith(resolved) and flags & os.O_ACCMODE != os.O_RDONLY:
            found.append(target)
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[5].startswith(resolved) and "w" in parts[1]:
            found.append(parts[5])
    return found


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def wait_until_every_worker(server: Server, check: Callable[[httpx.Response], bool]) -> None:
    """Poll on new connections until two different workers both passed `check`."""
    passed: set[int] = set()
    deadline = time.monotonic() + 60
    while len(passed) < 2:
        assert time.monotonic() < deadline, f"niet elke worker bijgewerkt: {passed}"
        pid, response = ask(server, "/api/v1/approaches/buurtcirkel")
        if check(response):
            passed.add(pid)
        else:
            passed.discard(pid)


def test_two_workers_on_postgresql_agree_read_only_and_follow_a_reload(
    settings: Settings, read_only_index: Path, tmp_path: Path
) -> None:
    loaded = run_cli(settings, "load")
    assert loaded.returncode == 0, loaded.stderr
    set_writable(read_only_index, False)
    before = snapshot(read_only_index)
    with running_server(
        settings, tmp_path, workers=2, env=WORKER, honour_permissions=True
    ) as server:
        per_worker = answers_per_worker(server)
        assert len(per_worker) == 2, f"maar één worker antwoordde: {list(per_worker)}"
        assert set(per_worker) == set(server.workers())
        first, second = per_worker.values()
        for path in PATHS:
            assert first[path] == second[path], path
        for pid in per_worker:
            assert files_opened_for_writing(pid, read_only_index) == []
        assert snapshot(read_only_index) == before
        assert "Traceback" not in server.log_text()

        # the reload command, run by the owner of the index, reaches every worker
        set_writable(read_only_index, True)
        settings.corpus.write_text(
            MINI_CORPUS.read_text("utf-8").replace("naam: Buurtcirkel", f"naam: {NEW_NAME}"),
            "utf-8",
        )
        reloaded = run_cli(settings, "load")
        assert reloaded.returncode == 0, reloaded.stderr
        wait_until_every_worker(server, lambda r: r.json()["naam"] == NEW_NAME)


def test_sighup_to_the_supervisor_reloads_every_worker(settings: Settings, tmp_path: Path) -> None:
    assert run_cli(settings, "load").returncode == 0
    with running_server(settings, tmp_path, workers=2, env=WORKER) as server:
        wait_until_every_worker(server, lambda r: r.json()["naam"] == "Buurtcirkel")
        workers = sorted(server.workers())
        settings.corpus.write_text(
            MINI_CORPUS.read_text("utf-8").replace("naam: Buurtcirkel", f"naam: {NEW_NAME}"),
            "utf-8",
        )
        os.kill(server.pid, signal.SIGHUP)
        wait_until_every_worker(server, lambda r: r.json()["naam"] == NEW_NAME)
        assert sorted(server.workers()) == workers  # reloaded, not restarted
        assert "herladen: versie" in server.wait_for_log("herladen: versie")


def test_a_replica_builds_its_index_from_the_shared_database(
    settings: Settings, tmp_path: Path
) -> None:
    """Two machines, one database: the second starts without an index and builds it; a
    reload on the first reaches it by itself (tests/test_replicas.py: more of that), and
    `wijkwijzer index` then has nothing left to do."""
    assert run_cli(settings, "load").returncode == 0
    replica = Settings.model_validate(
        {**settings.model_dump(), "state_dir": tmp_path / "replica", "index_dir": None}
    )
    assert not replica.index_path.exists()
    with running_server(replica, tmp_path) as server:
        assert (replica.index_path / "current" / "VERSION").is_file()
        found = httpx.get(server.url + "/api/v1/approaches", params={"q": "buurtcirkel"}).json()
        assert [i["slug"] for i in found["items"]][:1] == ["buurtcirkel"]
        settings.corpus.write_text(
            MINI_CORPUS.read_text("utf-8").replace("naam: Buurtcirkel", f"naam: {NEW_NAME}"),
            "utf-8",
        )
        assert run_cli(settings, "load").returncode == 0  # on the first machine
        deadline = time.monotonic() + 15
        while httpx.get(server.url + "/api/v1/approaches/buurtcirkel").json()["naam"] != NEW_NAME:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        synced = run_cli(replica, "index")
        assert synced.returncode == 0
        assert "Zoekindex is al actueel" in synced.stdout
        assert "uit de database gebouwd" in server.log_text()  # at the start
