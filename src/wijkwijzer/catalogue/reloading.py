"""Reloading a running catalogue: on SIGHUP, and making a replica's index match the database.

Every serving process answers from the index version that ``current`` points at,
once the database holds the same corpus (see ``Catalogue.versie``). So a load
done by any process on the machine (``wijkwijzer load``, or a SIGHUP handled
here) reaches every worker on its next request, and a refused load changes
nothing: the corpus is read once into memory and validated before the database
or the index is touched. A SIGHUP's load runs in a child process with a time
and a memory limit (``reload_process``): whatever the new corpus holds, the
server keeps serving, logs one line, and takes the next SIGHUP.
"""

import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from wijkwijzer.catalogue.loading import load_catalogue, load_lock, remove_stale_scratch
from wijkwijzer.catalogue.reload_process import ChildReload
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import (
    INDEX_FORMAT,
    SearchIndex,
    activate_index,
    build_index,
    outdated_index,
)
from wijkwijzer.store.database import loaded_hash, make_engine, read_corpus

log = logging.getLogger("wijkwijzer.reload")


def index_version(settings: Settings) -> str | None:
    """The corpus hash of the active index version (None without an index)."""
    return SearchIndex(settings.index_path).version


def reload_catalogue(
    settings: Settings, corpus_file: Path | None = None, only_if_changed: bool = False
) -> Corpus | None:
    """Validate the corpus and load it; raise CorpusError (nothing changed) when invalid.

    With `only_if_changed`, a corpus whose version is already in the database and
    the index is not loaded again (returns None): several processes receiving the
    same SIGHUP do the work once.
    """
    corpus = load_corpus(
        corpus_file or settings.corpus, settings.vocabulaire, max_mb=settings.max_corpus_mb
    )
    if only_if_changed and _is_current(settings, corpus.content_hash):
        return None
    return load_catalogue(settings, corpus)


def _is_current(settings: Settings, version: str) -> bool:
    engine = make_engine(settings.database_url)
    try:
        return loaded_hash(engine) == version == index_version(settings)
    finally:
        engine.dispose()


def sync_index(settings: Settings) -> str | None:
    """Build the index from the database when it is missing or of another version.

    For a replica's first start (the database is shared, the index is local),
    after a load whose activation failed, and when the index on disk was written
    in another index format (an older release: it is not opened, so it counts
    as missing). Returns the version built, or None when nothing had to be done
    (or the database is empty).
    """
    if remove_stale_scratch(settings.index_path):
        log.info("tijdelijke mappen van een afgebroken laadbeurt opgeruimd")
    engine = make_engine(settings.database_url)
    try:
        if loaded_hash(engine) in (None, index_version(settings)):
            return None  # decided without writing: serving users may not write the index
        with load_lock(settings.index_path, reader=True):
            wanted = loaded_hash(engine)
            if wanted is None or wanted == index_version(settings):
                return None
            corpus = read_corpus(engine)
            if corpus is None:
                return None
            outdated = outdated_index(settings.index_path)
            if outdated is not None:
                log.warning(
                    "zoekindex %s heeft een ander indexformaat (deze versie leest formaat %d): "
                    "opnieuw opbouwen uit de database",
                    outdated.name,
                    INDEX_FORMAT,
                )
            activate_index(settings.index_path, build_index(settings.index_path, corpus))
            return corpus.content_hash
    finally:
        engine.dispose()


class Reloader:
    """Reloads the corpus in a background thread, one at a time, whenever asked.

    ``request()`` only sets an event, so it is safe in a signal handler; requests
    arriving during a reload are folded into one more reload afterwards. Each
    reload runs in a child process (``ChildReload``); ``stop()`` kills a running one.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._child = ChildReload(settings)
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="wijkwijzer-reload", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self, timeout: float = 30) -> None:
        self._stopping = True
        self._child.kill()
        self._wanted.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping:
                return
            self._wanted.clear()
            reload_logged(self.settings, self._child)


def reload_logged(settings: Settings, child: ChildReload | None = None) -> bool:
    """Reload from the corpus file in a child process; log the outcome in one line."""
    log.info("herladen van %s gevraagd", settings.corpus)
    try:
        outcome = (child or ChildReload(settings)).run()
    except Exception as exc:  # e.g. no process could be started
        log.error(
            "herladen mislukt: %s: %s; de vorige versie blijft staan", type(exc).__name__, exc
        )
        return False
    if outcome.ok:
        log.info("%s", outcome.line)
    else:
        log.error("%s", outcome.line)
    return outcome.ok


def install_sighup(settings: Settings) -> Callable[[], None]:
    """Reload on SIGHUP in this process; returns the function that undoes it.

    Only the main thread can install signal handlers: elsewhere (a test client,
    uvicorn in a thread) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    reloader = Reloader(settings)

    def on_hup(_signum: int, _frame: FrameType | None) -> None:
        reloader.request()

    previous = signal.signal(signal.SIGHUP, on_hup)

    def restore() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_DFL if previous is None else previous)
        reloader.stop()

    return restore
