"""One opened index version: its searcher, documents, synonyms, speller and matcher.

An ``OpenedIndex`` belongs to one thread (``SearchIndex`` keeps one per
thread): Whoosh searchers must not be shared.
"""

import json
from pathlib import Path

import whoosh.index

from wijkwijzer.analysis import Word, curated_stems
from wijkwijzer.index_schema import TAG_FIELDS, TEXT_FIELDS
from wijkwijzer.index_store import WORD_FORMS_FILE, read_version
from wijkwijzer.matching import Matcher
from wijkwijzer.query import QueryPlan
from wijkwijzer.spelling import Speller
from wijkwijzer.synonyms import Synonyms, read_synonyms

_FIELDS_CACHE_SIZE = 100_000


class OpenedIndex:
    """One opened index version, used by one thread only; the lexicon of its query plans."""

    def __init__(self, target: str, path: Path) -> None:
        self.target = target
        index = whoosh.index.open_dir(str(path), readonly=True)
        self.searcher = index.searcher()
        try:
            self.reader = self.searcher.reader()
            self.analyzer = index.schema["naam"].analyzer
            self.slugs: list[str] = [""] * self.reader.doc_count_all()
            self.tags: list[frozenset[str]] = [frozenset()] * len(self.slugs)
            for docnum, stored in self.reader.iter_docs():
                self.slugs[docnum] = stored["slug"]
                self.tags[docnum] = frozenset(
                    f"{name}:{value}"
                    for name in TAG_FIELDS
                    for value in (stored.get(name) or "").split(",")
                    if value
                )
            self.docnums = {slug: i for i, slug in enumerate(self.slugs) if slug}
            self.synonyms = Synonyms(self.analyzer, read_synonyms())
            self.version = read_version(path)
            forms_file = path / WORD_FORMS_FILE
            word_forms: dict[str, str] = (
                json.loads(forms_file.read_text("utf-8")) if forms_file.is_file() else {}
            )
            self._fields: dict[str, tuple[str, ...]] = {}
            self.speller = Speller(
                self.reader, index.schema, self.analyzer, word_forms, self.fields_with
            )
            self.matcher = Matcher(self.searcher, self.fields_with)
            self.plans: dict[str, QueryPlan] = {}  # this thread's recent queries
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
