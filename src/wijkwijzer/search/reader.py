"""One opened index version: what all threads share, and each thread's own searcher.

``VersionData`` holds what one index version knows and every thread may share
(documents, tags, synonyms, query plans, scores). An ``OpenedIndex`` belongs
to one thread (``SearchIndex`` keeps one per thread): Whoosh searchers must
not be shared.
"""

import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh.index

from wijkwijzer.search.analysis import Word, curated_stems
from wijkwijzer.search.matching import Matcher
from wijkwijzer.search.plan import QueryPlan
from wijkwijzer.search.schema import TAG_FIELDS, TEXT_FIELDS
from wijkwijzer.search.scoring import DEFAULT_CACHE_MB, ScoreCache
from wijkwijzer.search.spelling import Speller, spelling_words
from wijkwijzer.search.synonyms import Synonyms, read_synonyms
from wijkwijzer.search.versions import WORD_FORMS_FILE, read_version

_FIELDS_CACHE_SIZE = 100_000
_PLAN_CACHE_SIZE = 1024
_RELATED_CACHE_SIZE = 10_000


class VersionData:
    """What one index version holds, read once and shared by every thread."""

    def __init__(self, path: Path, reader: Any, analyzer: Any, cache_bytes: int) -> None:
        self.version = read_version(path)
        self.slugs: list[str] = [""] * reader.doc_count_all()
        tag_sets: list[frozenset[str]] = [frozenset()] * len(self.slugs)
        for docnum, stored in reader.iter_docs():
            self.slugs[docnum] = stored["slug"]
            tag_sets[docnum] = frozenset(
                f"{name}:{value}"
                for name in TAG_FIELDS
                for value in (stored.get(name) or "").split(",")
                if value
            )
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
        self.synonyms = Synonyms(analyzer, read_synonyms())
        forms_file = path / WORD_FORMS_FILE
        self.word_forms: dict[str, str] = (
            json.loads(forms_file.read_text("utf-8")) if forms_file.is_file() else {}
        )
        self.spelling = spelling_words(path, reader)
        self.fields: dict[str, tuple[str, ...]] = {}
        self.scores = ScoreCache(len(self.slugs), cache_bytes)
        self.plans: OrderedDict[str, QueryPlan] = OrderedDict()
        self.related: dict[tuple[str, int], list[str]] = {}
        self.lock = threading.Lock()

    def plan(self, query: str) -> QueryPlan | None:
        with self.lock:
            return self.plans.get(query)

    def keep_plan(self, query: str, plan: QueryPlan) -> None:
        with self.lock:
            self.plans[query] = plan
            if len(self.plans) > _PLAN_CACHE_SIZE:
                self.plans.popitem(last=False)

    def keep_related(self, key: tuple[str, int], slugs: list[str]) -> None:
        with self.lock:
            if len(self.related) >= _RELATED_CACHE_SIZE:
                self.related.clear()
            self.related[key] = slugs


class OpenedIndex:
    """One opened index version, used by one thread only; the lexicon of its query plans."""

    def __init__(
        self,
        target: str,
        path: Path,
        shared: VersionData | None = None,
        cache_bytes: int = DEFAULT_CACHE_MB * 1024 * 1024,
    ) -> None:
        self.target = target
        index = whoosh.index.open_dir(str(path), readonly=True)
        self.searcher = index.searcher()
        try:
            self.reader = self.searcher.reader()
            self.analyzer = index.schema["naam"].analyzer
            self.shared = shared or VersionData(path, self.reader, self.analyzer, cache_bytes)
            self.slugs = self.shared.slugs
            self.docnums = self.shared.docnums
            self.synonyms = self.shared.synonyms
            self.version = self.shared.version
            word_forms = self.shared.word_forms
            self._fields = self.shared.fields
            self.speller = Speller(
                self.reader, self.shared.spelling, self.analyzer, word_forms, self.fields_with
            )
            self.matcher = Matcher(self.searcher, self.fields_with, self.shared.scores)
        except BaseException:
            self.searcher.close()
            raise

    def close(self) -> None:
        self.searcher.close()

    def fields_with(self, stem: str) -> tuple[str, ...]:
        """The text fields holding `stem` (memoized: this version never changes)."""
        found = self._fields.get(stem)
        if found is None:
            found = tuple(name for name in TEXT_FIELDS if (name, stem) in self.reader)
            if len(self._fields) >= _FIELDS_CACHE_SIZE:
                self._fields.clear()
            self._fields[stem] = found
        return found

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
