"""Scratch folders of killed loads are removed at the next load or serve (issue 13, point 6).

A load builds its index with scratch files in ``.scratch-v-…`` in the index
directory and removes them when done; a load that is killed cannot. The next
``wijkwijzer load`` removes them (it holds the load lock, so no other load runs),
and so does ``wijkwijzer serve`` (or ``wijkwijzer index``) at its start, but only
when it can take the lock: a load running meanwhile keeps its scratch folder.
"""

import copy
import os
import signal
import subprocess
import time
from pathlib import Path

import yaml

from tests.helpers.servers import BIN, run_cli, running_server, settings_env
from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue, load_lock
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus

COPIES = 20  # the real corpus 20 times: a load long enough to be killed while building


def big_corpus(path: Path) -> Path:
    data = yaml.safe_load(REAL_CORPUS.read_text("utf-8"))
    records = []
    for copy_number in range(COPIES):
        for record in data["aanpakken"]:
            extra = copy.deepcopy(record)
            extra["slug"] = f"{record['slug']}-{copy_number}"
            extra["naam"] = f"{record['naam']} {copy_number}"
            records.append(extra)
    path.write_text(yaml.safe_dump({"aanpakken": records}, allow_unicode=True), "utf-8")
    return path


def scratch(settings: Settings) -> list[Path]:
    return sorted(settings.index_path.glob(".scratch-*"))


def killed_load(settings: Settings, corpus: Path) -> Path:
    """Start ``wijkwijzer load`` of `corpus`, SIGKILL it while it builds; its scratch folder."""
    process = subprocess.Popen(
        [str(BIN / "wijkwijzer"), "load", "--quiet", str(corpus)],
        env=settings_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not scratch(settings):
            assert process.poll() is None, "de load eindigde voordat hij gestopt kon worden"
            assert time.monotonic() < deadline, "geen tijdelijke map gezien"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    left = scratch(settings)
    assert len(left) == 1
    assert left[0].name.startswith(".scratch-v-")
    return left[0]


def loaded_settings(tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path, MINI_CORPUS)
    load_catalogue(settings, load_corpus(MINI_CORPUS, settings.vocabulaire))
    return settings


def test_the_next_load_removes_the_scratch_of_a_killed_load(tmp_path: Path) -> None:
    settings = loaded_settings(tmp_path)
    killed_load(settings, big_corpus(tmp_path / "groot.yaml"))
    result = run_cli(settings, "load", "--quiet", str(MINI_CORPUS))
    assert result.returncode == 0, result.stderr
    assert scratch(settings) == []


def test_serve_removes_the_scratch_of_a_killed_load(tmp_path: Path) -> None:
    settings = loaded_settings(tmp_path)
    killed_load(settings, big_corpus(tmp_path / "groot.yaml"))
    with running_server(settings, tmp_path) as server:
        assert scratch(settings) == []
        assert "tijdelijke mappen van een afgebroken laadbeurt opgeruimd" in server.log_text()


def test_the_scratch_of_a_load_that_runs_is_kept(tmp_path: Path) -> None:
    """While a load holds the lock, its scratch folder is in use: serve and index keep it."""
    settings = loaded_settings(tmp_path)
    in_use = settings.index_path / f".scratch-v-0123456789abcdef-{time.time_ns()}"
    with load_lock(settings.index_path):  # as a running load holds it
        (in_use / "tmpbouw").mkdir(parents=True)
        (in_use / "tmpbouw" / "run_0.tmp").write_bytes(b"postings")
        result = run_cli(settings, "index")
        assert result.returncode == 0, result.stderr
        with running_server(settings, tmp_path):
            assert scratch(settings) == [in_use]
    result = run_cli(settings, "index")  # the load is gone (killed), its lock free
    assert result.returncode == 0, result.stderr
    assert scratch(settings) == []
