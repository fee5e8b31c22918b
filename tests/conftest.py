"""Shared fixtures: a tiny corpus, settings in tmp_path, a real PostgreSQL server."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.pgserver import PgServer, running_postgres
from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.config import Settings


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on a SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogus.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


POSTGRES_FIXTURES = frozenset({"pg_server", "pg_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the PostgreSQL server must carry the `postgres` marker."""
    unmarked = [
        item.nodeid
        for item in items
        if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("postgres") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests op PostgreSQL zonder de marker 'postgres': " + ", ".join(unmarked)
        )


MEASURED = ("vragen", "recall_at_5", "mrr", "voorheen_recall_at_5", "voorheen_mrr")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the relevance figures (recall@5, MRR) in every test run's output."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        figures = {k: v for k, v in report.user_properties if k in MEASURED}
        if figures and report.when == "call":
            shown = ", ".join(f"{k} = {v}" for k, v in figures.items())
            terminalreporter.write_line(f"relevantie ({report.nodeid}): {shown}")
