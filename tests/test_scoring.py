"""Scores from the postings arrays equal Whoosh's own, query shape by query shape."""

import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from tests.helpers.corpora import aanpak, small_corpus
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import TextResult, activate_index, build_index
from wijkwijzer.search.analysis import analyse_word, plain_words
from wijkwijzer.search.caches import Lru
from wijkwijzer.search.reader import OpenedIndex
from wijkwijzer.search.scoring import ScoreCache
from wijkwijzer.search.versions import current_target


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[OpenedIndex]:
    root = tmp_path_factory.mktemp("index")
    activate_index(root, build_index(root, corpus))
    target = current_target(root)
    assert target is not None
    index = OpenedIndex(target, Path(root) / target)
    yield index
    index.close()


def whoosh_scores(opened: OpenedIndex, q: Any) -> dict[int, float]:
    """Whoosh's scores; a DisjunctionMax as the maximum per document of its parts' scores.

    Whoosh's DisjunctionMaxMatcher compares the scores of whatever documents its
    two sides stand on, which need not be the same document.
    """
    if isinstance(q, wq.DisjunctionMax):
        best: dict[int, float] = {}
        for sub in q.subqueries:
            for docnum, score in whoosh_scores(opened, sub).items():
                best[docnum] = max(best.get(docnum, 0.0), score * q.boost)
        return best
    return {d: float(s) for d, s in opened.searcher.search(q, limit=None).items()}


def assert_same(opened: OpenedIndex, q: Any) -> int:
    expected = whoosh_scores(opened, q)
    got = ScoreCache(opened.shared.postings).run(q, opened.whoosh_searcher)
    assert set(np.flatnonzero(got).tolist()) == set(expected), q
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-9), (q, docnum)
    return len(expected)


def corpus_words(corpus: Corpus, opened: OpenedIndex) -> list[Any]:
    texts = [t for a in corpus.aanpakken for t in (a.naam, a.doel, a.omschrijving)]
    words = sorted(plain_words(texts))[::3]  # a spread of several hundred words
    found = [analyse_word(opened.analyzer, w) for w in words]
    return [w for w in found if w is not None]


def test_term_and_word_queries_score_as_whoosh(corpus: Corpus, opened: OpenedIndex) -> None:
    matched = 0
    for word in corpus_words(corpus, opened):
        q = opened.matcher.word_query(word)
        if q is not None:
            matched += assert_same(opened, q) > 0
    assert matched > 200  # the comparison covered many real words


def test_combined_queries_score_as_whoosh(opened: OpenedIndex) -> None:
    m = opened.matcher
    jongeren, sport, buurt = (m.term_query(s) for s in ("jonger", "sport", "buurt"))
    assert jongeren is not None
    assert sport is not None
    assert buurt is not None
    shapes = [
        wq.Or([jongeren, sport]),
        wq.And([jongeren, sport]),
        wq.And([buurt, wq.Or([jongeren, sport.with_boost(0.6)])]),
        wq.DisjunctionMax([jongeren, buurt], tiebreak=0.1),
        wq.DisjunctionMax([jongeren, sport]).with_boost(2.0),
        m.phrase_query(["buurt", "bewoner"]),
        m.near_query(["buurt", "bemiddel"]),
    ]
    for q in shapes:
        assert q is not None
        assert_same(opened, q)


def word_pairs(corpus: Corpus, opened: OpenedIndex) -> list[tuple[str, str]]:
    """Stems standing next to each other (and compound parts) in the corpus's texts."""
    pairs: set[tuple[str, str]] = set()
    for item in corpus.aanpakken[::2]:
        tokens = [(t.text, t.compound_part) for t in opened.analyzer(item.doel)]
        whole = [text for text, part in tokens if not part]
        pairs.update(itertools.pairwise(whole))
        parts = [text for text, part in tokens if part]
        pairs.update(itertools.pairwise(parts))
    return sorted(pairs)


def test_phrases_and_spans_match_as_whoosh(corpus: Corpus, opened: OpenedIndex) -> None:
    matched = 0
    for first, second in word_pairs(corpus, opened):
        for field in ("doel", "omschrijving"):
            terms = [wq.Term(field, first), wq.Term(field, second)]
            for q in (
                wq.Phrase(field, [first, second]),
                wq.Phrase(field, [second, first], slop=2),
                SpanNear2(terms, slop=1, ordered=False, mindist=0),
                SpanNear2(terms, slop=3, ordered=True, mindist=1),
            ):
                matched += assert_same(opened, q) > 0
    assert matched > 300


def test_a_term_nobody_uses_matches_nothing(opened: OpenedIndex) -> None:
    scores = ScoreCache(opened.shared.postings)
    assert not scores.term("naam", "xylofoonwalrus").any()
    assert not scores.run(wq.Term("doel", "xylofoonwalrus"), opened.whoosh_searcher).any()


def test_cache_is_bounded_and_answers_stay_the_same(opened: OpenedIndex) -> None:
    q = opened.matcher.term_query("buurt")
    assert q is not None
    postings = opened.shared.postings
    tiny = ScoreCache(postings, max_bytes=64)  # nothing fits: every run recomputes
    first = tiny.run(q, opened.whoosh_searcher)
    first[:] = 0  # the caller owns the array it gets
    expected = ScoreCache(postings).run(q, opened.whoosh_searcher)
    assert (tiny.run(q, opened.whoosh_searcher) == expected).all()
    assert tiny.run(q, opened.whoosh_searcher).any()
    assert tiny.kept() == 0


def test_whoosh_runs_only_what_the_arrays_cannot_test(opened: OpenedIndex) -> None:
    """Terms, phrases and two-word spans never open a Whoosh searcher; a loose span does."""
    asked: list[int] = []

    def searcher() -> Any:
        asked.append(1)
        return opened.whoosh_searcher()

    m = opened.matcher
    scores = ScoreCache(opened.shared.postings)
    for q in (
        m.term_query("buurt"),
        m.phrase_query(["buurt", "bewoner"]),
        m.near_query(["buurt", "bemiddel"]),
    ):
        assert q is not None
        scores.run(q, searcher)
    assert asked == []
    terms = [wq.Term("doel", s) for s in ("buurt", "bewoner", "wijk")]
    loose = SpanNear2(terms, slop=2, ordered=False, mindist=0)
    assert_same(opened, loose)
    scores.run(loose, searcher)
    assert asked == [1]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 3)), min_size=1, max_size=60),
    st.integers(0, 70),
    st.booleans(),
)
def test_best_is_the_head_of_the_full_order(
    rows: list[tuple[int, int]], count: int, or_mode: bool
) -> None:
    # Scores with many ties (0 = no match), coverage 0-3, slugs in a shuffled order.
    by_doc = np.array([score / 4 for score, _ in rows])
    coverage = np.array([float(c) for _, c in rows]) if or_mode else None
    slugs = [f"s{(i * 7919) % 1000:03d}" for i in range(len(rows))]
    rank = np.argsort(np.argsort(slugs)).astype(np.int64)
    result = TextResult(by_doc, coverage, slugs, rank, "or" if or_mode else "and", None, "v")
    docs = np.flatnonzero(by_doc)
    full = sorted(
        docs.tolist(),
        key=lambda d: (-(coverage[d] if coverage is not None else 0), -by_doc[d], slugs[d]),
    )
    assert result.best(docs, count).tolist() == full[:count]
    assert list(result.ordered) == [slugs[d] for d in full]


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenedIndex]:
    """1,500 approaches written with 12 words: every term has many posting blocks."""
    words = ["buurt", "tuin", "kracht", "samen", "eten", "koken", "wijk", "plein", "sport"]
    words += ["theater", "huis", "straat"]
    rng = random.Random(5)
    texts = [" ".join(rng.choices(words, k=rng.randint(3, 40))) for _ in range(1500)]
    for i in range(0, 1500, 250):  # a rare word, next to a common one
        texts[i] += " zeldzaam buurt"
    items = [aanpak(f"a{i}", f"Aanpak {i}", text) for i, text in enumerate(texts)]
    root = tmp_path_factory.mktemp("blocks")
    activate_index(root, build_index(root, small_corpus("blokken", *items)))
    target = current_target(root)
    assert target is not None
    index = OpenedIndex(target, Path(root) / target)
    yield index
    index.close()


def test_near_on_many_blocks_matches_as_whoosh(many_blocks: OpenedIndex) -> None:
    stems = sorted({t.text for t in many_blocks.analyzer("buurt tuin kracht samen eten plein")})
    assert len(many_blocks.searcher.search(wq.Term("doel", stems[0]), limit=None)) > 500
    for first, second in itertools.permutations(stems, 2):
        terms = [wq.Term("doel", first), wq.Term("doel", second)]
        assert_same(many_blocks, wq.Phrase("doel", [first, second]))
        assert_same(many_blocks, SpanNear2(terms, slop=1, ordered=False, mindist=0))
    for words in itertools.permutations(stems[:4], 3):
        terms = [wq.Term("doel", w) for w in words]
        assert_same(many_blocks, wq.Phrase("doel", list(words)))
        assert_same(many_blocks, wq.Phrase("doel", list(words), slop=3))
        assert_same(many_blocks, SpanNear2(terms, slop=2, ordered=True, mindist=1))
        assert_same(many_blocks, SpanNear2(terms, slop=1, ordered=False, mindist=0))
    # A rare word: few candidate documents, few positions of the common one decoded.
    assert assert_same(many_blocks, wq.Phrase("doel", ["zeldzam", "buurt"])) == 6


def test_the_one_cache_type_is_bounded_and_least_recently_used() -> None:
    by_count: Lru[str, int] = Lru(2)
    by_count.put("a", 1)
    by_count.put("b", 2)
    assert by_count.get("a") == 1  # "a" now used last
    by_count.put("c", 3)
    assert by_count.get_many(["a", "b", "c"]) == {"a": 1, "c": 3}
    assert by_count.get("b", -1) == -1
    by_bytes: Lru[str, str] = Lru(100, len)
    by_bytes.put_many({"x": "x" * 60, "y": "y" * 60})
    assert by_bytes.get("x") is None
    assert by_bytes.get("y") == "y" * 60
    by_bytes.put("z", "z" * 200)  # larger than the whole cache: not kept
    assert (len(by_bytes), by_bytes.get("z")) == (1, None)
