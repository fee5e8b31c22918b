"""The HTML pages: content, links, escaping, and the rules a strict CSP and a phone impose."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from fastapi.testclient import TestClient
from starlette.datastructures import URL

from tests.helpers.markup import Element, Html
from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, make_settings
from wijkwijzer.catalogue.answers import Resultaat
from wijkwijzer.catalogue.comparison import VERGELIJKING
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.question import Zoekvraag
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import PACKAGE_DIR
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web import errors
from wijkwijzer.web.app import create_app
from wijkwijzer.web.pages import routes as pages
from wijkwijzer.web.pages.params import parse_listing
from wijkwijzer.web.pages.routes import STATIC_DIR
from wijkwijzer.web.pages.shapes import facet_views, page_links
from wijkwijzer.web.urls import Query, Urls

compare_url = Urls().vergelijk

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def client_for(settings_dir: Path, corpus: Path) -> Iterator[TestClient]:
    settings = make_settings(settings_dir, corpus)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app on the real corpus of 24 approaches."""
    yield from client_for(tmp_path_factory.mktemp("echt"), REAL_CORPUS)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The mini corpus with markup in the names, goals and descriptions."""
    directory = tmp_path_factory.mktemp("vijandig")
    data = yaml.safe_load(MINI_CORPUS.read_text(encoding="utf-8"))
    for i, aanpak in enumerate(data["aanpakken"]):
        aanpak["naam"] = f"{SCRIPT} {IMG} {i}"
        aanpak["doel"] = f"Buurt {SCRIPT} en {IMG} doel"
        aanpak["omschrijving"] = f"{IMG}{SCRIPT}"
    corpus = directory / "vijandig.yaml"
    corpus.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    yield from client_for(directory, corpus)


def catalogue_of(client: TestClient) -> Catalogue:
    catalogue: Catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    return catalogue


def get(client: TestClient, url: str, status: int = 200) -> Html:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    page = Html(response.text)
    assert len(page.find("h1")) == 1, f"{url}: één h1"
    assert page.find("html")[0]["lang"] == "nl"
    return page


def _card_links(page: Html) -> list[Element]:
    """The link of each result card (to its approach, carrying the listing's state)."""
    links, inside = [], False
    for e in page.elements:
        if e.tag == "h3" and "kaart__naam" in e["class"]:
            inside = True
        elif inside and e.tag == "a":
            links.append(e)
            inside = False
    return links


# -- the listing -------------------------------------------------------------------------


def test_index_without_query_lists_every_approach(real: TestClient) -> None:
    page = get(real, "/")
    assert "24 aanpakken" in page.text
    assert len(page.classes("kaart")) == 20
    assert page.find("a", href="/?page=2#resultaten")
    second = get(real, "/?page=2")
    assert len(second.classes("kaart")) == 4
    assert second.find("a", href="/#resultaten", rel="prev")
    assert [e for e in second.find("a", href="/?page=2#resultaten") if e["aria-current"] == "page"]
    assert {link["href"] for link in _card_links(page)} <= {
        f"/aanpak/{a.slug}" for a in catalogue_of(real).versie().corpus.aanpakken
    }
    shown = {link["href"] for link in _card_links(page) + _card_links(second)}
    assert shown == {
        f"/aanpak/{a.slug}{'?page=2' if i >= 20 else ''}"
        for i, a in enumerate(catalogue_of(real).listing(Zoekvraag(per_page=24)).items)
    }
    assert page.find("link", rel="stylesheet", href="/static/wijkwijzer.css")
    assert page.find("a", href="/api/v1/approaches.csv")


def test_facets_have_counts_checkboxes_and_toggle_urls(real: TestClient) -> None:
    page = get(real, "/")
    box = page.find("input", type="checkbox", name="doelgroep", value="ouderen")
    assert box
    assert "checked" not in box[0].attrs
    label = re.search(
        r'for="f-doelgroep-ouderen">Ouderen <span class="telling">(\d+)', real.get("/").text
    )
    assert label
    assert int(label.group(1)) == catalogue_of(real).listing(Zoekvraag(doelgroep=["ouderen"])).total
    for name in ("erkenningsniveau", "vorm", "categorie", "kenmerk", "werkzaam_element"):
        assert page.find("input", type="checkbox", name=name), name
    assert page.find("input", type="number", name="leeftijd", id="leeftijd")
    assert page.find("label", for_="leeftijd")


def test_facet_views_carry_value_label_count_selected_and_toggle_url(real: TestClient) -> None:
    listing = parse_listing([("q", "buurt"), ("doelgroep", "ouderen"), ("page", "2")])
    resultaat = catalogue_of(real).listing(listing.vraag)
    doelgroep = next(
        f for f in facet_views(resultaat, listing.query, Urls()) if f.name == "doelgroep"
    )
    ouderen = next(v for v in doelgroep.values if v.value == "ouderen")
    assert ouderen.selected
    assert ouderen.label == "Ouderen"
    assert ouderen.toggle_url == "/?q=buurt"
    jongeren = next(v for v in doelgroep.values if v.value == "jongeren")
    assert not jongeren.selected
    assert jongeren.count > 0
    assert jongeren.toggle_url == "/?q=buurt&doelgroep=ouderen&doelgroep=jongeren"
    assert all(v.count or v.selected for v in doelgroep.values)


def test_search_highlights_and_shows_chips_sort_and_csv(real: TestClient) -> None:
    response = real.get("/?q=eenzame+ouderen")
    page = Html(response.text)
    assert "<mark>" in response.text
    assert "voor ‘eenzame ouderen’" in page.text
    assert page.find("input", type="search", name="q", value="eenzame ouderen")
    assert page.find("a", class_="chip", href="/#resultaten")
    assert page.find("a", href="/?q=eenzame+ouderen&sort=naam#resultaten")
    current = [e for e in page.find("a") if e["aria-current"] == "true"]
    assert [e["href"] for e in current] == ["/?q=eenzame+ouderen&sort=relevantie#resultaten"]
    assert page.find("a", href="/api/v1/approaches.csv?q=eenzame+ouderen")
    expected = catalogue_of(real).listing(Zoekvraag(q="eenzame ouderen"))
    assert [link["href"] for link in _card_links(page)] == [
        f"/aanpak/{a.slug}?q=eenzame+ouderen" for a in expected.items
    ]


def test_two_facets_filter_check_boxes_and_removable_chips(real: TestClient) -> None:
    url = "/?q=eenzame+ouderen&doelgroep=sociaal-geisoleerden&categorie=interventie"
    page = get(real, url)
    for name, value in (("doelgroep", "sociaal-geisoleerden"), ("categorie", "interventie")):
        assert "checked" in page.find("input", type="checkbox", name=name, value=value)[0].attrs
    chips = {e["href"] for e in page.find("a", class_="chip")}
    assert chips == {
        "/?doelgroep=sociaal-geisoleerden&categorie=interventie#resultaten",
        "/?q=eenzame+ouderen&categorie=interventie#resultaten",
        "/?q=eenzame+ouderen&doelgroep=sociaal-geisoleerden#resultaten",
    }
    assert page.find("a", class_="chips__wis", href="/#resultaten")
    assert "(1 gekozen)" in page.text
    assert "Filters (2 gekozen)" in page.text  # the panel that is closed on a phone
    expected = catalogue_of(real).listing(parse_listing(parse_qsl(urlsplit(url).query)).vraag)
    assert [link["href"] for link in _card_links(page)] == [
        f"/aanpak/{a.slug}{url[1:]}" for a in expected.items
    ]
    assert f"{expected.total} aanpakken" in page.text
    csv = page.find("a", class_="download")[0]["href"]
    assert csv == "/api/v1/approaches.csv" + url[1:]
    # one form holds the search text, the filters and the ticks, and lands on the results
    forms = page.find("form")
    assert [f["action"] for f in forms] == ["/#resultaten"]
    assert page.find("input", type="search", name="q", value="eenzame ouderen")
    assert not page.find("input", type="hidden", name="doelgroep")


def test_age_filter(real: TestClient) -> None:
    page = get(real, "/?leeftijd=70")
    total = catalogue_of(real).listing(Zoekvraag(leeftijd=70)).total
    assert f"{total} aanpak" in page.text
    assert page.find("a", class_="chip", href="/#resultaten")
    assert "Leeftijd: 70 jaar" in page.text
    assert page.find("input", name="leeftijd", value="70")


def test_unusable_parameters_are_dropped_with_a_dutch_message(real: TestClient) -> None:
    page = get(real, "/?doelgroep=onzin&doelgroep=ouderen&leeftijd=oud&page=0&sort=zz&per_page=999")
    text = page.text
    assert "Leeftijd moet een geheel getal van 0 tot 120 zijn; 'oud' is genegeerd." in text
    assert "Pagina moet een geheel getal" in text
    assert "Aantal per pagina moet een geheel getal" in text
    assert "Sorteren op 'zz' kan niet" in text
    assert "Het filter doelgroep kent de waarde 'onzin' niet; die is weggelaten." in text
    assert (
        "checked" in page.find("input", type="checkbox", name="doelgroep", value="ouderen")[0].attrs
    )
    assert page.find("a", class_="chip", href="/#resultaten")  # only ouderen remains


def test_a_too_long_query_is_explained_on_a_400_page(real: TestClient) -> None:
    page = get(real, "/?q=" + "a" * 300, status=400)
    assert "Deze vraag kunnen we niet beantwoorden" in page.text
    assert "200" in page.text


def test_empty_result_offers_ways_out(real: TestClient) -> None:
    page = get(real, "/?q=xyzzyqq&doelgroep=ouderen")
    assert "Geen aanpakken gevonden voor ‘xyzzyqq’" in page.text
    assert "synoniem" in page.text
    way_out = page.find("a", href="/?doelgroep=ouderen#resultaten")
    assert way_out
    assert "Laat ‘Zoekterm: xyzzyqq’ weg: dan zijn er 2 aanpakken." in page.text
    assert page.find("a", href="/")
    assert not page.classes("kaart")


def test_did_you_mean(real: TestClient) -> None:
    page = get(real, "/?q=buurtbemidelling")
    assert "Bedoelde u buurtbemiddeling?" in page.text
    assert page.find("a", href="/?q=buurtbemiddeling#resultaten")


def test_a_page_past_the_end_says_so(real: TestClient) -> None:
    page = get(real, "/?page=9")
    assert "Pagina 9 bestaat niet" in page.text
    assert page.find("a", href="/#resultaten")


def test_results_can_be_ticked_for_comparison(real: TestClient) -> None:
    page = get(real, "/?q=eenzame+ouderen")
    form = page.find("form", action="/#resultaten")
    assert form
    assert form[0]["method"] == "get"
    box = page.find("input", type="checkbox", name="vergelijk", value="goldensports")
    assert box
    assert "checked" not in box[0].attrs
    assert page.find("button", type="submit", name="naar_vergelijking", value="1")


# -- one approach ------------------------------------------------------------------------


def test_detail_shows_every_field_in_sections(real: TestClient) -> None:
    aanpak = catalogue_of(real).get("futsal-chabbab")
    assert aanpak is not None
    response = real.get("/aanpak/futsal-chabbab")
    page = Html(response.text)
    assert page.find("h1")[0]
    assert "Futsal Chabbab" in page.text
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", response.text)
    for heading in (
        "Doel",
        "Doelgroep",
        "Omschrijving",
        "Fasen",
        "Uitvoerders",
        "Vorm",
        "Erkenning",
        "Bron",
        "Verwante aanpakken",
    ):
        assert heading in headings
    steps = re.search(r'<ol class="stappen">(.*?)</ol>', response.text, re.S)
    assert steps
    assert steps.group(1).count("<li>") == len(aanpak.stappen) == 4
    e = aanpak.erkenning
    assert e.geldigheid in page.text
    assert str(e.jaar) in page.text
    assert e.databank
    assert page.find("a", href=f"/erkenning#{e.niveau}")
    bron = next(a for a in page.find("a", class_="extern") if a["href"] == aanpak.bron.url)
    assert "external" in bron["rel"]
    assert "(externe website)" in page.text
    for kenmerk in aanpak.kenmerken:
        assert page.find("a", href=f"/?kenmerk={kenmerk.code}")
    for doelgroep in aanpak.doelgroepen:
        assert page.find("a", href=f"/?doelgroep={doelgroep.code}")
    for related in aanpak.related:
        assert page.find("a", href=f"/aanpak/{related.slug}")
    assert page.find("a", href="/vergelijk?slug=futsal-chabbab")
    assert "hidden" in page.find("button", type="button")[0].attrs  # shown by the script


def test_every_approach_has_a_page(real: TestClient) -> None:
    for aanpak in catalogue_of(real).versie().corpus.aanpakken:
        page = get(real, f"/aanpak/{aanpak.slug}")
        assert aanpak.naam in page.text


def test_unknown_slug_is_a_404_with_close_matches(real: TestClient) -> None:
    page = get(real, "/aanpak/buurtcirkl", status=404)
    assert "Deze aanpak staat niet in de catalogus" in page.text
    assert page.find("a", href="/aanpak/buurtcirkel")
    assert page.find("a", href="/?q=buurtcirkl")


# -- comparison --------------------------------------------------------------------------


def test_comparison_is_a_table_with_row_headers(real: TestClient) -> None:
    page = get(real, compare_url(["goldensports", "resto-vanharte"]))
    assert len(page.find("th", scope="col")) == 3
    row_headers = page.find("th", scope="row")
    assert len(row_headers) == len(VERGELIJKING)
    assert page.find("table")[0]
    assert page.find("caption")
    assert page.find("a", href="/vergelijk?slug=resto-vanharte")  # remove goldensports
    assert page.find("a", href="/vergelijk?slug=goldensports")
    assert page.find("input", type="hidden", name="slug", value="goldensports")
    assert page.find("select", name="slug")
    assert not page.find("option", value="goldensports")
    for text in ("verlopen sinds", "verschilt", "gelijk", "Kenniscentrum Sport"):
        assert text in page.text
    region = page.find("div", class_="tabelschuif")[0]
    assert region["role"] == "region"
    assert region["tabindex"] == "0"


def test_comparison_rows_are_the_comparison_fields() -> None:
    """The page lays out the rows; which fields there are and when they differ is defined once."""
    template = (PACKAGE_DIR.parent.parent / "templates" / "vergelijk.html").read_text("utf-8")
    rows = re.findall(r'rij\("([a-z_]+)"', template)
    grouped = re.findall(r'"([a-z_]+)"', " ".join(re.findall(r"groep\([^)]*\)", template)))
    keys = [veld.key for veld in VERGELIJKING]
    assert sorted(rows) == sorted(keys)
    assert sorted(grouped) == sorted(keys)  # each row in one group


def test_comparison_can_show_only_differences(real: TestClient) -> None:
    url = compare_url(["goldensports", "resto-vanharte"], verschillen="1")
    page = get(real, url)
    headers = list(page.find("th", scope="row"))
    assert 0 < len(headers) < 16
    assert "Categorie" not in page.text  # both are interventions
    assert page.find("a", href=compare_url(["goldensports", "resto-vanharte"]))


def test_one_approach_invites_to_choose_another(real: TestClient) -> None:
    page = get(real, "/vergelijk?slug=goldensports")
    assert "Kies een aanpak om mee te vergelijken" in page.text
    assert page.find("a", href="/vergelijk?slug=goldensports&slug=resto-vanharte")
    assert not page.find("a", href="/vergelijk?slug=goldensports&slug=goldensports")
    empty = get(real, "/vergelijk")
    assert len(empty.find("input", type="checkbox", name="slug")) == 24


def test_comparison_drops_unknown_and_surplus_slugs(real: TestClient) -> None:
    slugs = ["goldensports", "resto-vanharte", "buurtcirkel", "citytrainers", "kan-wel"]
    page = get(real, compare_url(slugs))
    assert len(page.find("th", scope="col")) == 5
    assert "U kunt tot 4 aanpakken tegelijk vergelijken" in page.text
    page = get(real, "/vergelijk?slug=goldensports&slug=bestaat-niet")
    assert "Niet gevonden en weggelaten: bestaat-niet." in page.text
    assert "Kies een aanpak om mee te vergelijken" in page.text


# -- recognition levels and about ---------------------------------------------------------


def test_recognition_ladder_with_chart_table_and_expired(real: TestClient) -> None:
    ladder = catalogue_of(real).ladder()
    response = real.get("/erkenning")
    page = Html(response.text)
    svg = page.find("svg")[0]
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "grafiek-titel"
    bars = [r for r in page.elements if r.tag == "rect" and "grafiek__balk" in r["class"]]
    assert len(bars) == sum(bool(count) for n in ladder for count in n.termijnen.values())
    for niveau in ladder:
        assert page.find("section", id=niveau.code)
        assert page.find("a", href=f"#{niveau.code}")
        assert niveau.definitie in page.text
    expired = response.text.split('id="verlopen"')[1]
    expected = [a for n in ladder for a in n.aanpakken if a.erkenning.status == "verlopen"]
    assert expected, "het echte corpus heeft verlopen erkenningen"
    for aanpak in expected:
        assert f'href="/aanpak/{aanpak.slug}"' in expired
    assert f"<td>{sum(n.count for n in ladder)}</td>" in response.text


def test_about_names_sources_licence_and_open_data(real: TestClient) -> None:
    page = get(real, "/over")
    for bron in catalogue_of(real).versie().corpus.vocabulaire.bronnen:
        assert bron.titel in page.text
    assert "EUPL" in page.text
    assert "-1.2" in page.text
    for href in ("/docs", "/api/v1/export.json", "/api/v1/approaches.csv"):
        assert page.find("a", href=href)


def test_navigation_marks_the_current_page(real: TestClient) -> None:
    for url, href in (("/", "/"), ("/erkenning", "/erkenning"), ("/over", "/over")):
        current = [e["href"] for e in get(real, url).find("a") if e["aria-current"] == "page"]
        assert current[0] == href  # the main menu comes first


# -- safety, CSP, size ---------------------------------------------------------------------

PAGES = [
    "/",
    "/?q=eenzame+ouderen&doelgroep=ouderen",
    "/?q=xyzzyqq",
    "/aanpak/futsal-chabbab",
    "/aanpak/bestaat-niet",
    "/vergelijk?slug=goldensports&slug=resto-vanharte",
    "/vergelijk?slug=goldensports",
    "/vergelijk",
    "/erkenning",
    "/over",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_code_and_nothing_external(real: TestClient, url: str) -> None:
    response = real.get(url)
    page = Html(response.text)
    assert not page.find("style")
    for element in page.elements:
        assert "style" not in element.attrs, element.tag
        assert not [a for a in element.attrs if a.startswith("on")], element.tag
        if element.tag == "script" and element["type"] != "application/ld+json":
            assert element["src"].startswith("/static/")
        if element.tag == "link" and element["rel"] in ("canonical", "alternate", "search"):
            # links that name a page (for search engines, feeds, oEmbed) are absolute, ours
            assert element["href"].startswith("http://testserver/"), element.attrs
        elif element.tag in ("link", "img", "iframe", "source") or (
            element.tag == "script" and element["type"] != "application/ld+json"
        ):
            assert (element["src"] or element["href"]).startswith("/"), element.attrs
    assert page.find("a", class_="skiplink", href="#inhoud")
    assert page.find("main", id="inhoud")
    for control in page.find("input") + page.find("select"):
        if control["type"] in ("hidden", "submit"):
            continue
        labelled = page.find("label", for_=control["id"]) or control["aria-label"]
        assert labelled or control["type"] == "checkbox", control.attrs
    assert "http://" not in "".join(e["src"] for e in page.elements)


def test_hostile_corpus_text_is_escaped_everywhere(hostile: TestClient) -> None:
    slugs = [a.slug for a in catalogue_of(hostile).versie().corpus.aanpakken]
    urls = [
        "/",
        "/?q=buurt",
        "/?q=script+alert",
        f"/aanpak/{slugs[0]}",
        compare_url(slugs[:2]),
        compare_url(slugs[:1]),
        "/vergelijk",
        "/erkenning",
        "/aanpak/buurtcirkl",
    ]
    for url in urls:
        response = hostile.get(url)
        assert response.status_code in (200, 404)
        assert SCRIPT not in response.text, url
        assert "<img src=x" not in response.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text, url
        code = [e["src"] for e in Html(response.text).find("script") if e["src"]]
        assert code == ["/static/wijkwijzer.js"]
        data = Html(response.text).find("script", type="application/ld+json")
        assert len(data) == (1 if url == f"/aanpak/{slugs[0]}" else 0), url
        assert not Html(response.text).find("img", src="x")
    assert "<mark>" in hostile.get("/?q=buurt").text


@pytest.mark.parametrize(
    "url",
    [
        f"/?q={SCRIPT}",
        f"/?q={IMG}&doelgroep={SCRIPT}",
        f"/aanpak/{SCRIPT}",
        f"/vergelijk?slug={SCRIPT}&slug={IMG}",
        f"/?leeftijd={SCRIPT}&sort={IMG}",
    ],
)
def test_hostile_queries_are_escaped(hostile: TestClient, url: str) -> None:
    response = hostile.get(url)
    assert response.status_code in (200, 400, 404)
    assert SCRIPT not in response.text
    assert "<img src=x" not in response.text
    assert "alert(1)" in response.text or response.status_code == 404


def test_results_page_html_and_css_are_small(real: TestClient) -> None:
    css = (STATIC_DIR / "wijkwijzer.css").read_bytes()
    for url in ("/", "/?q=buurt", "/?per_page=24"):
        html = real.get(url).content
        assert len(html) + len(css) < 60_000, (url, len(html), len(css))


def test_static_assets_are_shipped_in_the_package() -> None:
    assert PACKAGE_DIR / "static" == STATIC_DIR
    css = (STATIC_DIR / "wijkwijzer.css").read_text(encoding="utf-8")
    js = (STATIC_DIR / "wijkwijzer.js").read_text(encoding="utf-8")
    assert "@media print" in css
    assert "@import" not in css
    assert "url(" not in css
    assert "eval(" not in js
    assert "innerHTML" not in js
    assert (STATIC_DIR / "favicon.svg").is_file()


def test_html_error_pages_via_the_errors_fallback(tmp_path: Path) -> None:
    corpus = tmp_path / "mini.yaml"
    shutil.copy(MINI_CORPUS, corpus)
    settings = make_settings(tmp_path, corpus)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    app = create_app(settings)
    errors.install(app, fallback_html=pages.error_page)
    with TestClient(app) as client:
        page = get(client, "/bestaat-niet", status=404)
        assert "Deze pagina bestaat niet" in page.text
        assert (
            client.get("/api/v1/bestaat-niet")
            .headers["content-type"]
            .startswith("application/problem+json")
        )


# -- URLs ---------------------------------------------------------------------------------


def test_parse_listing_keeps_a_clean_query() -> None:
    listing = parse_listing(
        [
            ("q", " buurt "),
            ("doelgroep", "ouderen"),
            ("doelgroep", "ouderen"),
            ("q", "tweede"),
            ("utm", "x"),
            ("page", "2"),
            ("kenmerk", ""),
            ("sort", "naam"),
        ]
    )
    assert listing.query.pairs == (
        ("q", "buurt"),
        ("doelgroep", "ouderen"),
        ("page", "2"),
        ("sort", "naam"),
    )
    assert listing.vraag.q == "buurt"
    assert listing.vraag.page == 2
    assert dict(listing.vraag.filters) == {"doelgroep": ["ouderen"]}
    assert not listing.meldingen


def test_query_toggle_resets_the_page() -> None:
    query, urls = Query((("q", "a b"), ("doelgroep", "ouderen"), ("page", "3"))), Urls()
    assert urls.listing(query.toggle("doelgroep", "ouderen")) == "/?q=a+b"
    assert urls.listing(query.toggle("vorm", "training")) == (
        "/?q=a+b&doelgroep=ouderen&vorm=training"
    )
    assert urls.listing(query.with_value("sort", "naam")) == "/?q=a+b&doelgroep=ouderen&sort=naam"
    assert urls.listing(Query()) == "/"
    assert compare_url(["a", "b"], verschillen="1") == "/vergelijk?slug=a&slug=b&verschillen=1"


def test_every_link_comes_from_one_builder() -> None:
    urls = Urls("http://wijk.example/", URL("http://wijk.example/api/v1/approaches?q=x&page=2"))
    assert urls.aanpak("buurtcirkel") == "/aanpak/buurtcirkel"
    assert urls.api_aanpak("buurtcirkel") == "/api/v1/approaches/buurtcirkel"
    assert urls.absolute(urls.aanpak("a")) == "http://wijk.example/aanpak/a"
    assert urls.filtered("doelgroep", "ouderen") == "/?doelgroep=ouderen"
    assert urls.erkenning("goed-beschreven") == "/erkenning#goed-beschreven"
    assert urls.api_csv(Query((("q", "x"), ("page", "2")))) == "/api/v1/approaches.csv?q=x"
    assert urls.here_on_page(3) == "http://wijk.example/api/v1/approaches?q=x&page=3"
    assert urls.instance() == "/api/v1/approaches?q=x&page=2"


def test_empty_form_fields_redirect_to_the_clean_url(real: TestClient) -> None:
    response = real.get("/?q=buurt&leeftijd=&doelgroep=ouderen", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?q=buurt&doelgroep=ouderen"


def test_page_links_elide_the_middle_of_long_listings() -> None:
    resultaat = Resultaat.model_construct(page=6, pages=12)
    links = page_links(resultaat, Query((("q", "x"),)), Urls())
    assert [link.label for link in links] == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert links[0].url == "/?q=x#resultaten"
    assert [link.url for link in links if link.current] == ["/?q=x&page=6#resultaten"]
