"""Relevance on the real corpus: recall@5 and MRR over queries professionals would type.

The queries and the approaches that belong in their top 5 are in
``tests/data/relevance.yaml``. Run with ``-s`` to see the numbers and misses.
"""

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import SearchIndex, activate_index, build_index

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "relevance.yaml").read_text("utf-8")
)["vragen"]
TOP = 5
MIN_RECALL = 0.9
MIN_MRR = 0.9


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, corpus: Corpus
) -> Iterator[tuple[SearchIndex, float]]:
    root = tmp_path_factory.mktemp("relevance")
    started = time.perf_counter()
    version_dir = build_index(root, corpus)
    seconds = time.perf_counter() - started
    activate_index(root, version_dir)
    with SearchIndex(root) as index:
        yield index, seconds


def test_the_query_set_is_sound(corpus: Corpus) -> None:
    slugs = {a.slug for a in corpus.aanpakken}
    queries = [case["vraag"] for case in CASES]
    assert len(queries) >= 25
    assert len(set(queries)) == len(queries)
    for case in CASES:
        assert case["verwacht"], case["vraag"]
        assert set(case["verwacht"]) <= slugs, case["vraag"]


def test_recall_at_5_and_mrr(
    built: tuple[SearchIndex, float], record_property: Callable[[str, object], None]
) -> None:
    index, build_seconds = built
    index.search("warm")  # opens the searcher
    recalls: list[float] = []
    reciprocal_ranks: list[float] = []
    misses: list[str] = []
    started = time.perf_counter()
    for case in CASES:
        ordered = index.search(case["vraag"]).ordered
        expected = case["verwacht"]
        recalls.append(sum(s in ordered[:TOP] for s in expected) / len(expected))
        ranks = [ordered.index(s) + 1 for s in expected if s in ordered]
        reciprocal_ranks.append(1 / min(ranks) if ranks else 0.0)
        if recalls[-1] < 1 or reciprocal_ranks[-1] < 1:
            misses.append(f"  {case['vraag']!r}: verwacht {expected}, kreeg {list(ordered[:TOP])}")
    query_ms = (time.perf_counter() - started) * 1000 / len(CASES)
    recall = sum(recalls) / len(recalls)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    print(f"\nrelevantie over {len(CASES)} vragen: recall@{TOP} = {recall:.3f}, MRR = {mrr:.3f}")
    print(f"index bouwen: {build_seconds:.2f} s; zoeken: {query_ms:.1f} ms per vraag")
    print("\n".join(misses))
    record_property("recall_at_5", round(recall, 4))
    record_property("mrr", round(mrr, 4))
    record_property("build_seconds", round(build_seconds, 3))
    record_property("query_ms", round(query_ms, 2))
    assert recall >= MIN_RECALL
    assert mrr >= MIN_MRR
