"""A search index of a corpus, built and opened for a test module."""

from collections.abc import Iterator
from pathlib import Path

from wijkwijzer.corpus.models import Corpus
from wijkwijzer.search import SearchIndex, activate_index, build_index


def opened_index(root: Path, corpus: Corpus) -> Iterator[SearchIndex]:
    """Build an index of `corpus` under `root`, activate it, and yield it opened."""
    activate_index(root, build_index(root, corpus))
    with SearchIndex(root) as opened:
        yield opened
