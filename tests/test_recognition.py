"""Recognition a policy maker can trust: validity as a filter, the honest level sort, the
doelgroep × niveau overview, the age filter that hides nothing, on the real corpus."""

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.corpus.models import Erkenning, load_corpus
from wijkwijzer.corpus.text import text_with_links, web_addresses
from wijkwijzer.corpus.validity import Termijn, geldigheid
from wijkwijzer.corpus.vocabulary import Niveau

# The day the issue was checked by hand: only Buurtcirkel (Goed beschreven, 2022) holds.
DECEMBER = date(2026, 12, 5)
GROEP = {"actueel": 0, "verloopt-binnenkort": 0, "onbekend": 1, "verlopen": 2, "n.v.t.": 3}


@contextmanager
def client_on(tmp_path: Path, peildatum: date) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path, peildatum=peildatum, response_cache_mb=0)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_on(tmp_path_factory.mktemp("december"), DECEMBER) as client:
        yield client


def alle(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/approaches", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# -- validity on a peildatum --------------------------------------------------------------


def niveau(code: str) -> Any:
    corpus = load_corpus(REAL_CORPUS, make_settings(Path("/nonexistent")).vocabulaire)
    return corpus.vocabulaire.niveau(Niveau(code))


@pytest.mark.parametrize(
    ("today", "termijn"),
    [
        (date(2026, 12, 30), Termijn.ACTUEEL),  # ends 31 Dec 2027: more than 12 months away
        (date(2026, 12, 31), Termijn.VERLOOPT_BINNENKORT),  # exactly 12 months away
        (date(2027, 6, 1), Termijn.VERLOOPT_BINNENKORT),
        (date(2027, 12, 31), Termijn.VERLOOPT_BINNENKORT),  # the last valid day
        (date(2028, 1, 1), Termijn.VERLOPEN),
    ],
)
def test_a_recognition_ends_soon_within_twelve_months(today: date, termijn: Termijn) -> None:
    valid = geldigheid(
        Erkenning(niveau="goed-beschreven", jaar=2022), niveau("goed-beschreven"), today
    )
    assert valid.termijn == termijn
    assert valid.geldt == (termijn in (Termijn.ACTUEEL, Termijn.VERLOOPT_BINNENKORT))


def test_items_say_whether_their_recognition_holds(client: TestClient) -> None:
    items = {i["slug"]: i["erkenning"] for i in alle(client)["items"]}
    holds = sorted(s for s, e in items.items() if e["geldt_op_peildatum"])
    assert holds == ["buurtcirkel"]
    assert items["buurtcirkel"]["termijn"] == "actueel"
    assert items["goldensports"]["termijn"] == "onbekend"
    assert items["thuis-op-straat"]["termijn"] == "verlopen"
    assert items["abcd-methode"]["termijn"] == "n.v.t."
    assert {e["termijn_label"] for e in items.values()} == {
        "Actueel",
        "Jaar onbekend",
        "Verlopen",
        "Geen erkenning",
    }


def test_geldigheid_facet_counts_sum_to_the_total_and_match_the_filter(client: TestClient) -> None:
    for params in (
        {},
        {"q": "ouderen"},
        {"doelgroep": "jongeren"},
        {"erkenningsniveau": "goed-onderbouwd"},
    ):
        body = alle(client, **params)
        facet = {v["value"]: v["count"] for v in body["facets"]["geldigheid"]}
        assert list(facet) == [t.value for t in Termijn]
        assert sum(facet.values()) == body["total"], params
        for code, count in facet.items():
            assert alle(client, **params, geldigheid=code)["total"] == count, (params, code)
    assert {v["value"]: v["label"] for v in alle(client)["facets"]["geldigheid"]}[
        "verloopt-binnenkort"
    ] == "Verloopt binnenkort"


def test_soon_ending_recognitions_are_their_own_value(tmp_path: Path) -> None:
    with client_on(tmp_path, date(2027, 3, 1)) as client:
        body = alle(client, geldigheid="verloopt-binnenkort")
        strict = alle(client, geldigheid="actueel")
    assert [i["slug"] for i in body["items"]] == ["buurtcirkel"]
    assert body["items"][0]["erkenning"]["geldt_op_peildatum"] is True
    assert strict["total"] == 0


# -- the orders -----------------------------------------------------------------------------


def test_level_sort_puts_what_holds_first_then_unknown_then_expired(client: TestClient) -> None:
    items = alle(client, sort="erkenningsniveau")["items"]
    assert [i["slug"] for i in items[:7]] == [
        "buurtcirkel",  # holds
        "goldensports",  # Goed onderbouwd, year unknown
        "pbs-in-de-wijk",
        "thuis-op-straat",  # expired: Effectief, then Goed onderbouwd (2020, 2019), Goed beschreven
        "futsal-chabbab",
        "wijkacademie-opvoeden",
        "resto-vanharte",
    ]
    keys = [(GROEP[i["erkenning"]["termijn"]], -i["erkenning"]["rang"]) for i in items]
    assert keys == sorted(keys)


def test_geldig_tot_sort_puts_the_longest_valid_first(client: TestClient) -> None:
    items = alle(client, sort="geldig_tot")["items"]
    ends = [i["erkenning"]["geldig_tot"] for i in items]
    dated = [e for e in ends if e is not None]
    assert ends[: len(dated)] == sorted(dated, reverse=True) == [2027, 2025, 2024, 2022, 2020]
    rest = [i["erkenning"]["termijn"] for i in items[len(dated) :]]
    assert rest == sorted(rest, key=GROEP.__getitem__)
    assert rest[0] == "onbekend"


def test_the_orders_are_documented_in_the_api_and_on_the_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    params = schema["paths"]["/api/v1/approaches"]["get"]["parameters"]
    sort = next(p for p in params if p["name"] == "sort")
    assert "onbekend jaar, dan de verlopen erkenningen" in sort["description"]
    assert "geldig_tot" in sort["description"]
    page = client.get("/?sort=erkenningsniveau").text
    assert "Volgorde op 5 december 2026: eerst de erkenningen die op de peildatum gelden" in page


# -- /erkenning ------------------------------------------------------------------------------


def test_erkenning_opens_with_the_computed_sentence(client: TestClient) -> None:
    page = client.get("/erkenning").text
    assert (
        "Op 5 december 2026 heeft 1 van de 24 aanpakken een erkenning waarvan vaststaat dat "
        "die nu geldt." in page
    )


def test_the_sentence_follows_the_peildatum(tmp_path: Path) -> None:
    with client_on(tmp_path, date(2021, 6, 1)) as client:
        holds = sum(i["erkenning"]["geldt_op_peildatum"] for i in alle(client)["items"])
        page = client.get("/erkenning").text
    assert holds > 1
    assert f"Op 1 juni 2021 hebben {holds} van de 24 aanpakken een erkenning" in page


def cells(page: str) -> list[tuple[str, int]]:
    """The links of the doelgroep × niveau table with the count each shows."""
    table = page[page.index('<table class="cijfers matrix">') :]
    table = table[: table.index("</table>")]
    return [
        (href.replace("&amp;", "&"), int(count))
        for href, count in re.findall(r'<a href="([^"]+)" aria-label="[^"]*">(\d+)</a>', table)
    ]


def test_every_matrix_cell_links_to_as_many_results_as_it_shows(client: TestClient) -> None:
    found = cells(client.get("/erkenning").text)
    assert len(found) >= 10
    assert sum(count for _, count in found) == sum(
        len(i["doelgroepen"]) for i in alle(client)["items"]
    )
    for href, count in found:
        query = dict(parse_qsl(urlsplit(href).query))
        assert set(query) == {"doelgroep", "erkenningsniveau"}
        assert alle(client, **query)["total"] == count, href
        assert (
            f'<h2 id="resultaten" tabindex="-1">{count} {"aanpak" if count == 1 else "aanpakken"}'
            in client.get(href).text
        )


def test_the_api_has_the_same_overview_per_doelgroep(client: TestClient) -> None:
    ladder = client.get("/api/v1/erkenningsniveaus").json()
    for trede in ladder:
        assert sum(trede["termijnen"].values()) == trede["count"]
        for cel in trede["per_doelgroep"]:
            assert sum(cel["termijnen"].values()) == cel["count"]
            assert client.get(cel["url"]).json()["total"] == cel["count"]
            assert cel["html_url"] == (
                f"http://testserver/?doelgroep={cel['code']}&erkenningsniveau={trede['code']}"
            )


def test_doelgroepen_without_a_current_recognition_are_named(client: TestClient) -> None:
    items = alle(client)["items"]
    covered = {
        d["code"] for i in items if i["erkenning"]["geldt_op_peildatum"] for d in i["doelgroepen"]
    }
    labels = {d["code"]: d["label"] for i in items for d in i["doelgroepen"]}
    missing = sorted(labels[c].lower() for c in set(labels) - covered)
    page = client.get("/erkenning").text
    sentence = re.search(r'<p class="beleid">(.*?)</p>', page, re.S)
    assert sentence is not None
    assert missing
    named = sorted(re.findall(r">([^<]+)</a>", sentence.group(1)))
    assert named == missing


def test_the_chart_and_table_separate_the_five_termijnen(client: TestClient) -> None:
    page = client.get("/erkenning").text
    for label in ("Actueel", "Verloopt binnenkort", "Jaar onbekend", "Verlopen", "Geen erkenning"):
        assert f'<th scope="col">{label}</th>' in page
    assert "actueel of zonder termijn" not in page
    classes = set(re.findall(r"grafiek__balk--([a-z-]+)", page))
    assert classes == {"actueel", "onbekend", "verlopen", "nvt"}


# -- the age filter ----------------------------------------------------------------------------


def test_the_age_filter_keeps_approaches_without_ages(client: TestClient) -> None:
    zonder = alle(client, doelgroep="jongeren")
    met = alle(client, doelgroep="jongeren", leeftijd=14)
    assert met["total"] == zonder["total"] == 4
    flags = {i["slug"]: i["leeftijd_genoemd"] for i in met["items"]}
    assert flags["kan-wel"] is False
    assert flags["pbs-in-de-wijk"] is False
    assert met["zonder_leeftijd"] == 2
    strict = alle(client, doelgroep="jongeren", leeftijd=14, alleen_met_leeftijd="true")
    assert strict["total"] == 2
    assert all(i["leeftijd_genoemd"] for i in strict["items"])


def test_the_page_marks_approaches_without_ages(client: TestClient) -> None:
    page = client.get("/?doelgroep=jongeren&leeftijd=14").text
    assert page.count("(geen leeftijdsgrens genoemd)") == 2
    assert "2 van deze 4 aanpakken noemen geen leeftijdsgrens" in page
    strict = client.get("/?doelgroep=jongeren&leeftijd=14&alleen_met_leeftijd=true").text
    assert "geen leeftijdsgrens genoemd" not in strict
    assert "Alleen met genoemde leeftijdsgrens" in strict  # the chip that removes it


# -- detail, compare, Dutch ---------------------------------------------------------------------


def test_sources_with_an_address_are_links() -> None:
    parts = text_with_links("movisie.nl/interventie/futsal-chabbab; stichtingbmp.nl")
    assert parts[0] == (
        "movisie.nl/interventie/futsal-chabbab",
        "https://movisie.nl/interventie/futsal-chabbab",
    )
    assert web_addresses("WijkWijzer (december 2024), ca. 2019") == []
    assert web_addresses("movisie.nl/praktijkvoorbeeld/…") == []
    assert web_addresses("http://example.nl/x") == ["https://example.nl/x"]


def test_detail_links_every_source_that_has_an_address(client: TestClient) -> None:
    page = client.get("/aanpak/futsal-chabbab").text
    block = page[page.index("Bron van het oordeel") :]
    block = block[: block.index("</dd>")]
    links = re.findall(r'<a class="extern" href="([^"]+)" rel="([^"]+)"', block)
    assert [href for href, _ in links] == [
        "https://movisie.nl/interventie/futsal-chabbab",
        "https://interventies.loketgezondleven.nl/leefstijlinterventies/interventies-zoeken/1500287",
    ]
    assert all("noopener" in rel.split() for _, rel in links)
    api = client.get("/api/v1/approaches/futsal-chabbab").json()
    assert api["erkenning"]["bron_links"] == [href for href, _ in links]


def test_compare_shows_validity_in_one_row_with_csv_and_json(client: TestClient) -> None:
    page = client.get("/vergelijk?slug=buurtcirkel&slug=futsal-chabbab&slug=goldensports").text
    assert "Actueel · geldig tot 2027 · oordeel uit 2022" in page
    assert "Verlopen · verlopen sinds 2025 · oordeel uit 2020" in page
    assert "Jaar onbekend · jaar van het oordeel onbekend" in page
    assert "Jaar van oordeel<" not in page
    assert "bepaald op 5 december 2026" in page
    assert "http://testserver/vergelijk?slug=buurtcirkel&amp;slug=futsal-chabbab" in page
    csv_href = re.search(r'<a href="([^"]+compare\.csv[^"]+)" download>', page)
    json_href = re.search(r'<a href="(/api/v1/compare\?[^"]+)"', page)
    assert csv_href
    assert json_href
    rows = list(
        csv.reader(
            io.StringIO(client.get(csv_href.group(1).replace("&amp;", "&")).text.lstrip("\ufeff"))
        )
    )
    assert rows[0] == ["veld", "label", "Buurtcirkel", "Futsal Chabbab", "GoldenSports"]
    assert rows[[r[0] for r in rows].index("erkenning_geldigheid")][:2] == [
        "erkenning_geldigheid",
        "Geldigheid",
    ]
    assert client.get(json_href.group(1).replace("&amp;", "&")).json()["slugs"][0] == "buurtcirkel"


def test_badges_have_real_separators_and_a_style_per_status(client: TestClient) -> None:
    page = client.get("/?sort=erkenningsniveau&per_page=100").text
    badge = r'<span class="badge badge--([a-z-]+)">((?:<span[^>]*>[^<]*</span>)+)</span>'
    text = {re.sub(r"<[^>]+>", "", inner): kind for kind, inner in re.findall(badge, page)}
    assert text["Goed onderbouwd · jaar onbekend"] == "onbekend"
    assert text["Goed beschreven · geldig tot 2027"] == "actueel"
    assert text["Niet beoordeeld"] != text["Onbekend"]
    assert text["Praktijkvoorbeeld"] not in (text["Niet beoordeeld"], text["Onbekend"])


def test_the_empty_result_counts_in_dutch(client: TestClient) -> None:
    page = client.get("/?q=buurtcirkel&doelgroep=jongeren").text
    assert "dan is er 1 aanpak." in page
    assert "zijn er 1 aanpak" not in page
