"""The memoizing analyzer yields exactly the tokens of the filter chain it replaces."""

import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from whoosh.analysis import CompositeAnalyzer

from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.search.analysis import (
    CompoundFilter,
    DutchAnalyzer,
    DutchStemFilter,
    FoldFilter,
    curated_words,
    dutch_analyzer,
    filter_chain,
    plain_words,
)
from wijkwijzer.search.schema import document_texts

TRICKY = [
    "",
    "   ",
    "De burenruzie escaleert; de buurtbewoners en het gemeenschapshuis.",
    "Geëvalueerd CAFÉ geïsoleerde naïeve coöperatie İstanbul ǅemal ß straße",
    "kinderopvang jongerenwerk vrijwilligerswerk huiswerkbegeleiding sociaaleconomisch",
    "pleintje kindjes buurtjes balletje mannetjes meisje beetje huisjes boompje",
    "covid19 0800-1234 2e 3de 12345 a1b2c3 x 7",
    "snake_case_woord __init__ buurt_ _wijk_ a_b",
    'buurt* [a TO b]^2 (wijk OR dorp) "ruzie met de buren" -jongeren +ouderen',
    "de en het een van met we wij jullie welke zoals etc bijv zelf wezen",
    "a" * 61 + " " + "b" * 60 + " " + "buurt" * 12 + " " + "wijk" * 9 + "budget",
    "gemeenschapsgevoel stadsdeelraad dorpshuis dagbesteding taalles buurman wijkpan",
    "ouderen oudere ouders kinderen kinder buren buur leden steden ruzies families",
    "initiatieven sportieve huizen\tWIJK\nBudget\r\nvan-de-buurt/voor-de-buurt",
    "½ ² ﬁets ℌ Ⅻ ① \u0301 e\u0301 \u00a0buurt\u2003wijk",
]

OPTIONS: list[dict[str, Any]] = [
    {},
    {"positions": True},
    {"chars": True},
    {"positions": True, "chars": True, "boosts": True, "mode": "index"},
    {"positions": True, "chars": True, "removestops": False, "mode": "query"},
    {"chars": True, "removestops": False, "keeporiginal": True},
    {"no_morph": True},
    {"no_morph": True, "positions": True, "removestops": False},
    {"positions": True, "chars": True, "start_pos": 5, "start_char": 100},
    {"positions": True, "chars": True, "tokenize": False},
    {"positions": True, "chars": True, "tokenize": False, "removestops": False},
]


def stream(analyzer: Any, text: str, options: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for token in analyzer(text, **options):
        yield dict(vars(token))


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    corpus = load_corpus(REAL_CORPUS, VOCABULAIRE)
    return [t for a in corpus.aanpakken for t in document_texts(a, corpus.vocabulaire).values()]


@pytest.fixture(scope="module")
def words(real_texts: list[str]) -> frozenset[str]:
    return frozenset(plain_words(real_texts) | curated_words())


def test_same_tokens_as_the_filter_chain(real_texts: list[str], words: frozenset[str]) -> None:
    chain, fast = filter_chain(words), dutch_analyzer(words)
    texts = [*real_texts, *TRICKY, " ".join(real_texts[:20])]
    for options in OPTIONS:
        for _ in range(2):  # the second round replays memoized words
            for text in texts:
                assert list(stream(fast, text, options)) == list(stream(chain, text, options)), (
                    options,
                    text[:80],
                )


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_per_word(text: str) -> None:
    # A small vocabulary: other compounds split, other memo entries.
    words = {"buurt", "wijk", "budget", "plein", "kind", "huis", "boom", "bal", "man", "ruzie"}
    chain, fast = filter_chain(words), dutch_analyzer(words)
    for options in OPTIONS:
        assert list(stream(fast, text, options)) == list(stream(chain, text, options)), options


def test_pickles_the_vocabulary_only(words: frozenset[str]) -> None:
    fast = dutch_analyzer(words)
    list(fast(" ".join(sorted(words)[:500])))  # fill the memo: it must not be pickled
    data = pickle.dumps(fast)
    assert len(data) < len(pickle.dumps(words)) + 200
    loaded = pickle.loads(data)
    assert isinstance(loaded, DutchAnalyzer)
    assert loaded == fast
    assert loaded.analyse("burenruzie") is fast.analyse("burenruzie")  # one shared memo
    text = "de burenruzie in het gemeenschapshuis, pleintjes"
    assert list(stream(loaded, text, {"positions": True})) == list(
        stream(filter_chain(words), text, {"positions": True})
    )


def test_the_chain_an_older_index_pickled_still_loads(words: frozenset[str]) -> None:
    chain = pickle.loads(pickle.dumps(filter_chain(words)))
    assert isinstance(chain, CompositeAnalyzer)
    kinds = [type(item) for item in chain.items]
    assert kinds[2] is FoldFilter
    assert kinds[4:] == [CompoundFilter, DutchStemFilter]
    assert [t.text for t in chain("burenruzie")] == ["burenruzie", "buur", "ruzie"]


def test_spans_skip_stopwords(words: frozenset[str]) -> None:
    fast = dutch_analyzer(words)
    assert fast.spans("Ruzie met de Buren, burenruzie") == [
        (0, 5, ("ruzie",)),
        (13, 18, ("buur",)),
        (20, 30, ("burenruzie", "buur", "ruzie")),
    ]


def test_positions_as_the_tokens_index_them(real_texts: list[str], words: frozenset[str]) -> None:
    fast, chain = dutch_analyzer(words), filter_chain(words)
    for text in [*real_texts, *TRICKY]:
        expected: dict[str, list[int]] = {}
        for token in chain(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        assert fast.positions(text) == expected
        assert list(fast.positions(text)) == list(expected)  # same order of terms
