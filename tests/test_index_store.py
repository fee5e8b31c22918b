"""Building an index version: the same index as Whoosh's own writer, progress, word files."""

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import whoosh.index
from whoosh.filedb.filestore import RamStorage

from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import versions as index_store
from wijkwijzer.search.analysis import DutchAnalyzer, curated_words, filter_chain, plain_words
from wijkwijzer.search.schema import TEXT_FIELDS, document, document_texts, make_schema
from wijkwijzer.search.versions import SPELLING_FILE, WORD_FORMS_FILE, build_index


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The real corpus ten times over (other slugs): terms with postings over several blocks."""
    real = load_corpus(REAL_CORPUS, VOCABULAIRE)
    copies = tuple(
        a.model_copy(update={"slug": f"{a.slug}-{i}"}) for i in range(10) for a in real.aanpakken
    )
    return dataclasses.replace(real, aanpakken=copies)


def reference_index(corpus: Corpus) -> Any:
    """The index as Whoosh writes it: its writer and pool, tokens from the filter chain."""
    texts = [document_texts(a, corpus.vocabulaire) for a in corpus.aanpakken]
    words = plain_words(t for doc in texts for t in doc.values()) | curated_words()
    index = RamStorage().create_index(make_schema(filter_chain(words)))
    writer = index.writer(limitmb=1)  # small: the pool sorts in several runs
    for aanpak, doc_texts in zip(corpus.aanpakken, texts, strict=True):
        writer.add_document(**document(aanpak, doc_texts))
    writer.commit()
    return index


def contents(index: Any) -> tuple[dict[Any, Any], list[Any], dict[str, list[int]]]:
    """Every term with its statistics and postings, the stored fields, the field lengths."""
    terms: dict[Any, Any] = {}
    with index.reader() as reader:
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            statistics = (info.weight(), info.doc_frequency(), info.min_length())
            terms[fieldname, term] = (*statistics, info.max_length(), info.max_weight(), postings)
        stored = list(reader.iter_docs())
        count = reader.doc_count_all()
        lengths = {f: [reader.doc_field_length(d, f) for d in range(count)] for f in TEXT_FIELDS}
    return terms, stored, lengths


def test_same_index_as_whoosh_writes(tmp_path: Path, corpus: Corpus) -> None:
    version_dir = build_index(tmp_path, corpus)
    built = whoosh.index.open_dir(str(version_dir), readonly=True)
    assert isinstance(built.schema["naam"].analyzer, DutchAnalyzer)
    expected = contents(reference_index(corpus))
    found = contents(built)
    assert found[1:] == expected[1:]
    assert found[0].keys() == expected[0].keys()
    assert found[0] == expected[0]
    assert max(len(v[-1]) for v in found[0].values()) > 128  # several posting blocks


def test_schema_has_no_related_or_spelling_fields(tmp_path: Path, corpus: Corpus) -> None:
    index = whoosh.index.open_dir(str(build_index(tmp_path, corpus)), readonly=True)
    names = set(index.schema.names())
    assert "alles" not in names
    assert not [name for name in names if name.startswith("spell_")]
    assert set(TEXT_FIELDS) <= names


def test_progress_is_reported(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_store, "PROGRESS_EVERY", 100)
    calls: list[tuple[int, int]] = []
    build_index(tmp_path, corpus, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(100, 240), (200, 240), (240, 240)]


def test_word_files_are_written(tmp_path: Path, corpus: Corpus) -> None:
    version_dir = build_index(tmp_path, corpus)
    forms = json.loads((version_dir / WORD_FORMS_FILE).read_text("utf-8"))
    assert forms.get("geevalueerd") == "geëvalueerd"
    words = json.loads((version_dir / SPELLING_FILE).read_text("utf-8"))
    assert words == sorted(words)
    assert {"huiswerkbegeleiding", "huiswerk", "begeleiding"} <= set(words)  # parts, unstemmed


def test_a_failed_build_leaves_nothing(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(done: int, total: int) -> None:
        raise RuntimeError("stop")

    monkeypatch.setattr(index_store, "PROGRESS_EVERY", 10)
    with pytest.raises(RuntimeError):
        build_index(tmp_path, corpus, progress=fail)
    assert list(tmp_path.iterdir()) == []
