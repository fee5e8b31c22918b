"""The search index: building and swapping versions, querying, suggestions, highlights."""

import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.corpora import aanpak, small_corpus
from tests.helpers.indexes import opened_index
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer import search
from wijkwijzer.corpus.models import Corpus, load_corpus
from wijkwijzer.search import (
    MAX_QUERY_LENGTH,
    MIN_AND_RESULTS,
    QueryTooLong,
    SearchIndex,
    activate_index,
    build_index,
    current_index,
    discard_index,
    document_texts,
)
from wijkwijzer.search import versions as index_store

# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(REAL_CORPUS, VOCABULAIRE)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[SearchIndex]:
    yield from opened_index(tmp_path_factory.mktemp("index"), corpus)


HOSTILE = (
    "<script>alert(1)</script> Buurtbemiddeling helpt bij een burenruzie & andere "
    'conflicten tussen "buren" <b onmouseover="x()">vet</b>.'
)


@pytest.fixture
def hostile_index(tmp_path: Path) -> Iterator[SearchIndex]:
    corpus = small_corpus(
        "hostile",
        aanpak("hostile", "Bemiddeling <img src=x>", HOSTILE),
        aanpak("tuin", "Buurttuin", "Samen tuinieren in de buurt met senioren."),
        aanpak("sport", "Sport", "Jongeren sporten op het plein."),
        aanpak("eten", "Eettafel", "Samen eten tegen eenzaamheid."),
    )
    activate_index(tmp_path, build_index(tmp_path, corpus))
    with SearchIndex(tmp_path) as opened:
        yield opened


# --- querying ------------------------------------------------------------------------------------


def test_all_terms_must_match_first(index: SearchIndex) -> None:
    result = index.search("kinderen ouders")
    assert result.mode == "and"
    assert len(result.ordered) >= MIN_AND_RESULTS
    assert set(result.ordered) == {"moeder-en-vadercentra", "thuis-op-straat", "pbs-in-de-wijk"}
    assert set(result.scores) == set(result.ordered)


def test_too_few_and_hits_fall_back_to_ranked_or(index: SearchIndex) -> None:
    result = index.search("ouderen eenzaamheid")
    assert result.mode == "or"
    assert result.ordered[0] == "goldensports"  # the one approach matching both
    assert {"resto-vanharte", "wijk-en-psychiatrie", "studio-bruis"} <= set(result.ordered)


def test_synonyms_count_as_the_term(index: SearchIndex) -> None:
    # GoldenSports speaks of "senioren" in its text.
    assert index.search("bejaarden").ordered[0] == "goldensports"
    assert "buurtbemiddeling" in index.search("burenruzie").ordered
    assert index.search("ruzie met de buren").ordered[0] == "buurtbemiddeling"


def test_tags_are_searchable_in_dutch(index: SearchIndex) -> None:
    # Studio BRUIS never says "ouderen" in its text; it is tagged with that doelgroep.
    assert "studio-bruis" in index.search("ouderen").ordered


def test_compound_parts_match(index: SearchIndex) -> None:
    assert index.search("theater").ordered[0] == "wijktheater"
    assert index.search("budget").ordered[0] == "het-vouchersysteem"  # "wijkbudgetten"


# --- Dutch as professionals write it ---------------------------------------------------------


def test_related_terms_find_what_the_corpus_calls_it(index: SearchIndex) -> None:
    # "hangjongeren": overlast + jongeren, or jongeren on the street or square.
    assert set(index.search("hangjongeren").ordered) == {"futsal-chabbab", "thuis-op-straat"}
    assert index.search("vergrijzing").ordered[0] == "goldensports"
    assert index.search("wijkagent").ordered == ("buurtbemiddeling",)
    assert set(index.search("armoede").ordered) == {"abcd-methode", "wijktheater"}


@pytest.mark.parametrize(
    "word", ["dementie", "mantelzorg", "statushouders", "laaggeletterdheid", "groen", "drugs"]
)
def test_words_without_an_honest_match_find_nothing(index: SearchIndex, word: str) -> None:
    result = index.search(word)
    assert result.ordered == ()
    assert result.suggestion is None  # a real word, no typo: "groen" is not "groep"


def test_a_sentence_is_searched_for_what_it_asks(index: SearchIndex) -> None:
    assert index.search("ik zoek iets voor eenzame ouderen in de wijk").ordered[0] == "goldensports"
    asked = index.search("wat kan ik doen tegen overlast van jongeren op straat")
    assert asked.ordered[:2] == ("futsal-chabbab", "thuis-op-straat")
    assert index.search("Welke aanpak werkt tegen pesten?").ordered == ("pbs-in-de-wijk",)


def test_the_or_fallback_needs_more_than_what_every_approach_has(index: SearchIndex) -> None:
    # "in de wijk" adds nothing to a word that other approaches match...
    assert set(index.search("armoede in de wijk").ordered) == {"abcd-methode", "wijktheater"}
    # ...but when it is the only known word, it is no dead end: the approaches with
    # "wijk", and the answer says that "vluchtelingen" is nowhere.
    found = index.search("vluchtelingen in de wijk")
    assert found.ordered == index.search("wijk").ordered
    assert found.missing == ("vluchtelingen",)
    assert found.steps == ("minder_woorden",)


def test_diminutives_split_compounds_capitals_and_accents(index: SearchIndex) -> None:
    assert index.search("pleintje").ordered == ("thuis-op-straat",)
    for query in ("buurt bemiddeling", "buurt-bemiddeling", "BUURTBEMIDDELING"):
        assert index.search(query).ordered == ("buurtbemiddeling",), query
    assert index.search("moeder centrum").ordered[0] == "moeder-en-vadercentra"
    assert index.search("moedercentrum").ordered[0] == "moeder-en-vadercentra"
    assert index.search("geisoleerd").ordered == index.search("Geïsoleerd").ordered


def test_compound_parts_must_stand_together(index: SearchIndex) -> None:
    # Futsal Chabbab has "relaties opbouwen" and, further on, "huiswerkbegeleiding";
    # that is no "opbouwwerk".
    assert "futsal-chabbab" not in index.search("opbouwwerk").ordered
    assert "community-organising" in index.search("opbouwwerk").ordered


def test_highlight_marks_the_words_of_an_and_term(index: SearchIndex) -> None:
    snippet = index.highlight("hangjongeren", "Overlast van jongeren op straat.")
    assert snippet == "<mark>Overlast</mark> van <mark>jongeren</mark> op <mark>straat</mark>."
    assert index.highlight("pleintje", "Op het plein.") == "Op het <mark>plein</mark>."


def test_quoted_phrase(index: SearchIndex) -> None:
    assert index.search('"sociaal isolement"').ordered == ("resto-vanharte",)
    assert index.search('"isolement sociaal"').ordered == ()


def test_empty_query_means_no_text_filter(index: SearchIndex, corpus: Corpus) -> None:
    for query in ("", "   ", "de het een", "!!!"):
        result = index.search(query)
        assert (result.mode, result.ordered, result.suggestion) == ("all", (), None)
        assert result.version == corpus.content_hash


def test_suggestions_correct_every_misspelt_word(index: SearchIndex) -> None:
    result = index.search("eenzaamhied ouderren")
    assert result.suggestion == "eenzaamheid ouderen"
    assert result.ordered[0] == "goldensports"  # searched as corrected
    assert index.suggest("eenzaamhied ouderren") == "eenzaamheid ouderen"
    assert index.suggest("buurtbemiddelling") == "buurtbemiddeling"
    assert index.suggest("Eenzame ouderren in de wijk") == "Eenzame ouderen in de wijk"


def test_no_suggestion_for_known_words(index: SearchIndex) -> None:
    for query in ("eenzaamheid ouderen", "senioren", "burenruzie", "", "xq"):
        assert index.suggest(query) is None


def test_suggestion_keeps_accents(index: SearchIndex) -> None:
    assert index.suggest("geevalueerd") is None  # known after folding
    assert index.suggest("geëvalueert") == "geëvalueerd"


# --- malformed input -----------------------------------------------------------------------------

MALFORMED = [
    "",
    '"',
    '"ouderen',
    'ouderen" eenzaam "',
    '""""',
    "AND",
    "OR",
    "NOT",
    "ouderen AND",
    "NOT jongeren",
    "(",
    ")",
    "((ouderen)",
    "[a TO",
    "{a TO b}",
    "^",
    "ouderen^5",
    "*",
    "buurt*",
    "?uurt",
    "ouderen~2",
    "naam:buurtcirkel",
    "slug:*",
    "-+!&|\\/",
    "...",
    "\x00\x01\x1b[31m",
    "ouderen\u200b\u202ejongeren",
    "😀🏠👵",
    "ouderen 😀",
    "\ud800",  # a lone surrogate
    "x" * MAX_QUERY_LENGTH,
    "ab " * (MAX_QUERY_LENGTH // 3),
    "ouderen " * (MAX_QUERY_LENGTH // 8),
]


def random_unicode(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(1, 0x30000)) for _ in range(MAX_QUERY_LENGTH))


def check_degrades(index: SearchIndex, query: str) -> None:
    result = index.search(query)
    assert result.mode in ("and", "or", "all")
    assert len(result.ordered) == len(set(result.ordered))
    assert result.suggestion is None or isinstance(result.suggestion, str)
    index.suggest(query)
    snippet = index.highlight(query, HOSTILE)
    assert "<script" not in snippet
    assert not re.search(r"<(?!/?mark>)", snippet)


@pytest.mark.parametrize("query", [*MALFORMED, *(random_unicode(seed) for seed in range(5))])
def test_malformed_queries_never_raise(index: SearchIndex, query: str) -> None:
    check_degrades(index, query)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=MAX_QUERY_LENGTH))
def test_any_text_degrades_to_a_search(index: SearchIndex, query: str) -> None:
    check_degrades(index, query)


def test_query_too_long(index: SearchIndex) -> None:
    index.search("a" * MAX_QUERY_LENGTH)
    with pytest.raises(QueryTooLong):
        index.search("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(ValueError, match="200"):
        index.suggest("ouderen " * 30)


# --- highlights ----------------------------------------------------------------------------------


def test_highlight_escapes_before_marking(hostile_index: SearchIndex) -> None:
    snippet = hostile_index.highlight("burenruzie", HOSTILE)
    assert snippet.startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<mark>burenruzie</mark>" in snippet
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;" in snippet
    assert "&amp; andere" in snippet
    assert not re.search(r"<(?!/?mark>)", snippet)


def test_markup_in_the_query_never_becomes_markup(hostile_index: SearchIndex) -> None:
    for query in ("<script>", "<mark>", '"><img src=x onerror=alert(1)>', "&lt;"):
        snippet = hostile_index.highlight(query, HOSTILE)
        assert "<script" not in snippet
        assert "<img" not in snippet
        assert not re.search(r"<(?!/?mark>)", snippet)
    assert "&lt;<mark>script</mark>&gt;" in hostile_index.highlight("<script>", HOSTILE)


def test_highlight_marks_synonyms_and_compound_parts(index: SearchIndex) -> None:
    text = "Een burenruzie escaleerde; senioren bleven sociaal geïsoleerd."
    assert "<mark>burenruzie</mark>" in index.highlight("ruzie", text)
    assert "<mark>senioren</mark>" in index.highlight("ouderen", text)
    marked = index.highlight("eenzaamheid", text)
    assert "<mark>sociaal</mark> <mark>geïsoleerd</mark>" in marked
    assert "<mark>" not in index.highlight("eenzaamheid", "sociaal werk")  # phrase only


def test_highlight_without_match_returns_escaped_text(index: SearchIndex) -> None:
    assert index.highlight("theater", "Kinderen & <ouders>") == "Kinderen &amp; &lt;ouders&gt;"
    long_text = "woord " * 100
    snippet = index.highlight("theater", long_text, max_chars=50)
    assert snippet.endswith("woord…")
    assert len(snippet) <= 51
    assert index.highlight("", "a < b") == "a &lt; b"


def test_highlight_moves_the_window_to_the_match(index: SearchIndex) -> None:
    text = "Aanloop " * 60 + "Het wijktheater speelt verhalen uit de wijk. " + "Slot " * 60
    snippet = index.highlight("theater", text, max_chars=80)
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>wijktheater</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 82


def test_module_highlight_works_without_an_index() -> None:
    assert (
        search.highlight("ruzie", "<i>burenruzie</i>")
        == "&lt;i&gt;<mark>burenruzie</mark>&lt;/i&gt;"
    )


# --- related -------------------------------------------------------------------------------------


def text_of(corpus: Corpus, slug: str) -> str:
    aanpak = corpus.by_slug(slug)
    assert aanpak is not None
    return "\n".join(document_texts(aanpak, corpus.vocabulaire).values())


def test_related_never_itself_and_three_to_five(index: SearchIndex, corpus: Corpus) -> None:
    for item in corpus.aanpakken:
        related = index.related(item.slug, text_of(corpus, item.slug))
        assert 3 <= len(related) <= 5, item.slug
        assert item.slug not in related
        assert len(set(related)) == len(related)
    futsal = text_of(corpus, "futsal-chabbab")
    assert index.related("futsal-chabbab", futsal)[:2] == ["pbs-in-de-wijk", "thuis-op-straat"]
    assert index.related("bestaat-niet", "") == []
    assert len(index.related("futsal-chabbab", futsal, limit=2)) == 2


def test_related_fills_up_when_nothing_is_similar(tmp_path: Path) -> None:
    corpus = small_corpus(
        "h",
        aanpak("een", "Alfa", "Xylofoon."),
        aanpak("twee", "Bravo", "Zeppelin.", doelgroepen=["ouderen"]),
        aanpak("drie", "Charlie", "Kwartel.", doelgroepen=["jongeren"]),
        aanpak("vier", "Delta", "Walrus.", doelgroepen=["kinderen"]),
    )
    activate_index(tmp_path, build_index(tmp_path, corpus))
    with SearchIndex(tmp_path) as index:
        assert sorted(index.related("twee", text_of(corpus, "twee"))) == ["drie", "een", "vier"]


# --- building, versions, concurrency ----------------------------------------------------------


def test_build_records_the_content_hash(tmp_path: Path, corpus: Corpus) -> None:
    version_dir = build_index(tmp_path, corpus)
    assert version_dir.parent == tmp_path
    assert (version_dir / "VERSION").read_text().strip() == corpus.content_hash
    assert current_index(tmp_path) is None  # built, not active
    with SearchIndex(tmp_path) as index:
        assert index.version is None
        assert index.search("ouderen").ordered == ()
        activate_index(tmp_path, version_dir)
        assert current_index(tmp_path) == version_dir
        assert index.version == corpus.content_hash
        assert index.search("ouderen").version == corpus.content_hash


def test_new_version_replaces_the_stale_one(tmp_path: Path) -> None:
    first = small_corpus("een", aanpak("alfa", "Alfa", "Ouderen in de wijk."))
    second = small_corpus("twee", aanpak("bravo", "Bravo", "Ouderen in de buurt."))
    with SearchIndex(tmp_path) as index:
        v1 = build_index(tmp_path, first)
        activate_index(tmp_path, v1)
        assert index.search("ouderen").ordered == ("alfa",)
        v2 = build_index(tmp_path, second)
        activate_index(tmp_path, v2)
        result = index.search("ouderen")
        assert (result.ordered, result.version, index.version) == (("bravo",), "twee", "twee")
        assert v1.is_dir()  # the previous version stays for readers still on it
        v3 = build_index(tmp_path, first)
        activate_index(tmp_path, v3)
        assert not v1.exists()
        assert v2.is_dir()
        assert index.search("ouderen").ordered == ("alfa",)


def test_dangling_or_plain_current_is_replaced(tmp_path: Path) -> None:
    corpus = small_corpus("h", aanpak("alfa", "Alfa", "Ouderen."))
    (tmp_path / "current").symlink_to("v-weg-1")
    assert current_index(tmp_path) is None
    activate_index(tmp_path, build_index(tmp_path, corpus))
    assert current_index(tmp_path) is not None
    (tmp_path / "current").unlink()
    (tmp_path / "current").mkdir()
    version_dir = build_index(tmp_path, corpus)
    activate_index(tmp_path, version_dir)
    assert (tmp_path / "current").resolve() == version_dir.resolve()


def test_discard_removes_an_unused_build(tmp_path: Path) -> None:
    corpus = small_corpus("h", aanpak("alfa", "Alfa", "Ouderen."))
    active = build_index(tmp_path, corpus)
    activate_index(tmp_path, active)
    unused = build_index(tmp_path, corpus)
    discard_index(unused)
    assert not unused.exists()
    with pytest.raises(ValueError, match="actieve"):
        discard_index(active)
    with pytest.raises(ValueError, match="geen volledige index"):
        activate_index(tmp_path, unused)


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(index_store, "document", broken)
    with pytest.raises(RuntimeError):
        build_index(tmp_path, small_corpus("h", aanpak("alfa", "Alfa", "Ouderen.")))
    assert list(tmp_path.iterdir()) == []


def test_build_with_two_processes(tmp_path: Path, corpus: Corpus) -> None:
    activate_index(tmp_path, build_index(tmp_path, corpus, procs=2))
    with SearchIndex(tmp_path) as index:
        assert index.search("schooluitval").ordered == ("futsal-chabbab",)


def test_search_while_rebuilding(tmp_path: Path, corpus: Corpus) -> None:
    activate_index(tmp_path, build_index(tmp_path, corpus))
    queries = ["ouderen eenzaamheid", "jongeren sport", "burenruzie", "eenzaamhied"]
    index = SearchIndex(tmp_path)
    expected = {q: index.search(q).ordered for q in queries}
    errors: list[BaseException] = []
    seen: list[tuple[str, tuple[str, ...]]] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                for q in queries:
                    result = index.search(q)
                    seen.append((q, result.ordered))
                    assert result.version == corpus.content_hash
                    index.highlight(q, corpus.aanpakken[0].omschrijving)
                    time.sleep(0.01)  # a server does more than search
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(15):
            activate_index(tmp_path, build_index(tmp_path, corpus))
    finally:
        done.set()
        for thread in threads:
            thread.join()
        index.close()
    assert errors == []
    assert len(seen) > 15
    assert all(ordered == expected[q] for q, ordered in seen)
    assert len(list(tmp_path.glob("v-*"))) == 2  # current + previous


def test_an_index_opens_in_a_fresh_process(tmp_path: Path, corpus: Corpus) -> None:
    # The analyzer's filters are pickled into the schema by module path.
    activate_index(tmp_path, build_index(tmp_path, corpus))
    filters = search.make_schema(search.dutch_analyzer())["naam"].analyzer.items
    assert {type(f).__module__ for f in filters if type(f).__module__.startswith("wijkwijzer")} == {
        "wijkwijzer.search.analysis"
    }
    script = (
        "import sys; from pathlib import Path; from wijkwijzer.search import SearchIndex\n"
        "with SearchIndex(Path(sys.argv[1])) as index:\n"
        "    print(' '.join(index.search('kindjes op het pleintje').ordered))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[0] == "thuis-op-straat"


def test_schema_has_text_and_facet_fields() -> None:
    names = set(search.make_schema(search.dutch_analyzer()).names())
    assert set(search.TEXT_FIELDS) <= names
    facets = {"categorie", "vorm", "erkenningsniveau", "doelgroepen", "kenmerken"}
    assert facets | {"werkzame_elementen", "leeftijd_min", "leeftijd_max", "slug"} <= names


def test_build_survives_the_external_sort(tmp_path: Path) -> None:
    """Past the writer's memory limit Whoosh sorts postings on disk (as for ~10k approaches)."""
    corpus = load_corpus(REAL_CORPUS, VOCABULAIRE)
    version_dir = build_index(tmp_path, corpus, limitmb=1)
    activate_index(tmp_path, version_dir)
    with SearchIndex(tmp_path) as index:
        assert "buurtbemiddeling" in index.search("burenruzie").ordered[:3]
    assert not list(tmp_path.glob(".scratch-*"))


def test_without_a_search_cache_the_answers_are_the_same(
    tmp_path: Path, corpus: Corpus, index: SearchIndex
) -> None:
    activate_index(tmp_path, build_index(tmp_path, corpus))
    with SearchIndex(tmp_path, cache_mb=0) as uncached:
        for query in ("jongeren sport", "ruzie met de buren", "buurt bewoners", "eenzaamheid"):
            assert uncached.search(query).ordered == index.search(query).ordered
            assert uncached.search(query).scores == index.search(query).scores
        opened = uncached._opened()
        assert opened is not None
        assert opened.shared.scores.kept() == 0
        assert index._opened().shared.scores.kept() > 0  # type: ignore[union-attr]
