"""Settings for tests: the corpora, the fixed peildatum, state in a temporary directory."""

from datetime import date
from pathlib import Path

from wijkwijzer.config import Settings, resource_dir

DATA = Path(__file__).resolve().parent.parent / "data"
MINI_CORPUS = DATA / "mini.yaml"
# Validity of recognitions depends on the date: tests judge it on a fixed day.
PEILDATUM = date(2026, 11, 21)
REAL_CORPUS = resource_dir("data") / "approaches.yaml"
VOCABULAIRE = resource_dir("data") / "vocabulaire.yaml"


def make_settings(tmp_path: Path, corpus: Path = MINI_CORPUS, **overrides: object) -> Settings:
    """Settings whose state (database, index) lives in `tmp_path`."""
    values: dict[str, object] = {
        "corpus": corpus,
        "vocabulaire": VOCABULAIRE,
        "state_dir": tmp_path / "state",
        "peildatum": PEILDATUM,
        # in-process apps come and go by the hundred: no frozen heaps in the test process
        "gc_tuning": False,
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]
