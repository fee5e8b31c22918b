"""Relevance on the real corpus: recall@5 and MRR over queries professionals would type.

Three sets of queries with the approaches that belong in their top 5:

* ``tests/data/relevance_afstemming.yaml``, the tuning set: queries that stand word for
  word as a term in ``data/synoniemen.yaml``, so the synonyms were shaped on them;
* ``tests/data/relevance_controle.yaml``, the check set: queries kept out of the synonym
  data (a test below keeps it so). Its figures are the ones that say how search does on
  queries nobody tuned for;
* ``tests/data/relevance_vragen.yaml``, the new set: queries written and judged before
  search learned compounds, English terms of the field and name variants (dead ends,
  compounds, English terms, name variants, natural questions). None of its new words
  may enter the synonym data (a test below keeps it so).

Each set records its figures from before that work (``voor``); both are printed.

Both figures are printed in every run (see ``conftest.pytest_terminal_summary``); run
with ``-s`` to see the misses.
"""

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.indexes import opened_index
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.config import resource_dir
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import SearchIndex

DATA = Path(__file__).parent / "data"
SETS = {
    "afstemming": "relevance_afstemming.yaml",
    "controle": "relevance_controle.yaml",
    "vragen": "relevance_vragen.yaml",
}
TOP = 5
MIN_RECALL = 0.9
MIN_MRR = 0.9


def query_set(name: str) -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((DATA / SETS[name]).read_text("utf-8"))
    return found


def cases(name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = query_set(name)["vragen"]
    return found


def synonym_terms() -> set[str]:
    """Every term of the synonym data, lower case."""
    data = yaml.safe_load((resource_dir("data") / "synoniemen.yaml").read_text("utf-8"))
    terms = {t.lower() for group in data["groepen"] for t in group}
    for entry in data.get("verwant", []):
        terms |= {t.lower() for key in ("termen", "ook") for t in entry.get(key, [])}
    return terms


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[SearchIndex]:
    for opened in opened_index(tmp_path_factory.mktemp("relevance"), corpus):
        opened.search("warm")  # opens the index for this thread
        yield opened


@pytest.mark.parametrize("name", list(SETS))
def test_the_query_set_is_sound(corpus: Corpus, name: str) -> None:
    slugs = {a.slug for a in corpus.aanpakken}
    queries = [case["vraag"] for case in cases(name)]
    assert len(queries) >= 20
    assert len(set(queries)) == len(queries)
    for case in cases(name):
        assert case["verwacht"], case["vraag"]
        assert set(case["verwacht"]) <= slugs, case["vraag"]


def test_the_sets_are_split_by_the_synonym_data() -> None:
    """Tuning queries are synonym terms; no check query may ever become one."""
    terms = synonym_terms()
    tuning = {case["vraag"] for case in cases("afstemming")}
    check = {case["vraag"] for case in cases("controle")}
    assert not tuning & check
    assert {q for q in tuning if q.lower() not in terms} == set()
    assert {q for q in check if q.lower() in terms} == set(), "afgestemd op de controleset"


def test_the_new_set_stays_out_of_the_synonym_data() -> None:
    """No word that was new when the set was written may become (part of) a synonym term."""
    new_set = query_set("vragen")
    words_of_terms = {w for term in synonym_terms() for w in re.findall(r"\w+", term)}
    new_words = {str(w).lower() for w in new_set["nieuwe_woorden"]}
    assert len(new_set["vragen"]) >= 40
    assert new_words & words_of_terms == set(), "afgestemd op de nieuwe vragenset"
    typed = {w for case in new_set["vragen"] for w in re.findall(r"\w+", case["vraag"].lower())}
    assert new_words <= typed


@pytest.mark.parametrize("name", list(SETS))
def test_recall_at_5_and_mrr(
    index: SearchIndex, name: str, record_property: Callable[[str, object], None]
) -> None:
    recalls: list[float] = []
    reciprocal_ranks: list[float] = []
    misses: list[str] = []
    started = time.perf_counter()
    for case in cases(name):
        ordered = index.search(case["vraag"]).ordered
        expected = case["verwacht"]
        recalls.append(sum(s in ordered[:TOP] for s in expected) / len(expected))
        ranks = [ordered.index(s) + 1 for s in expected if s in ordered]
        reciprocal_ranks.append(1 / min(ranks) if ranks else 0.0)
        if recalls[-1] < 1 or reciprocal_ranks[-1] < 1:
            misses.append(f"  {case['vraag']!r}: verwacht {expected}, kreeg {list(ordered[:TOP])}")
    query_ms = (time.perf_counter() - started) * 1000 / len(recalls)
    recall = sum(recalls) / len(recalls)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    before = query_set(name)["voor"]
    print(f"\n{name} ({len(recalls)} vragen): recall@{TOP} = {recall:.3f}, MRR = {mrr:.3f}")
    was = f"recall@{TOP} = {before['recall_at_5']}, MRR = {before['mrr']}"
    print(f"voorheen ({before['commit']}): {was}")
    print(f"zoeken: {query_ms:.1f} ms per vraag")
    print("\n".join(misses))
    record_property("vragen", len(recalls))
    record_property("recall_at_5", round(recall, 4))
    record_property("mrr", round(mrr, 4))
    record_property("voorheen_recall_at_5", before["recall_at_5"])
    record_property("voorheen_mrr", before["mrr"])
    assert recall >= MIN_RECALL
    assert mrr >= MIN_MRR
