"""Load a validated corpus into the store: the database and the search index.

Order matters for "nothing lost": the new index is built aside first, then the
database is replaced in one transaction, and only then is the new index made
current. A failure at any step leaves the previous catalogue serving.
"""

from wijkwijzer.config import Settings
from wijkwijzer.corpus import Corpus
from wijkwijzer.db import make_engine, replace_corpus
from wijkwijzer.search import activate_index, build_index, discard_index


def load_catalogue(settings: Settings, corpus: Corpus) -> Corpus:
    """Replace database and index with `corpus`; on any failure the old ones stay."""
    version_dir = build_index(settings.index_path, corpus)
    engine = make_engine(settings.database_url)
    try:
        replace_corpus(engine, corpus)
    except BaseException:
        discard_index(version_dir)
        raise
    finally:
        engine.dispose()
    activate_index(settings.index_path, version_dir)
    return corpus
