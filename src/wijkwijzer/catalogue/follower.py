"""A replica follows the database: a load next to another machine reaches this one by itself.

Replicas share one PostgreSQL database and each has its own index. A load
announces its version in its own transaction (``store/notices.py``). One
``Follower`` per replica (``wijkwijzer serve`` starts it: in the server process,
or in the supervisor with several workers) listens on one connection; when the
database holds a version the index does not, it builds the index from the
database aside and switches ``current`` (``sync_index``). The workers follow that
link on their next request, as after a local load: none of them rebuilds.

- One thread does it all: one rebuild at a time, and the announcements that
  arrive during a rebuild lead to one more look at the database afterwards, so a
  burst of loads is one rebuild of the newest version.
- Missed announcements (a reconnect, a replica that was down) are caught up by a
  comparison after every (re)connect and every ``replica_check_s`` seconds.
- A failed rebuild leaves the old version in use, is logged once and is tried
  again at the next announcement or comparison.
- A lost connection never stops serving: the workers keep answering, and the
  listener reconnects with a growing delay (``BACKOFF_S``).

On SQLite replicas cannot share a database: there nothing follows.
"""

import logging
import threading
import time
from collections.abc import Callable
from contextlib import closing

from wijkwijzer.catalogue.reloading import index_version, sync_index
from wijkwijzer.config import Settings
from wijkwijzer.store.errors import DatabaseOnbereikbaar, first_line
from wijkwijzer.store.notices import CHANNEL, VersionListener, announces

# The first delay before reconnecting, and the longest: it doubles in between.
BACKOFF_S = (0.5, 30.0)
# The longest single wait on the connection: how soon ``stop`` is noticed.
SLICE_S = 1.0

log = logging.getLogger("wijkwijzer.replica")


def follow_database(settings: Settings) -> Callable[[], None]:
    """Follow the database in a background thread; returns the function that stops it.

    Does nothing on a database that announces no versions (SQLite).
    """
    if not announces(settings.database_url):
        return lambda: None
    follower = Follower(settings)
    follower.start()
    return follower.stop


class Follower:
    """Keeps this replica's index at the database's version, in one background thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stopping = threading.Event()
        self._failed: tuple[str, str] | None = None  # (version, reason) of the failure logged
        self._thread = threading.Thread(target=self._run, name="wijkwijzer-replica", daemon=True)

    def start(self) -> None:
        log.info(
            "replica: volgt de database (kanaal %s, en elke %g s een vergelijking)",
            CHANNEL,
            self.settings.replica_check_s,
        )
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """Stop listening; a rebuild under way is left to finish (or dies with the process)."""
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        delay = BACKOFF_S[0]
        lost_at: float | None = None
        while not self._stopping.is_set():
            try:
                with closing(VersionListener(self.settings.database_url)) as listener:
                    if lost_at is not None:
                        log.warning(
                            "replica: weer verbonden met de database na %.0f s; versies "
                            "vergelijken",
                            time.monotonic() - lost_at,
                        )
                        lost_at = None
                    delay = BACKOFF_S[0]
                    self._listen(listener)
            except DatabaseOnbereikbaar as exc:
                if lost_at is None:
                    lost_at = time.monotonic()
                    log.error(
                        "replica: geen verbinding met de database (%s); de huidige versie blijft "
                        "in gebruik, opnieuw verbinden",
                        exc,
                    )
            except Exception:  # a fault of ours: never let it end following
                log.exception("replica: de database volgen mislukte; opnieuw verbinden")
            self._stopping.wait(delay)
            delay = min(delay * 2, BACKOFF_S[1])

    def _listen(self, listener: VersionListener) -> None:
        """Compare now, then at every announcement and every ``replica_check_s`` seconds."""
        self._catch_up(listener.version())
        next_check = time.monotonic() + self.settings.replica_check_s
        while not self._stopping.is_set():
            now = time.monotonic()
            announced = listener.wait(min(SLICE_S, max(0.0, next_check - now)))
            if announced or time.monotonic() >= next_check:
                self._catch_up(listener.version())  # the newest version, whatever was announced
                next_check = time.monotonic() + self.settings.replica_check_s

    def _catch_up(self, wanted: str | None) -> None:
        """Build the index of the database's version when it is not the index's."""
        old = index_version(self.settings)
        if wanted is None or wanted == old:
            self._failed = None
            return
        started = time.monotonic()
        try:
            built = sync_index(self.settings)
        except DatabaseOnbereikbaar:
            raise  # the connection is gone too: reconnect, and compare again then
        except Exception as exc:
            reason = f"{type(exc).__name__}: {first_line(exc)}"
            if self._failed != (wanted, reason):  # one line, not one per retry
                log.error(
                    "replica: zoekindex van versie %s niet gebouwd (%s); versie %s blijft in "
                    "gebruik, opnieuw bij de volgende melding of vergelijking",
                    wanted,
                    reason,
                    old or "geen",
                )
            self._failed = (wanted, reason)
            return
        self._failed = None
        if built is not None:
            log.info(
                "replica: versie %s vervangen door %s (zoekindex in %.1f s uit de database "
                "gebouwd)",
                old or "geen",
                built,
                time.monotonic() - started,
            )
