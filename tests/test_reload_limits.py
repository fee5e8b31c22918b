"""A reload by SIGHUP cannot wedge a running server (issue 13, point 3).

The server is the real thing (``wijkwijzer serve``). Each reload reads and loads the
new corpus in a child process with a time limit (4 s here) and a memory limit
(400 MB here). A recursive alias, an alias bomb, a corpus that never arrives (a
pipe nobody writes) and one that needs more memory than allowed are each refused
or stopped with one log line; the server's memory stays where it was, it keeps
serving the old version, the next good corpus arrives, and SIGTERM ends it within
5 seconds, also while a reload is still running.
"""

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import Server, running_server
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus

VALID = MINI_CORPUS.read_text(encoding="utf-8")
CHILD = b"wijkwijzer.catalogue.reload_process"
TIMEOUT_S = 4
MEMORY_MB = 400


def bomb(levels: int) -> str:
    lines = ["bom0: &bom0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [
        f"bom{i}: &bom{i} [" + ", ".join([f"*bom{i - 1}"] * 10) + "]" for i in range(1, levels)
    ]
    return VALID + "\n".join(lines) + "\n"


RECURSIVE = VALID.replace(
    "    kenmerken: [verbinding", "    rec: &r [*r]\n    kenmerken: [verbinding"
)
DENSE = "aanpakken:\n  - [" + "a, " * 1_000_000 + "a]\n"  # no alias, but 1,000,000 nodes
GOOD = VALID.replace("naam: Buurtcirkel", "naam: Buurtcirkel Plus")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (the peak) of process `pid`, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def reload_children(pid: int) -> list[int]:
    """The reload processes `pid` has started and that still run."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                if CHILD in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except OSError:
                pass
    return found


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] == "Z"
    except OSError:
        return True


def write_corpus(corpus: Path, text: str | None) -> None:
    """Write `text`, or (None) make the corpus a pipe that nobody will ever write."""
    corpus.unlink(missing_ok=True)
    if text is None:
        os.mkfifo(corpus)
    else:
        corpus.write_text(text, encoding="utf-8")


def sighup(server: Server, marker: str) -> str:
    """Send SIGHUP, wait for the next log line with `marker`; return that line."""
    count = server.log_text().count(marker)
    os.kill(server.pid, signal.SIGHUP)
    log = server.wait_for_log(marker, count=count + 1, timeout=60)
    return [line for line in log.splitlines() if marker in line][count]


def served(server: Server) -> tuple[str, str]:
    body = httpx.get(f"{server.url}/api/v1/approaches/buurtcirkel", timeout=30)
    assert body.status_code == 200, body.text
    version = httpx.get(f"{server.url}/api/v1/approaches", timeout=30).json()["version"]
    return version, body.json()["naam"]


@contextmanager
def serving(tmp_path: Path, workers: int = 1) -> Iterator[tuple[Server, Path, Settings]]:
    corpus = tmp_path / "corpus.yaml"
    write_corpus(corpus, VALID)
    settings = make_settings(
        tmp_path, corpus, reload_timeout_s=TIMEOUT_S, reload_memory_mb=MEMORY_MB
    )
    load_catalogue(settings, load_corpus(corpus, settings.vocabulaire))
    with running_server(settings, tmp_path, workers=workers) as server:
        yield server, corpus, settings


def test_hostile_reloads_are_refused_in_one_line_and_the_next_one_arrives(tmp_path: Path) -> None:
    with serving(tmp_path) as (server, corpus, _):
        before = served(server)
        start = memory_kb(server.pid)

        write_corpus(corpus, bomb(6))  # 10^6 copies when expanded
        line = sighup(server, "herladen geweigerd")
        assert "anker &bom0 is niet toegestaan" in line
        assert "(en 15 meer)" in line

        write_corpus(corpus, RECURSIVE)
        line = sighup(server, "herladen geweigerd")
        assert f"{corpus}:14: aanpakken[0].rec: anker &r is niet toegestaan" in line

        write_corpus(corpus, None)
        started = time.monotonic()
        line = sighup(server, "herladen afgebroken")
        assert time.monotonic() - started < TIMEOUT_S + 10
        assert f"langer dan {TIMEOUT_S} s (WIJKWIJZER_RELOAD_TIMEOUT_S)" in line
        assert reload_children(server.pid) == []

        write_corpus(corpus, DENSE)
        line = sighup(server, "herladen mislukt")
        assert f"geheugen op (grens {MEMORY_MB} MB, WIJKWIJZER_RELOAD_MEMORY_MB)" in line

        assert served(server) == before  # the old catalogue, all along
        after = memory_kb(server.pid)
        peak_growth = after["VmHWM"] - max(start["VmHWM"], start["VmRSS"])
        assert peak_growth < 50 * 1024, (start, after)
        assert after["VmRSS"] - start["VmRSS"] < 50 * 1024, (start, after)

        write_corpus(corpus, GOOD)
        line = sighup(server, "herladen: versie")
        version, naam = served(server)
        assert version != before[0]
        assert version in line
        assert naam == "Buurtcirkel Plus"
        # every refusal was one line: no problem was logged on a line of its own
        assert not [x for x in server.log_text().splitlines() if x.startswith(str(corpus))]


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_ends_the_server_quickly_during_a_reload(tmp_path: Path, workers: int) -> None:
    with serving(tmp_path, workers) as (server, corpus, _):
        write_corpus(corpus, None)  # the reload waits for the pipe until it is killed
        count = server.log_text().count("herladen van")
        os.kill(server.pid, signal.SIGHUP)
        server.wait_for_log("herladen van", count=count + 1)
        time.sleep(0.5)
        children = reload_children(server.pid)
        started = time.monotonic()
        os.kill(server.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
        assert time.monotonic() - started < 5
        assert children, "geen herlaadproces gezien"
        deadline = time.monotonic() + 5
        while not all(gone(child) for child in children):
            assert time.monotonic() < deadline, "het herlaadproces leeft nog"
            time.sleep(0.05)
