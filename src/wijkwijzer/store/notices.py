"""Announcing a new catalogue version through PostgreSQL, and listening for it.

A load announces its version with NOTIFY on ``CHANNEL`` (the payload is the
corpus hash) inside the transaction that replaces the corpus: PostgreSQL sends
it only when that transaction commits, so no replica hears of data it cannot
read yet, and a failed load announces nothing. ``VersionListener`` is the other
end: one connection of its own, in autocommit mode, that LISTENs and can read
the stored version. SQLite has no such thing; there nothing is announced.

Every failure to reach the server, or a connection lost, is a
``DatabaseOnbereikbaar``: the caller reconnects.
"""

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from wijkwijzer.store.errors import DatabaseOnbereikbaar, OngeldigeDatabaseUrl, first_line

CHANNEL = "wijkwijzer_versie"
CONNECT_TIMEOUT_S = 10
# A bounded connect, and TCP keepalives: a server that vanished without a word (a
# network cut, a machine gone) is noticed within about a minute instead of hours.
OPTIONS: dict[str, int] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
# The stored version, as ``database.loaded_hash`` reads it (table ``CorpusMeta``).
VERSION_SQL = "SELECT value FROM corpus_meta WHERE key = 'content_hash'"


def announces(database_url: str) -> bool:
    """Whether a database at `database_url` announces its versions (PostgreSQL only)."""
    try:
        return make_url(database_url).get_backend_name() == "postgresql"
    except (ArgumentError, ValueError):
        return False


def announce(connection: Connection, version: str) -> None:
    """Queue NOTIFY `version` in `connection`'s transaction: sent when it commits."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(CHANNEL, version)))


def _conninfo(database_url: str) -> str:
    """The libpq URI of an SQLAlchemy URL (``postgresql+psycopg://`` → ``postgresql://``)."""
    try:
        url = make_url(database_url).set(drivername="postgresql")
    except (ArgumentError, ValueError) as exc:
        raise OngeldigeDatabaseUrl(first_line(exc)) from exc
    return url.render_as_string(hide_password=False)


class VersionListener:
    """One connection that LISTENs on ``CHANNEL``; ``close()`` it when done."""

    def __init__(self, database_url: str, application_name: str = "wijkwijzer-replica") -> None:
        try:
            self._conn: psycopg.Connection[tuple[object, ...]] = psycopg.connect(
                make_conninfo(
                    _conninfo(database_url), application_name=application_name, **OPTIONS
                ),
                autocommit=True,
            )
        except psycopg.Error as exc:
            raise DatabaseOnbereikbaar(first_line(exc)) from exc
        try:
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self._conn.close()
            raise DatabaseOnbereikbaar(first_line(exc)) from exc

    def close(self) -> None:
        self._conn.close()

    def wait(self, timeout: float) -> list[str]:
        """The versions announced within `timeout` seconds; returns at the first ([] if none).

        Notifications that arrived while this was not waiting (during ``version``)
        come first: psycopg keeps them.
        """
        try:
            return [n.payload for n in self._conn.notifies(timeout=timeout, stop_after=1)]
        except psycopg.Error as exc:
            raise DatabaseOnbereikbaar(first_line(exc)) from exc

    def version(self) -> str | None:
        """The corpus version the database holds now (None when nothing was loaded)."""
        try:
            row = self._conn.execute(VERSION_SQL).fetchone()
        except psycopg.errors.UndefinedTable:
            return None  # an empty database: no load yet
        except psycopg.Error as exc:  # the caller starts again on a new connection
            raise DatabaseOnbereikbaar(first_line(exc)) from exc
        return None if row is None else str(row[0])
