"""Every setup fault of the real ``wijkwijzer`` command: one Dutch line, its own exit code.

The line names the setting or path and says what to do; there is no traceback.
The exit codes are documented in the README (De opdrachtregel).
"""

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.pgserver import free_port
from tests.helpers.servers import BIN, NO_OVERRIDE, settings_env
from tests.helpers.settings import make_settings
from wijkwijzer.config import Settings


def run(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as a user without root's right to ignore file permissions runs it."""
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, str(BIN / "wijkwijzer"), *args],
        env=settings_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line on stderr, after checking the exit code and that nothing else came."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    return lines[0]


def test_a_state_dir_that_is_a_file(tmp_path: Path, corpus_file: Path) -> None:
    blocking = tmp_path / "staat"
    blocking.write_text("geen map\n")
    settings = make_settings(tmp_path, corpus_file, state_dir=blocking)
    for args in (["load"], ["index"], ["serve", "--port", str(free_port())]):
        line = one_line(run(settings, *args), 7)
        assert line == (
            f"WIJKWIJZER_STATE_DIR: {blocking} is een bestand, geen map; "
            "verplaats of verwijder het bestand, of kies een andere map"
        ), args


def test_an_index_dir_that_is_a_file(tmp_path: Path, corpus_file: Path) -> None:
    blocking = tmp_path / "index"
    blocking.write_text("geen map\n")
    settings = make_settings(tmp_path, corpus_file, index_dir=blocking)
    line = one_line(run(settings, "load"), 7)
    assert line.startswith(f"WIJKWIJZER_INDEX_DIR: {blocking} is een bestand, geen map; ")


@pytest.fixture
def read_only_index(settings: Settings) -> Iterator[Path]:
    assert run(settings, "load").returncode == 0
    index = settings.index_path
    folders = [index, *(p for p in index.rglob("*") if p.is_dir())]
    files = [p for p in index.rglob("*") if p.is_file()]
    for path in [*folders, *files]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield index
    for path in folders:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    for path in files:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_index(settings: Settings, read_only_index: Path) -> None:
    line = one_line(run(settings, "load"), 8)
    assert line == (
        f"WIJKWIJZER_INDEX_DIR: geen toegang tot {read_only_index / '.load.lock'} (alleen-lezen?); "
        "laad als de eigenaar van de index (docs/deploy.md) of geef deze gebruiker schrijfrecht"
    )


def test_an_unreachable_postgresql(tmp_path: Path, corpus_file: Path) -> None:
    """Nothing listens on the port: the database is down, or the URL names the wrong one."""
    url = f"postgresql://wijkwijzer:geheim@127.0.0.1:{free_port()}/wijkwijzer"
    settings = make_settings(tmp_path, corpus_file, database_url=url)
    for args in (["load"], ["index"], ["search", "buurt"], ["serve", "--port", str(free_port())]):
        line = one_line(run(settings, *args), 6)
        assert line.startswith(
            "WIJKWIJZER_DATABASE_URL: de database "
            f"postgresql+psycopg://wijkwijzer:***@{url.split('@')[1]} is niet bereikbaar ("
        ), args
        assert line.endswith("); start de database of pas de URL aan"), args
        assert "geheim" not in line


@pytest.mark.parametrize("url", ["geen-url", "mysql+nergens://a@b/c", "postgresql://a@b:poort/c"])
def test_a_malformed_database_url(tmp_path: Path, corpus_file: Path, url: str) -> None:
    settings = make_settings(tmp_path, corpus_file, database_url=url)
    line = one_line(run(settings, "load"), 5)
    shown = settings.database_url  # postgresql:// reads as postgresql+psycopg://
    assert line.startswith(f"WIJKWIJZER_DATABASE_URL: '{shown}' is geen bruikbare database-URL; ")


def test_a_bad_peildatum(settings: Settings) -> None:
    line = one_line(run(settings, "load", WIJKWIJZER_PEILDATUM="2026-13-45"), 4)
    assert line == (
        "WIJKWIJZER_PEILDATUM: verwacht een datum (JJJJ-MM-DD), kreeg '2026-13-45'; "
        "pas de instelling aan"
    )
    line = one_line(run(settings, "serve", WIJKWIJZER_PUBLIC_URL="wijkwijzer.example"), 4)
    assert line.startswith("WIJKWIJZER_PUBLIC_URL: 'wijkwijzer.example' is geen openbaar adres")
