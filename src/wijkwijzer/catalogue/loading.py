"""Load a validated corpus into the store: the database and the search index.

Order matters for "nothing lost": the new index is built aside first, then the
database is replaced in one transaction, and only then is the new index made
current. A failure at any step leaves the previous catalogue serving. Loads on
one machine take turns (a lock file in the index directory), so two loads can
never leave the database of one next to the index of the other.

A load of a large corpus takes minutes; given a `report` function, the loader
tells it (in Dutch, one line at a time) which step it is in.
"""

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import Corpus
from wijkwijzer.search import activate_index, build_index, current_index, discard_index
from wijkwijzer.store.database import make_engine, replace_corpus

LOCK_FILE = ".load.lock"
# Index progress is reported at most this often (seconds), and once when done.
INDEX_REPORT_EVERY = 5.0

Report = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


@contextmanager
def load_lock(index_root: Path, report: Report = _silent) -> Iterator[None]:
    """Hold the machine-wide lock for changing the catalogue under `index_root`."""
    index_root.mkdir(parents=True, exist_ok=True)
    with (index_root / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report("wachten: een ander proces laadt de catalogus al")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def load_catalogue(settings: Settings, corpus: Corpus, report: Report | None = None) -> Corpus:
    """Replace database and index with `corpus`; on any failure the old ones stay."""
    say = report or _silent
    with load_lock(settings.index_path, say):
        say(f"zoekindex bouwen voor {len(corpus.aanpakken)} aanpakken")
        version_dir = build_index(
            settings.index_path, corpus, progress=index_progress(report) if report else None
        )
        say("database vullen")
        engine = make_engine(settings.database_url)
        try:
            replace_corpus(engine, corpus)
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
