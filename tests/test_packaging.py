"""The built wheel carries the corpus, the vocabularies, the templates and the static files."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_data_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("wijkwijzer-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "wijkwijzer/data/approaches.yaml",
        "wijkwijzer/data/vocabulaire.yaml",
        "wijkwijzer/data/synoniemen.yaml",
        "wijkwijzer/templates/base.html",
        "wijkwijzer/templates/index.html",
        "wijkwijzer/static/wijkwijzer.css",
        "wijkwijzer/web/app.py",
    ):
        assert expected in names, expected
