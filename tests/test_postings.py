"""The postings arrays hold what Whoosh's public reader and searcher give, term by term."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import whoosh.index
from whoosh import query as wq

from tests.helpers.corpora import aanpak, small_corpus
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search.postings import PostingsArrays, bm25f
from wijkwijzer.search.proximity import SHIFT
from wijkwijzer.search.schema import TEXT_FIELDS
from wijkwijzer.search.versions import build_index


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


def compare_with_whoosh(version_dir: Path) -> int:
    """Assert that every term of every text field has Whoosh's documents, scores, positions.

    Returns how many postings were compared.
    """
    index = whoosh.index.open_dir(str(version_dir), readonly=True)
    compared = 0
    with index.searcher(weighting=bm25f()) as searcher:
        reader = searcher.reader()
        arrays = PostingsArrays(version_dir, reader.doc_count_all())
        everywhere = np.ones(arrays.doc_count, np.bool_)
        for field in TEXT_FIELDS:
            terms = list(reader.field_terms(field))
            assert [t for t in arrays.lexicon if field in arrays.fields_with(t)] == terms
            for term in terms:
                expected = dict(searcher.search(wq.Term(field, term), limit=None).items())
                got = arrays.scores(field, term)
                assert {int(d): float(got[d]) for d in np.flatnonzero(got)} == expected, term
                assert arrays.doc_frequency(field, term) == reader.doc_frequency(field, term)
                positions = reader.postings(field, term).items_as("positions")
                keys = arrays.positions(field, term, everywhere).tolist()
                assert keys == [(d << SHIFT) | p for d, at in positions for p in at], term
                compared += len(expected)
    return compared


def test_every_term_of_the_real_corpus_is_whooshs(tmp_path: Path, corpus: Corpus) -> None:
    assert compare_with_whoosh(build_index(tmp_path, corpus)) > 2000


def test_terms_over_many_posting_blocks_are_whooshs(tmp_path: Path, corpus: Corpus) -> None:
    """The real corpus ten times over (other slugs): Whoosh keeps 128 postings a block."""
    copies = tuple(
        a.model_copy(update={"slug": f"{a.slug}-{i}"}) for i in range(10) for a in corpus.aanpakken
    )
    bigger = dataclasses.replace(corpus, aanpakken=copies)
    assert compare_with_whoosh(build_index(tmp_path, bigger)) > 20_000


def test_two_processes_number_documents_their_way_and_the_arrays_follow(tmp_path: Path) -> None:
    texts = ["buurt tuin samen", "samen eten in de buurt", "tuin en plein", "sport op het plein"]
    items = [aanpak(f"a{i:03d}", f"Aanpak {i}", texts[i % 4] + f" woord{i}") for i in range(240)]
    version_dir = build_index(tmp_path, small_corpus("twee", *items), procs=2)
    assert compare_with_whoosh(version_dir) > 1000


def test_a_field_without_a_term_has_no_postings_of_it(tmp_path: Path, corpus: Corpus) -> None:
    version_dir = build_index(tmp_path, corpus)
    arrays = PostingsArrays(version_dir, len(corpus.aanpakken))
    nobody = np.ones(arrays.doc_count, np.bool_)
    assert arrays.fields_with("xylofoonwalrus") == ()
    assert not arrays.scores("naam", "xylofoonwalrus").any()
    assert arrays.doc_frequency("doel", "xylofoonwalrus") == 0
    assert len(arrays.positions("doel", "xylofoonwalrus", nobody)) == 0
    assert not arrays.scores("slug", "buurt").any()  # not a text field
    stem = next(t for t in arrays.lexicon if arrays.fields_with(t) == ("trefwoorden",))
    assert not arrays.scores("naam", stem).any()
    assert arrays.scores("trefwoorden", stem).any()
