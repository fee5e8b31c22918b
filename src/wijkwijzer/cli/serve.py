"""``wijkwijzer serve``: uvicorn with one or more workers; SIGHUP reloads the corpus.

Before serving, the index is made to match the database (``sync_index``): a
replica sharing a database starts with the right index. While serving on
PostgreSQL, this process follows the database (``catalogue/follower.py``): a load
next to another replica reaches this one by itself. With one worker the
app's lifespan handles SIGHUP itself. With several, uvicorn's supervisor gets
the signal; where uvicorn would restart every worker, ours reloads the corpus
once, and every worker follows the index's ``current`` link. The follower runs
here, never in a worker: one rebuild per replica, whatever the number of workers.
"""

import contextlib
import copy
import logging
from socket import socket
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from wijkwijzer.catalogue.follower import follow_database
from wijkwijzer.catalogue.reloading import Reloader, sync_index
from wijkwijzer.cli.faults import EXIT_SERVER, SETUP_FAULTS, fault
from wijkwijzer.config import Settings

APP = "wijkwijzer.web.app:create_app"

log = logging.getLogger("wijkwijzer.serve")


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the ``wijkwijzer`` loggers (reloads) through the same handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["wijkwijzer"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


class ReloadingSupervisor(Multiprocess):
    """uvicorn's multi-worker supervisor, with SIGHUP meaning: reload the corpus."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket], settings: Settings) -> None:
        super().__init__(config, sockets=sockets)
        self.reloader = Reloader(settings)

    def handle_hup(self) -> None:
        self.reloader.request()


def serve(settings: Settings, host: str, port: int, workers: int) -> int:
    """Serve until stopped; returns the exit code."""
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        server_header=False,
        proxy_headers=True,
        log_config=log_config(),
    )
    try:
        built = sync_index(settings)
    except PermissionError as exc:  # a read-only index (docs/deploy.md): serve what it holds
        found = fault(exc, settings)
        log.warning("zoekindex niet bijgewerkt: %s", found.line if found else exc)
    except SETUP_FAULTS:
        raise  # a folder, the database: one line from the command (cli/faults.py)
    except Exception:
        log.exception("de zoekindex kon niet uit de database worden gebouwd")
    else:
        if built:
            log.info("zoekindex %s uit de database gebouwd", built)
    stop_following = follow_database(settings)
    try:
        return _run(config, settings)
    finally:
        stop_following()


def _run(config: uvicorn.Config, settings: Settings) -> int:
    if config.workers <= 1:
        server = uvicorn.Server(config)
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises SIGINT again at the end
            server.run()
        return 0 if server.started else EXIT_SERVER
    sock = config.bind_socket()
    supervisor = ReloadingSupervisor(config, [sock], settings)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            supervisor.run()
    finally:
        supervisor.reloader.stop(timeout=5)
        sock.close()
    return 0
