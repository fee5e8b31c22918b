"""Load a validated corpus into the store: the database and the search index.

Order matters for "nothing lost": the new index is built aside first, then the
database is replaced in one transaction, and only then is the new index made
current. A failure at any step leaves the previous catalogue serving. Loads on
one machine take turns (a lock file in the index directory), so two loads can
never leave the database of one next to the index of the other.

A load of a large corpus takes minutes; given a `report` function, the loader
tells it (in Dutch, one line at a time) which step it is in.

A load that was killed leaves its scratch folder (``.scratch-v-…``) in the index
directory. Whoever holds the lock knows no other load is running, so the next
load removes such folders, and so does ``wijkwijzer serve`` at its start when
no load holds the lock (``remove_stale_scratch``).
"""

import fcntl
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import Corpus
from wijkwijzer.search import (
    activate_index,
    build_index,
    current_index,
    discard_index,
    scratch_dirs,
)
from wijkwijzer.store.database import make_engine, replace_corpus

LOCK_FILE = ".load.lock"
# Index progress is reported at most this often (seconds), and once when done.
INDEX_REPORT_EVERY = 5.0

Report = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


def _lock_file(index_root: Path, reader: bool) -> TextIO:
    path = index_root / LOCK_FILE
    try:
        return path.open("a")
    except PermissionError:
        if not reader:
            raise
        return path.open("r")  # flock takes a read-only handle too


@contextmanager
def load_lock(
    index_root: Path, report: Report = _silent, *, reader: bool = False
) -> Iterator[None]:
    """Hold the machine-wide lock for changing the catalogue under `index_root`.

    A `reader` (``sync_index``: a server, perhaps with a read-only index) that may
    not write the lock file still waits its turn: a load on this machine is then
    waited for, and whatever the reader must write itself fails by itself.
    """
    index_root.mkdir(parents=True, exist_ok=True)
    with _lock_file(index_root, reader) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report("wachten: een ander proces laadt de catalogus al")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_scratch(index_root: Path) -> None:
    """Remove every build's scratch folder; only for the holder of the load lock."""
    for path in scratch_dirs(index_root):
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_scratch(index_root: Path) -> bool:
    """Remove the scratch folders killed loads left, unless a load runs now; True if removed.

    A running load holds the lock, and its scratch folder is in use: then nothing
    is removed. An index directory this process may not write is left alone.
    """
    if not scratch_dirs(index_root):
        return False
    try:
        with (index_root / LOCK_FILE).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            try:
                _remove_scratch(index_root)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return True


def index_progress(report: Report, every: float = INDEX_REPORT_EVERY) -> Callable[[int, int], None]:
    """A progress callback for ``build_index`` that reports at most every `every` seconds."""
    last = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done >= total or now - last >= every:
            last = now
            percent = done * 100 // total if total else 100
            line = f"zoekindex: {done} van {total} aanpakken ({percent} %)"
            report(line + (", nu wegschrijven" if done >= total else ""))

    return progress


def load_catalogue(
    settings: Settings,
    corpus: Corpus,
    report: Report | None = None,
    *,
    now: datetime | None = None,
) -> Corpus:
    """Replace database and index with `corpus`; on any failure the old ones stay.

    The database records what changed per approach at `now` (the current time
    when None; ``store/changes.py``), in the transaction that replaces it.
    """
    say = report or _silent
    with load_lock(settings.index_path, say):
        _remove_scratch(settings.index_path)  # left by a load that was killed
        say(f"zoekindex bouwen voor {len(corpus.aanpakken)} aanpakken")
        version_dir = build_index(
            settings.index_path, corpus, progress=index_progress(report) if report else None
        )
        say("database vullen")
        engine = make_engine(settings.database_url)
        try:
            replace_corpus(engine, corpus, now)
        except BaseException:
            discard_index(version_dir)
            raise
        finally:
            engine.dispose()
        say("nieuwe versie in gebruik nemen")
        try:
            activate_index(settings.index_path, version_dir)
        except BaseException:
            # Servers keep the previous version (its index no longer matches the
            # database); the next load, or `wijkwijzer index`, makes them meet again.
            if current_index(settings.index_path) != version_dir:
                discard_index(version_dir)
            raise
    return corpus
