"""The installed `wijkwijzer` command, run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_CORPUS, VOCABULAIRE

SCRIPT = Path(sys.executable).parent / "wijkwijzer"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.mark.parametrize("command", ["validate", "load", "schema", "serve"])
def test_each_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert f"usage: wijkwijzer {command}" in result.stdout


def test_load_uses_settings_from_environment(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "WIJKWIJZER_CORPUS": str(MINI_CORPUS),
        "WIJKWIJZER_VOCABULAIRE": str(VOCABULAIRE),
        "WIJKWIJZER_STATE_DIR": str(tmp_path),
    }
    result = run("load", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Geladen: 3 aanpakken")
    assert (tmp_path / "wijkwijzer.db").is_file()


def test_validate_exits_1_with_located_problem(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("aanpakken:\n  - slug: Geen Slug\n", encoding="utf-8")
    result = run("validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:2: aanpakken[0].slug: 'Geen Slug' heeft niet de vorm" in result.stderr
    assert result.stdout == ""
