"""`wijkwijzer load` tells on stderr which step it is in: on a terminal, or when asked."""

import io
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers.servers import BIN, run_cli, settings_env
from tests.helpers.settings import MINI_CORPUS
from wijkwijzer.catalogue.loading import index_progress, load_lock
from wijkwijzer.cli.main import ConsoleProgress
from wijkwijzer.config import Settings

LINE = re.compile(r"^ +\d+,\d s  (?P<message>.+)$")
LOAD_PHASES = [
    "zoekindex bouwen voor 3 aanpakken",
    "zoekindex: 3 van 3 aanpakken (100 %), nu wegschrijven",
    "database vullen",
    "nieuwe versie in gebruik nemen",
    "klaar",
]


def read_phases(corpus: Path) -> list[str]:
    return [f"corpus lezen: {corpus}", "3 aanpakken controleren"]


def messages(stderr: str) -> list[str]:
    """The messages of the progress lines, after checking each has its seconds."""
    found = []
    for line in stderr.splitlines():
        match = LINE.match(line)
        assert match, f"geen voortgangsregel: {line!r}"
        found.append(match["message"])
    return found


def test_load_with_progress_names_every_phase(settings: Settings) -> None:
    result = run_cli(settings, "load", "--progress")
    assert result.returncode == 0, result.stderr
    assert messages(result.stderr) == read_phases(settings.corpus) + LOAD_PHASES
    assert result.stdout.startswith("Geladen: 3 aanpakken")


@pytest.mark.parametrize("flags", [(), ("-q",), ("--quiet",)], ids=["pijp", "-q", "--quiet"])
def test_load_is_quiet_off_a_terminal_or_when_asked(
    settings: Settings, flags: tuple[str, ...]
) -> None:
    result = run_cli(settings, "load", *flags)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Geladen: 3 aanpakken")


def test_load_on_a_terminal_shows_progress_by_default(settings: Settings) -> None:
    main, child = pty.openpty()
    output = b""
    try:
        with subprocess.Popen(
            [str(BIN / "wijkwijzer"), "load"],
            env=settings_env(settings),
            stdout=subprocess.PIPE,
            stderr=child,
            text=True,
        ) as process:
            os.close(child)
            while True:
                try:
                    chunk = os.read(main, 4096)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            stdout, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        assert stdout.startswith("Geladen: 3 aanpakken")
    finally:
        os.close(main)
    shown = messages(output.decode().replace("\r\n", "\n"))
    assert shown == read_phases(settings.corpus) + LOAD_PHASES


def test_refused_corpus_shows_its_problems_after_the_reading_line(
    settings: Settings,
) -> None:
    broken = settings.corpus
    broken.write_text(MINI_CORPUS.read_text("utf-8").replace("jaar: 2022", "jaar: twee"), "utf-8")
    result = run_cli(settings, "load", "--progress")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert messages("\n".join(lines[:2])) == read_phases(broken)
    assert lines[2].startswith(f"{broken}:18: aanpakken[0].erkenning.jaar: verwacht een geheel")
    assert lines[3:] == ["1 probleem gevonden"]


def test_a_load_waiting_for_another_says_so(settings: Settings) -> None:
    seen: list[str] = []
    with load_lock(settings.index_path):
        process = subprocess.Popen(
            [str(BIN / "wijkwijzer"), "load", "--progress"],
            env=settings_env(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stderr is not None
            while not any("wachten" in line for line in seen):
                line = process.stderr.readline()
                assert line, f"het laden stopte zonder te wachten: {seen}"
                seen.append(line)
        except BaseException:
            process.kill()
            process.communicate()
            raise
    with process:
        _, rest = process.communicate(timeout=120)
    assert process.returncode == 0
    assert messages("".join(seen) + rest) == [
        *read_phases(settings.corpus),
        "wachten: een ander proces laadt de catalogus al",
        *LOAD_PHASES,
    ]


def test_index_progress_is_reported_at_most_every_few_seconds() -> None:
    heard: list[str] = []
    progress = index_progress(heard.append, every=3600)
    for done in range(1000, 10001, 1000):
        progress(done, 10000)
    assert heard == ["zoekindex: 10000 van 10000 aanpakken (100 %), nu wegschrijven"]
    every_time = index_progress(heard.append, every=0)
    every_time(2500, 10000)
    assert heard[-1] == "zoekindex: 2500 van 10000 aanpakken (25 %)"


def test_console_progress_writes_seconds_with_a_decimal_comma() -> None:
    stream = io.StringIO()
    ConsoleProgress(stream)("database vullen")
    assert messages(stream.getvalue()) == ["database vullen"]
    assert stream.getvalue().startswith("    0,0 s  ")
