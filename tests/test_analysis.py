"""Dutch analysis: compounds, diminutives, accents, stems, stopwords, synonyms, query plans."""

from pathlib import Path
from typing import Any

import pytest

from wijkwijzer.search.analysis import (
    Word,
    analyse_word,
    curated_words,
    dutch_analyzer,
    plain_words,
)
from wijkwijzer.search.plan import QUERY_FILLER, plan_query
from wijkwijzer.search.synonyms import AND, SynonymFile, Synonyms, Term, phrase_key, read_synonyms


@pytest.fixture(scope="module")
def analyzer() -> Any:
    # The curated vocabulary plus a few corpus words, as build_index feeds it.
    return dutch_analyzer(curated_words() | plain_words(["sociaal economisch jongeren"]))


def tokens(analyzer: Any, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def stem(analyzer: Any, word: str) -> str:
    analysed = analyse_word(analyzer, word)
    assert analysed is not None
    return analysed.stem


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("burenruzie", ["buren", "ruzie"]),
        ("wijkbudget", ["wijk", "budget"]),
        ("vadercentrum", ["vader", "centrum"]),
        ("buurtbewoners", ["buurt", "bewoners"]),
        ("sociaaleconomisch", ["sociaal", "economisch"]),
        ("jongerenwerk", ["jongeren", "werk"]),  # linking -en-: the plural is the part
        ("gemeenschapshuis", ["gemeenschap", "huis"]),  # linking -s-
        ("kinderopvang", ["kinderen", "opvang"]),  # kinder- stands for kinderen
        ("vrijwilligerswerk", ["vrijwilligers", "werk"]),
        ("huiswerkbegeleiding", ["huiswerk", "begeleiding", "huis", "werk"]),
    ],
)
def test_compound_keeps_the_word_and_adds_stemmed_parts(
    analyzer: Any, compound: str, parts: list[str]
) -> None:
    found = analyse_word(analyzer, compound)
    assert found is not None
    assert found.stem == stem(analyzer, compound)
    assert set(found.parts) == {stem(analyzer, p) for p in parts}


def test_parts_share_the_position_of_the_compound(analyzer: Any) -> None:
    found = [(t.text, t.pos) for t in analyzer("de burenruzie escaleert", positions=True)]
    positions = dict(found)
    assert positions["burenruzie"] == positions["buur"] == positions["ruzie"]
    assert positions["escaleert"] == positions["burenruzie"] + 1


@pytest.mark.parametrize("word", ["burgers", "ouderen", "meedoen", "leefbaarheid", "kinderen"])
def test_plain_words_are_not_split(analyzer: Any, word: str) -> None:
    found = analyse_word(analyzer, word)
    assert found is not None
    assert found.parts == ()


def test_short_parts_only_from_the_explicit_list(analyzer: Any) -> None:
    found = analyse_word(analyzer, "buurman")
    assert found is not None
    assert "man" in found.parts
    other = analyse_word(analyzer, "wijkpan")  # "pan" is not
    assert other is not None
    assert other.parts == ()


def test_known_words_are_split_too() -> None:
    analyzer = dutch_analyzer({"buurt", "bewoners", "buurtbewoners"})
    found = analyse_word(analyzer, "buurtbewoners")
    assert found is not None
    assert set(found.parts) == {"buurt", "bewoner"}


def test_accents_are_folded(analyzer: Any) -> None:
    assert tokens(analyzer, "geëvalueerd") == tokens(analyzer, "geevalueerd")
    assert tokens(analyzer, "Geïsoleerde CAFÉ") == tokens(analyzer, "geisoleerde cafe")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("eenzaamheid", "eenzame"),
        ("bewoners", "bewoner"),
        ("initiatieven", "initiatief"),  # f/v alternation
        ("sportieve", "sportief"),
        ("ruzies", "ruzie"),
        ("kinderen", "kind"),  # irregular plural
        ("buren", "buur"),
        ("ouderen", "oudere"),
    ],
)
def test_inflections_share_a_stem(analyzer: Any, one: str, other: str) -> None:
    assert stem(analyzer, one) == stem(analyzer, other)


def test_parents_and_elderly_stay_apart(analyzer: Any) -> None:
    # Snowball stems both "ouders" and "ouderen" to "ouder".
    assert stem(analyzer, "ouders") != stem(analyzer, "ouderen")


def test_stopwords_are_removed(analyzer: Any) -> None:
    assert tokens(analyzer, "de en het een van met") == []
    assert tokens(analyzer, "ruzie met de buren") == ["ruzie", "buur"]


def test_tokenizer_pattern_is_explicit(analyzer: Any) -> None:
    # whoosh-reloaded's default pattern would keep "buurt*" as one token.
    assert tokens(analyzer, "buurt* [a TO b]^2") == ["buurt", "to"]


def test_synonym_file_is_rich_and_valid() -> None:
    source = read_synonyms()
    assert len(source.groups) >= 30
    assert all(len(group) >= 2 for group in source.groups)
    assert len(source.related) >= 10


def test_no_synonym_term_loses_words_to_stopwords(analyzer: Any) -> None:
    # "zonder werk" would search for "werk" alone ("zonder" is a stopword).
    source = read_synonyms()
    terms = [t for group in source.groups for t in group]
    terms += [t for termen, ook in source.related for t in (*termen, *ook)]
    for term in terms:
        for part in term.split(AND):
            words = part.replace("-", " ").split()
            analysed = [w for w in (analyse_word(analyzer, word) for word in words) if w]
            assert analysed, term
            assert len(analysed) >= min(2, len(words)), term


def expansions(synonyms: Synonyms, analyzer: Any, text: str) -> dict[tuple[str, ...], Term]:
    """What `text` expands to, by the stems of each term's first form."""
    key = tuple(stem(analyzer, w) for w in text.split())
    return {
        tuple(s for part in t.parts for s in phrase_key(part[0])): t for t in synonyms.expand(key)
    }


def test_synonyms_expand_by_stem(analyzer: Any) -> None:
    synonyms = Synonyms(analyzer, read_synonyms())

    def expanded(word: str) -> set[tuple[str, ...]]:
        return set(expansions(synonyms, analyzer, word))

    assert (stem(analyzer, "senioren"),) in expanded("ouderen")
    assert (stem(analyzer, "65"), stem(analyzer, "plussers")) in expanded("ouderen")
    assert (stem(analyzer, "ouderen"),) in expanded("bejaarden")
    assert ("sociaal", "isolement") in expanded("eenzame")  # inflected form finds the group
    assert (stem(analyzer, "jongeren"),) in expanded("jeugd")  # jeugd is in two groups
    assert (stem(analyzer, "kinderen"),) in expanded("jeugd")
    assert ("ggz",) in expanded("psychische problemen")
    assert synonyms.expand(("onbekendwoord",)) == []


def test_and_terms_need_every_part_each_with_its_synonyms(analyzer: Any) -> None:
    source = SynonymFile(
        groups=(("hangjongeren", "overlast + jongeren"), ("jongeren", "jeugd", "tieners"))
    )
    synonyms = Synonyms(analyzer, source)
    (term,) = synonyms.expand((stem(analyzer, "hangjongeren"),))
    assert term.phrase is None
    assert not term.related
    overlast, jongeren = term.parts
    assert [phrase_key(p) for p in overlast] == [("overlast",)]
    assert [phrase_key(p) for p in jongeren] == [
        (stem(analyzer, w),) for w in ("jongeren", "jeugd", "tieners")
    ]
    # A "+" term is only ever an expansion: typing its words is an ordinary query.
    assert ("overlast", stem(analyzer, "jongeren")) not in synonyms
    assert synonyms.expand(("overlast",)) == []


def test_related_terms_work_one_way_and_weigh_less(analyzer: Any) -> None:
    source = SynonymFile(
        groups=(("ouderen", "senioren"),),
        related=((("vergrijzing", "ouderenwerk"), ("ouderen", "senioren")),),
    )
    synonyms = Synonyms(analyzer, source)
    found = expansions(synonyms, analyzer, "ouderenwerk")
    assert set(found) == {(stem(analyzer, "ouderen"),), (stem(analyzer, "senioren"),)}
    assert all(t.related for t in found.values())
    assert (stem(analyzer, "vergrijzing"),) in synonyms
    assert set(expansions(synonyms, analyzer, "ouderen")) == {(stem(analyzer, "senioren"),)}
    # A term that is both a synonym and related counts once, as the synonym.
    both = SynonymFile(
        groups=(("buurthuis", "wijkcentrum"),), related=((("buurthuis",), ("wijkcentrum",)),)
    )
    (term,) = Synonyms(analyzer, both).expand((stem(analyzer, "buurthuis"),))
    assert not term.related


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("groepen:\n  - [alleen]\n", "groep 1"),
        ("groepen:\n  - [a, ' + b']\n", "groep 1 bevat een lege"),
        ("groepen: []\nverwant:\n  - termen: [a]\n", "verwant 1 moet precies"),
        ("groepen: []\nverwant:\n  - {termen: [a + b], ook: [c]}\n", "alleen onder 'ook'"),
        ("groepen: []\nverwant:\n  - {termen: [a], ook: []}\n", "ook moet een lijst"),
    ],
)
def test_synonym_file_rejects_bad_data(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "synoniemen.yaml"
    bad.write_text(text, "utf-8")
    with pytest.raises(ValueError, match=message):
        read_synonyms(bad)


# --- diminutives ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diminutive", "word"),
    [
        ("buurtje", "buurt"),  # -je after t ...
        ("pleintje", "plein"),  # ... -tje after n: the vocabulary decides
        ("kindjes", "kind"),  # plural
        ("groepjes", "groep"),
        ("vrouwtje", "vrouw"),
        ("huisje", "huis"),
    ],
)
def test_diminutives_mean_their_word(analyzer: Any, diminutive: str, word: str) -> None:
    assert analyse_word(analyzer, diminutive) == analyse_word(analyzer, word)


def test_words_that_only_look_like_diminutives_stay() -> None:
    analyzer = dutch_analyzer({"beetje", "beet", "steun", "plein"})
    assert stem(analyzer, "beetje") != stem(analyzer, "beet")  # "een beetje" is no bite
    assert stem(analyzer, "meisje") != stem(analyzer, "meis")
    assert stem(analyzer, "tasje") == "tasj"  # no "tas" to go back to
    # In indexed text too: "een steuntje in de rug" is found by "steun".
    assert [t.text for t in analyzer("een steuntje op het pleintje")] == ["steun", "plein"]


# --- query plans ---------------------------------------------------------------------------------


class FakeLexicon:
    """An index that knows the stems it is given, and corrects nothing."""

    def __init__(self, stems: set[str]) -> None:
        self.stems = stems

    def known(self, word: Word) -> bool:
        return word.stem in self.stems

    def indexed(self, stem: str) -> bool:
        return stem in self.stems

    def suggest(self, text: str) -> str | None:
        return None


def plan_stems(analyzer: Any, query: str, lexicon: FakeLexicon | None = None) -> list[list[str]]:
    plan = plan_query(query, analyzer, Synonyms(analyzer, read_synonyms()), lexicon)
    return [[w.word.stem for w in c.words] for c in plan.concepts]


def test_question_framing_is_left_out(analyzer: Any) -> None:
    ouderen = stem(analyzer, "ouderen")
    assert plan_stems(analyzer, "ik zoek een aanpak voor eenzame ouderen") == [
        [stem(analyzer, "eenzame")],
        [ouderen],
    ]
    assert plan_stems(analyzer, "hoe krijg ik bewoners actief?") == [
        [stem(analyzer, "bewoners")],
        [stem(analyzer, "actief")],
    ]
    assert plan_stems(analyzer, "Welke methode werkt?") == [  # nothing else: keep it
        [stem(analyzer, "methode")],
        [stem(analyzer, "werkt")],
    ]
    assert {"zoek", "aanpak", "methode", "interventie"} <= QUERY_FILLER


def test_words_written_apart_join_when_the_index_knows_the_compound(analyzer: Any) -> None:
    compound = stem(analyzer, "wijktheater")
    lexicon = FakeLexicon({compound})
    for query in ("wijk theater", "wijk-theater", "Wijk Theater"):
        plan = plan_query(query, analyzer, Synonyms(analyzer, read_synonyms()), lexicon)
        (concept,) = plan.concepts
        assert concept.joined is not None
        assert concept.joined.stem == compound
        assert len(concept.each) == 2  # the two words still match on their own too
    assert len(plan_stems(analyzer, "wijk theater", FakeLexicon(set()))) == 2
    # A compound the synonyms know joins without an index ("buurt bemiddeling").
    (joined,) = plan_query(
        "buurt bemiddeling", analyzer, Synonyms(analyzer, read_synonyms())
    ).concepts
    assert joined.joined is not None
