"""No dead ends: a query with a word the catalogue knows never comes back empty.

Known means: as itself, as a part of a compound, as a synonym, as a name written
otherwise, or within a small edit distance. The answer also says which fallback step
it took (``TextResult.steps``) and which typed words match nothing.
"""

import random
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.indexes import opened_index
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.corpus.text import fold
from wijkwijzer.search import SearchIndex
from wijkwijzer.search.dutch import STOPWORDS
from wijkwijzer.search.plan import QUERY_FILLER

UNKNOWN = "xqzvwk"  # no word, no correction


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[SearchIndex]:
    yield from opened_index(tmp_path_factory.mktemp("dead-ends"), corpus)


# The searches of the issue that found nothing or the wrong thing.
@pytest.mark.parametrize(
    ("query", "expected", "step"),
    [
        ("toneelvoorstelling in de wijk", "wijktheater", "woorddelen"),
        ("buurtsportcoach", "futsal-chabbab", "woorddelen"),
        ("outreach", "kan-wel", None),  # its evaluation names the persoonlijke benadering
        ("bottom-up", "abcd-methode", None),  # van binnenuit
        ("asset based", "abcd-methode", None),
        ("right2challenge", "right-to-challenge", "naam"),
    ],
)
def test_the_dead_ends_of_the_issue_find_their_approach(
    index: SearchIndex, query: str, expected: str, step: str | None
) -> None:
    result = index.search(query)
    assert expected in result.ordered[:5], (query, result.ordered)
    if step is not None:
        assert step in result.steps


def test_each_step_is_named(index: SearchIndex) -> None:
    assert index.search("ouderen").steps == ()
    parts = index.search("theatervoorstelling")
    assert parts.steps == ("woorddelen",)
    assert parts.split == ("theatervoorstelling",)
    assert parts.ordered[0] == "wijktheater"
    fewer = index.search(f"maaltijd {UNKNOWN}")
    assert fewer.steps == ("minder_woorden",)
    assert fewer.missing == (UNKNOWN,)
    assert fewer.ordered[0] == "resto-vanharte"
    corrected = index.search("eenzaamhied")
    assert corrected.steps == ("verbeterd",)
    assert corrected.suggestion == "eenzaamheid"
    assert corrected.ordered
    named = index.search("thuisopstraat")
    assert named.steps[-1] == "naam"
    assert named.ordered[0] == "thuis-op-straat"
    assert named.suggestion is None
    assert named.missing == ()
    nothing = index.search(UNKNOWN)
    assert nothing.ordered == ()
    assert nothing.missing == (UNKNOWN,)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("city trainers", "citytrainers"),  # written apart
        ("communityorganising", "community-organising"),  # written together
        ("7bouwstenen", "7-bouwstenen-buurtagenda"),  # the first words of a long name
        ("TOS", "thuis-op-straat"),  # the abbreviation in brackets
        ("right 2 challenge", "right-to-challenge"),  # a digit for a word
    ],
)
def test_names_written_otherwise(index: SearchIndex, query: str, expected: str) -> None:
    assert index.search(query).ordered[0] == expected


def test_a_first_word_of_a_name_alone_is_no_name(index: SearchIndex) -> None:
    """ "wijk" is the first word of "Wijk en Psychiatrie", not its name."""
    assert "naam" not in index.search("wijk").steps
    assert "naam" not in index.search("wijken").steps


def _corpus_words(corpus: Corpus) -> list[str]:
    """Words of the corpus a search is about: no stopwords, no words framing a question."""
    texts = [f"{a.naam} {a.doel} {a.omschrijving}" for a in corpus.aanpakken]
    words = {w.lower() for t in texts for w in re.findall(r"[^\W\d_]{5,}", t)}
    return sorted(w for w in words if fold(w) not in STOPWORDS | QUERY_FILLER)


def test_a_known_word_beside_an_unknown_one_is_never_a_dead_end(
    index: SearchIndex, corpus: Corpus
) -> None:
    words = random.Random(15).sample(_corpus_words(corpus), 150)
    empty = [w for w in words if not index.search(f"{w} {UNKNOWN}").ordered]
    assert empty == []


def test_two_known_words_written_as_one_are_never_a_dead_end(
    index: SearchIndex, corpus: Corpus
) -> None:
    rng = random.Random(16)
    words = _corpus_words(corpus)
    pairs = [rng.sample(words, 2) for _ in range(150)]
    empty = [a + b for a, b in pairs if not index.search(a + b).ordered]
    assert empty == []


def test_a_known_word_with_one_typo_is_never_a_dead_end(index: SearchIndex, corpus: Corpus) -> None:
    rng = random.Random(17)
    words = [w for w in _corpus_words(corpus) if len(w) >= 7]
    empty = []
    for word in rng.sample(words, 100):
        i = rng.randrange(1, len(word) - 1)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
        if not index.search(typo).ordered:
            empty.append(typo)
    assert empty == []


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path_factory.mktemp("dead-end-pages"), response_cache_mb=0)


def test_the_api_names_the_steps_and_the_words_found_nowhere(client: TestClient) -> None:
    found = client.get("/api/v1/approaches", params={"q": "theatervoorstelling daklozen"}).json()
    assert found["zoekstappen"] == ["woorddelen", "minder_woorden"]
    assert found["gesplitst"] == ["theatervoorstelling"]
    assert found["niet_gevonden"] == ["daklozen"]
    assert found["items"][0]["slug"] == "wijktheater"
    plain = client.get("/api/v1/approaches", params={"q": "ouderen"}).json()
    assert (plain["zoekstappen"], plain["niet_gevonden"], plain["gesplitst"]) == ([], [], [])


def test_the_page_says_which_step_it_took(client: TestClient) -> None:
    page = client.get("/", params={"q": "theatervoorstelling daklozen"}).text
    steps = re.search(r'<ul class="zoekstappen[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    assert steps is not None
    said = " ".join(steps.group(1).split())
    assert "‘theatervoorstelling’ komt als geheel nergens voor" in said
    assert "ook aanpakken met een deel ervan" in said
    assert "Niet gevonden in de catalogus: ‘daklozen’." in said
    assert 'class="zoekstappen' not in client.get("/", params={"q": "ouderen"}).text
