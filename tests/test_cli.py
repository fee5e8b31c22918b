"""The installed `wijkwijzer` command, run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.settings import MINI_CORPUS, PEILDATUM, VOCABULAIRE

SCRIPT = Path(sys.executable).parent / "wijkwijzer"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.mark.parametrize("command", ["validate", "load", "schema", "serve", "search"])
def test_each_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert f"usage: wijkwijzer {command}" in result.stdout


def mini_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WIJKWIJZER_CORPUS": str(MINI_CORPUS),
        "WIJKWIJZER_VOCABULAIRE": str(VOCABULAIRE),
        "WIJKWIJZER_STATE_DIR": str(tmp_path),
        "WIJKWIJZER_PEILDATUM": PEILDATUM.isoformat(),
    }


def test_load_uses_settings_from_environment(tmp_path: Path) -> None:
    result = run("load", env=mini_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Geladen: 3 aanpakken")
    assert (tmp_path / "wijkwijzer.db").is_file()


def test_search_prints_ranked_names_with_level(tmp_path: Path) -> None:
    env = mini_env(tmp_path)
    assert run("load", env=env).returncode == 0
    result = run("search", "jongerren", "--doelgroep", "jongeren", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Bedoelde u: jongeren",
        "1 aanpakken (and, volgorde: relevantie)",
        "Ook gezocht op de verbetering van een onbekend woord",
        "  1. Futsal Chabbab — Goed onderbouwd (verlopen sinds 2025)",
    ]
    wrong = run("search", "x", "--vorm", "folder", env=env)
    assert wrong.returncode == 2
    assert "vorm: onbekende waarde 'folder' voor vorm (toegestaan: interventiebeschrijving" in (
        wrong.stderr
    )


def test_validate_exits_1_with_located_problem(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("aanpakken:\n  - slug: Geen Slug\n", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:2: aanpakken[0].slug: 'Geen Slug' heeft niet de vorm" in result.stderr
    assert result.stdout == ""
