"""One opened index version: what all threads share, and each thread's own Whoosh searcher.

``VersionData`` holds what one index version knows and every thread may share
(documents, tags, the postings arrays, synonyms, query plans, scores). An
``OpenedIndex`` belongs to one thread (``SearchIndex`` keeps one per thread):
Whoosh searchers must not be shared, and a thread opens one only when a query
comes that Whoosh runs itself.
"""

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh.index

from wijkwijzer.search.analysis import Word, curated_stems
from wijkwijzer.search.caches import Lru
from wijkwijzer.search.highlight import TextWords, text_words
from wijkwijzer.search.matching import Matcher
from wijkwijzer.search.names import NameIndex
from wijkwijzer.search.plan import QueryPlan
from wijkwijzer.search.postings import PostingsArrays, bm25f
from wijkwijzer.search.scoring import DEFAULT_CACHE_MB, ScoreCache
from wijkwijzer.search.spelling import Speller, spelling_words
from wijkwijzer.search.synonyms import Synonyms, read_synonyms
from wijkwijzer.search.versions import (
    DOCUMENTS_FILE,
    WORD_FORMS_FILE,
    check_format,
    read_version,
)

_PLAN_CACHE_SIZE = 1024
# The words of the texts highlights were made of, counted in words: texts shown again
# (the first results of common queries) are not analysed again.
_WORDS_CACHE_SIZE = 2_000_000
_RELATED_CACHE_SIZE = 10_000


class VersionData:
    """What one index version holds, read once and shared by every thread.

    Raises IndexFormatError for a version of another index format.
    """

    def __init__(self, path: Path, cache_bytes: int = DEFAULT_CACHE_MB * 1024 * 1024) -> None:
        check_format(path)
        self.version = read_version(path)
        index = whoosh.index.open_dir(str(path), readonly=True)
        self.analyzer: Any = index.schema["naam"].analyzer
        documents: dict[str, Any] = json.loads((path / DOCUMENTS_FILE).read_text("utf-8"))
        self.slugs: list[str] = documents["slugs"]
        tag_sets = [frozenset(tags) for tags in documents["tags"]]
        self.docnums = {slug: i for i, slug in enumerate(self.slugs) if slug}
        # Rank of each document's slug: the last tie-breaker of every ordering.
        self.slug_rank = np.empty(len(self.slugs), np.int64)
        self.slug_rank[sorted(range(len(self.slugs)), key=self.slugs.__getitem__)] = np.arange(
            len(self.slugs)
        )
        columns = sorted(set().union(*tag_sets))
        self.tags: npt.NDArray[np.bool_] = np.zeros((len(self.slugs), len(columns)), np.bool_)
        column = {tag: i for i, tag in enumerate(columns)}
        for docnum, tags in enumerate(tag_sets):
            self.tags[docnum, [column[t] for t in tags]] = True
        self.postings = PostingsArrays(path, len(self.slugs))
        synonym_file = read_synonyms()
        self.synonyms = Synonyms(self.analyzer, synonym_file)
        self.names = NameIndex(documents["namen"], synonym_file.digits)
        forms_file = path / WORD_FORMS_FILE
        word_forms: dict[str, str] = json.loads(forms_file.read_text("utf-8"))
        self.speller = Speller(
            spelling_words(path),
            self.analyzer,
            word_forms,
            self.fields_with,
            self.postings.doc_frequency,
        )
        self.scores = ScoreCache(self.postings, cache_bytes)
        self.plans: Lru[str, QueryPlan] = Lru(_PLAN_CACHE_SIZE)
        self.related: Lru[tuple[str, int], list[str]] = Lru(_RELATED_CACHE_SIZE)
        self._words: Lru[str, TextWords] = Lru(_WORDS_CACHE_SIZE, len)

    def text_words(self, text: str) -> TextWords:
        """The words of `text` with their stems, as highlights read them (kept per version)."""
        found = self._words.get(text)
        if found is None:
            found = text_words(self.analyzer, text)
            self._words.put(text, found)
        return found

    def fields_with(self, stem: str) -> tuple[str, ...]:
        """The text fields holding `stem`."""
        return self.postings.fields_with(stem)

    # The lexicon of query plans (``plan.Lexicon``).

    def indexed(self, stem: str) -> bool:
        """Whether any text field holds `stem`."""
        return bool(self.fields_with(stem))

    def known(self, word: Word) -> bool:
        """A word not to correct: the index holds it (or all its parts), or it is real.

        A word of the curated vocabulary is real even when the corpus does not use it.
        """
        if self.fields_with(word.stem) or word.stem in curated_stems():
            return True
        return bool(word.parts) and all(self.fields_with(p) for p in word.parts)

    def suggest(self, text: str) -> str | None:
        """The closest indexed word to an unknown word, or None."""
        return self.speller.suggest(text)


class OpenedIndex:
    """One index version as one thread uses it: the shared data, its own Whoosh searcher."""

    def __init__(
        self,
        target: str,
        path: Path,
        shared: VersionData | None = None,
        cache_bytes: int = DEFAULT_CACHE_MB * 1024 * 1024,
    ) -> None:
        self.target = target
        self.path = path
        self.shared = shared or VersionData(path, cache_bytes)
        self.version = self.shared.version
        self.slugs = self.shared.slugs
        self.analyzer = self.shared.analyzer
        self._searcher: Any = None
        self.matcher = Matcher(self.shared.fields_with, self.shared.scores, self.whoosh_searcher)

    def whoosh_searcher(self) -> Any:
        """This thread's Whoosh searcher of the version, opened when first asked."""
        if self._searcher is None:
            index = whoosh.index.open_dir(str(self.path), readonly=True)
            self._searcher = index.searcher(weighting=bm25f())
        return self._searcher

    searcher = property(whoosh_searcher)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
