"""Dutch analysis: compounds, accents, stems, stopwords and synonyms."""

from pathlib import Path
from typing import Any

import pytest

from wijkwijzer.analysis import (
    Synonyms,
    analyse_word,
    curated_words,
    dutch_analyzer,
    plain_words,
    synonym_groups,
)


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
    groups = synonym_groups()
    assert len(groups) >= 30
    assert all(len(group) >= 2 for group in groups)


def test_synonyms_expand_by_stem(analyzer: Any) -> None:
    synonyms = Synonyms(analyzer, synonym_groups())

    def expanded(word: str) -> set[tuple[str, ...]]:
        return {tuple(w.stem for w in term) for term in synonyms.expand((stem(analyzer, word),))}

    assert (stem(analyzer, "senioren"),) in expanded("ouderen")
    assert (stem(analyzer, "65"), stem(analyzer, "plussers")) in expanded("ouderen")
    assert (stem(analyzer, "ouderen"),) in expanded("bejaarden")
    assert ("sociaal", "isolement") in expanded("eenzame")  # inflected form finds the group
    assert (stem(analyzer, "jongeren"),) in expanded("jeugd")  # jeugd is in two groups
    assert (stem(analyzer, "kinderen"),) in expanded("jeugd")
    psychisch = synonyms.expand(("psychisch", stem(analyzer, "problemen")))
    assert ("ggz",) in {tuple(w.stem for w in term) for term in psychisch}
    assert synonyms.expand(("onbekendwoord",)) == []


def test_synonym_groups_reject_bad_data(tmp_path: Path) -> None:
    bad = tmp_path / "synoniemen.yaml"
    bad.write_text("groepen:\n  - [alleen]\n", "utf-8")
    with pytest.raises(ValueError, match="groep 1"):
        synonym_groups(bad)
