"""Whether the database answers: one log line when an outage starts, and one when it ends.

Every read of the database by the catalogue (a new version, the health check)
goes through ``Outage.watch``; a failure to reach it is logged once, not once per
request, and the first read that succeeds again says how long it lasted.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from wijkwijzer.catalogue.errors import DatabaseOnbereikbaar

LOGGER = "wijkwijzer.database"
log = logging.getLogger(LOGGER)


class Outage:
    """The state of the database as this process last saw it."""

    def __init__(self) -> None:
        self.since: float | None = None  # monotonic time of the first failure, while down
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self.since is not None

    @contextmanager
    def watch(self) -> Iterator[None]:
        """Note whether the database reads inside the block reach the database."""
        try:
            yield
        except DatabaseOnbereikbaar as exc:
            self.failed(exc)
            raise
        self.answered()

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self.since is None:
                self.since = time.monotonic()
                log.error(
                    "de database is niet bereikbaar (%s); wat haar nodig heeft, krijgt 503", exc
                )

    def answered(self) -> None:
        if self.since is None:  # the usual case: no lock
            return
        with self._lock:
            if self.since is not None:
                seconds = time.monotonic() - self.since
                self.since = None
                log.warning("de database is weer bereikbaar, na %.0f s", seconds)
