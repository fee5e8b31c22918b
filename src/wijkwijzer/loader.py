"""Load a validated corpus into the store: the database (and, later, the index)."""

from wijkwijzer.config import Settings
from wijkwijzer.corpus import Corpus
from wijkwijzer.db import make_engine, replace_corpus


def load_catalogue(settings: Settings, corpus: Corpus) -> Corpus:
    """Replace the database content with `corpus`; on any failure the old content stays."""
    engine = make_engine(settings.database_url)
    try:
        replace_corpus(engine, corpus)
    finally:
        engine.dispose()
    return corpus
