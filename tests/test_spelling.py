"""Spelling suggestions come from the word list a build writes, as from Whoosh's spell fields."""

import json
import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search.analysis import curated_words, dutch_analyzer, filter_chain, plain_words
from wijkwijzer.search.schema import TEXT_FIELDS, document_texts
from wijkwijzer.search.spelling import Speller, spelling_words
from wijkwijzer.search.versions import SPELLING_FILE, build_index


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def texts(corpus: Corpus) -> list[dict[str, str]]:
    return [document_texts(a, corpus.vocabulaire) for a in corpus.aanpakken]


@pytest.fixture(scope="module")
def spell_field_index(texts: list[dict[str, str]]) -> Any:
    """The real corpus indexed as before: text fields with Whoosh's ``spelling=True``."""
    all_texts = [t for doc in texts for t in doc.values()]
    analyzer = filter_chain(plain_words(all_texts) | curated_words())
    schema = Schema(**{name: TEXT(analyzer=analyzer, spelling=True) for name in TEXT_FIELDS})
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for doc in texts:
            writer.add_document(**doc)
    return index


def spell_field_words(reader: Any) -> list[str]:
    """The words of Whoosh's spelling fields (``spell_<field>``), sorted."""
    found: set[str] = set()
    schema = reader.schema
    for name in TEXT_FIELDS:
        if name in schema and schema[name].separate_spelling():
            found.update(reader.field_terms(schema[name].spelling_fieldname(name)))
    return sorted(found)


def test_word_list_holds_the_words_of_the_spell_fields(
    tmp_path: Path, corpus: Corpus, spell_field_index: Any
) -> None:
    with spell_field_index.reader() as reader:
        expected = spell_field_words(reader)
    assert len(expected) > 500
    version_dir = build_index(tmp_path, corpus)
    assert json.loads((version_dir / SPELLING_FILE).read_text("utf-8")) == expected
    assert spelling_words(version_dir) == expected


def test_same_suggestions_from_word_list_and_spell_fields(
    tmp_path: Path, corpus: Corpus, texts: list[dict[str, str]], spell_field_index: Any
) -> None:
    version_dir = build_index(tmp_path, corpus)
    all_texts = [t for doc in texts for t in doc.values()]
    analyzer = dutch_analyzer(plain_words(all_texts) | curated_words())
    rng = random.Random(3)
    words = sorted(w for w in plain_words(all_texts) if len(w) >= 5)
    typos = ["eenzaamhied", "ouderren", "buurtbemiddelling", "geëvalueert", "jongren", "xyzzyq"]
    for word in rng.sample(words, 150):
        i = rng.randrange(len(word) - 1)
        typos += [word[:i] + word[i + 1 :], word[:i] + word[i + 1] + word[i] + word[i + 2 :]]
    # Both spellers ask the same reader for the fields and frequencies of a candidate;
    # one takes its words from the build's file, the other from the spell fields.
    with spell_field_index.searcher() as searcher:
        reader = searcher.reader()

        def fields_with(stem: str) -> tuple[str, ...]:
            return tuple(name for name in TEXT_FIELDS if (name, stem) in reader)

        in_file, in_fields = spelling_words(version_dir), spell_field_words(reader)
        frequency = reader.doc_frequency
        from_file = Speller(in_file, analyzer, {}, fields_with, frequency)
        from_fields = Speller(in_fields, analyzer, {}, fields_with, frequency)
        suggestions = [from_file.suggest(typo) for typo in typos]
        assert suggestions == [from_fields.suggest(typo) for typo in typos]
    assert sum(s is not None for s in suggestions) > 100
    assert suggestions[:3] == ["eenzaamheid", "ouderen", "buurtbemiddeling"]


def test_no_words_means_no_suggestions() -> None:
    speller = Speller([], dutch_analyzer(), {}, lambda stem: ("naam",), lambda field, stem: 1)
    assert speller.suggest("eenzaamhied") is None
