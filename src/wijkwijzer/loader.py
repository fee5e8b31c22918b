"""Load a validated corpus into the store: the database and the search index.

Order matters for "nothing lost": the new index is built aside first, then the
database is replaced in one transaction, and only then is the new index made
current. A failure at any step leaves the previous catalogue serving. Loads on
one machine take turns (a lock file in the index directory), so two loads can
never leave the database of one next to the index of the other.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wijkwijzer.config import Settings
from wijkwijzer.corpus import Corpus
from wijkwijzer.db import make_engine, replace_corpus
from wijkwijzer.search import activate_index, build_index, current_index, discard_index

LOCK_FILE = ".load.lock"


@contextmanager
def load_lock(index_root: Path) -> Iterator[None]:
    """Hold the machine-wide lock for changing the catalogue under `index_root`."""
    index_root.mkdir(parents=True, exist_ok=True)
    with (index_root / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_catalogue(settings: Settings, corpus: Corpus) -> Corpus:
    """Replace database and index with `corpus`; on any failure the old ones stay."""
    with load_lock(settings.index_path):
        version_dir = build_index(settings.index_path, corpus)
        engine = make_engine(settings.database_url)
        try:
            replace_corpus(engine, corpus)
        except BaseException:
            discard_index(version_dir)
            raise
        finally:
            engine.dispose()
        try:
            activate_index(settings.index_path, version_dir)
        except BaseException:
            # Servers keep the previous version (its index no longer matches the
            # database); the next load, or `wijkwijzer index`, makes them meet again.
            if current_index(settings.index_path) != version_dir:
                discard_index(version_dir)
            raise
    return corpus
