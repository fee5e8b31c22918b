"""Shared fixtures: a tiny corpus, settings in tmp_path, a real PostgreSQL server."""

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.pgserver import PgServer, running_postgres
from wijkwijzer.config import Settings, resource_dir

DATA = Path(__file__).parent / "data"
MINI_CORPUS = DATA / "mini.yaml"
# Validity of recognitions depends on the date: tests judge it on a fixed day.
PEILDATUM = date(2026, 11, 21)
REAL_CORPUS = resource_dir("data") / "approaches.yaml"
VOCABULAIRE = resource_dir("data") / "vocabulaire.yaml"


def make_settings(tmp_path: Path, corpus: Path = MINI_CORPUS, **overrides: object) -> Settings:
    """Settings whose state (database, index) lives in `tmp_path`."""
    return Settings(
        corpus=corpus,
        vocabulaire=VOCABULAIRE,
        state_dir=tmp_path / "state",
        peildatum=PEILDATUM,
        **overrides,
    )


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus."""
    target = tmp_path / "corpus.yaml"
    shutil.copy(MINI_CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus_file: Path) -> Settings:
    return make_settings(tmp_path, corpus_file)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh database on the session's PostgreSQL server."""
    return pg_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on a SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogus.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


MEASURED = ("recall_at_5", "mrr")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the relevance figures (recall@5, MRR) in every test run's output."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        figures = {k: v for k, v in report.user_properties if k in MEASURED}
        if figures and report.when == "call":
            shown = ", ".join(f"{k} = {v}" for k, v in figures.items())
            terminalreporter.write_line(f"relevantie ({report.nodeid}): {shown}")
