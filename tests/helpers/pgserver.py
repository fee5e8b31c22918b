"""A throwaway PostgreSQL server for tests: initdb + pg_ctl on a temp dir and a free port."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(
        "PostgreSQL-serverprogramma's ontbreken (initdb niet gevonden): "
        "installeer ze met 'apt-get install postgresql' (.ci/run doet dat zelf)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PgServer:
    port: int
    user: str
    pg_ctl: tuple[str, ...] = ()  # the pg_ctl command of this cluster (data dir, options, log)

    def stop(self) -> None:
        """Stop the server at once (as a crash would): clients see it unreachable."""
        subprocess.run(
            [*self.pg_ctl, "-m", "immediate", "-w", "stop"], check=True, capture_output=True
        )

    def start(self) -> None:
        """Start it again on the same port, with the same data."""
        subprocess.run([*self.pg_ctl, "-w", "-t", "60", "start"], check=True, capture_output=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def running_postgres() -> Iterator[PgServer]:
    """Start a PostgreSQL server as the `postgres` user when run as root; stop it after."""
    bindir = _bin_dir()
    base = Path(tempfile.mkdtemp(prefix="wijkwijzer-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    user = "postgres"
    run = lambda *args: subprocess.run(  # noqa: E731
        [*prefix, *args], check=True, capture_output=True, text=True
    )
    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            user,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        pg_ctl = (
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "log"),
        )
        server = PgServer(port=port, user=user, pg_ctl=pg_ctl)
        server.start()
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)
