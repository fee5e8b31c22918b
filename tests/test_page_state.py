"""The state the pages carry: the way back to the results, ticks for comparison, "toon alle",
the print view, and the results heading where every change of the listing lands."""

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.markup import Html
from wijkwijzer.catalogue.question import MAX_PER_PAGE
from wijkwijzer.web.pages.params import canonical, parse_listing
from wijkwijzer.web.urls import Query, Urls

# Page 2 of 2, sorted by name, five to a page, a filter and a search text.
STATE = "q=buurt&categorie=interventie&sort=naam&per_page=5&page=2"
TICKS = "vergelijk=goldensports&vergelijk=wijktheater"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app on the real corpus of 24 approaches."""
    yield from loaded_client(tmp_path_factory.mktemp("staat"))


def page(client: TestClient, url: str, status: int = 200) -> Html:
    response = client.get(url, follow_redirects=False)
    assert response.status_code == status, response.text[:300]
    return Html(response.text)


def card_links(html: Html) -> list[str]:
    """The links of the result cards (the first link after each card's heading)."""
    hrefs, inside = [], False
    for e in html.elements:
        if e.tag in ("h2", "h3") and "kaart__naam" in e["class"]:
            inside = True
        elif inside and e.tag == "a":
            hrefs.append(e["href"])
            inside = False
    return hrefs


def links_to_the_listing(html: Html) -> list[str]:
    """The links of the results area that change the listing (chips, sort, pages, ...)."""
    start = next(i for i, e in enumerate(html.elements) if e["class"] == "resultaten")
    return [
        e["href"]
        for e in html.elements[start:]
        if e.tag == "a" and e["href"].startswith(("/?", "/#")) and "afdruk=1" not in e["href"]
    ]


# -- the results heading -------------------------------------------------------------------


def test_every_change_of_the_listing_lands_on_the_results_heading(client: TestClient) -> None:
    html = page(client, f"/?{STATE}")
    heading = html.find("h2", id="resultaten")
    assert heading
    assert heading[0]["tabindex"] == "-1"
    assert [f["action"] for f in html.find("form")] == ["/#resultaten"]
    skip = html.find("a", class_="skiplink")
    assert [a["href"] for a in skip] == ["#resultaten", "#inhoud"]  # the results first
    links = links_to_the_listing(html)
    assert len(links) >= 8  # chips, wis, sort, pages
    assert all(href.endswith("#resultaten") for href in links), links


def test_the_sort_order_is_one_tab_stop(client: TestClient) -> None:
    """Between the heading and the first result: the sort menu, a <details> of links."""
    response = client.get("/?q=buurt")
    between = response.text.split('id="resultaten"')[1].split('class="kaart"')[0]
    assert between.count("<summary>") == 1
    assert "Sorteer op: relevantie" in between
    assert between.count("<a ") == between.count("<li><a ")  # every link inside the menu


# -- from a result and back -----------------------------------------------------------------


def test_a_result_carries_the_listing_state_and_offers_the_way_back(client: TestClient) -> None:
    listing = page(client, f"/?{STATE}&{TICKS}")
    links = card_links(listing)
    assert len(links) == 4
    first = links[0]
    path, query = first.split("?")
    assert parse_qsl(query) == parse_qsl(f"{STATE}&{TICKS}")

    detail = page(client, first)
    back = f"/?{STATE}&{TICKS}#resultaten"
    assert detail.find("a", href=back)  # "Terug naar de resultaten" and the crumb
    assert [a["href"] for a in detail.find("a") if a["href"] == back] == [back, back]
    assert "Terug naar de resultaten" in detail.text
    assert "Zoekresultaten voor ‘buurt’, pagina 2" in detail.text
    slug = path.rsplit("/", 1)[1]
    canonical_link = detail.find("link", rel="canonical")[0]["href"]
    assert canonical_link == f"http://testserver/aanpak/{slug}"  # one page, whatever led there
    # the comparison from here adds this approach to the ticks and keeps the listing
    compare = next(a["href"] for a in detail.find("a") if a["href"].startswith("/vergelijk"))
    assert compare == (f"/vergelijk?slug=goldensports&slug=wijktheater&slug={slug}&" + STATE)
    assert "Vergelijk met de gekozen aanpakken" in detail.text
    # the related approaches carry the state too
    related = card_links(detail)
    assert related
    assert all(href.endswith("?" + f"{STATE}&{TICKS}") for href in related), related


def test_a_detail_without_a_listing_has_no_way_back(client: TestClient) -> None:
    for url in ("/aanpak/goldensports", "/aanpak/goldensports?utm_source=x"):
        detail = page(client, url)
        assert "Terug naar de resultaten" not in detail.text
        crumbs = [a["href"] for a in detail.find("a") if a["href"].startswith("/?categorie=")]
        assert crumbs == ["/?categorie=interventie"]
        assert detail.find("a", href="/vergelijk?slug=goldensports")


# -- ticks for comparison ---------------------------------------------------------------------


def test_ticks_survive_every_link_of_the_listing(client: TestClient) -> None:
    html = page(client, f"/?q=eenzame+ouderen&{TICKS}")
    links = links_to_the_listing(html) + card_links(html)
    assert len(links) >= 10
    for href in links:
        ticks = [v for k, v in parse_qsl(urlsplit(href).query) if k == "vergelijk"]
        assert ticks == ["goldensports", "wijktheater"], href
    # ticked in its card if on this page, else under "Ook gekozen"
    on_page = {href.split("?")[0].rsplit("/", 1)[1] for href in card_links(html)}
    boxes = html.find("input", type="checkbox", name="vergelijk")
    ticked = {b["value"] for b in boxes if "checked" in b.attrs}
    assert ticked == {"goldensports", "wijktheater"}
    assert {b["value"] for b in boxes} == on_page | ticked
    assert "Ook gekozen" in html.text
    assert "2 gekozen." in html.text
    # but not the URLs that name the listing itself or its data
    for rel in ("canonical", "alternate"):
        for link in html.find("link", rel=rel):
            assert "vergelijk=" not in link["href"], link.attrs
    for href in html.hrefs():
        if href.startswith("/api/"):
            assert "vergelijk=" not in href, href
    snippet = client.get(f"/?q=eenzame+ouderen&{TICKS}").text.split('id="insluitcode"')[1]
    assert "vergelijk" not in snippet.split("</textarea>")[0]


def test_unknown_surplus_and_odd_ticks_are_dropped(client: TestClient) -> None:
    html = page(client, "/?vergelijk=bestaat-niet&vergelijk=Kwaad%3Cscript%3E&vergelijk=kan-wel")
    links = links_to_the_listing(html)
    assert links
    assert all("vergelijk=kan-wel" in href for href in links)
    assert not any("bestaat-niet" in href or "Kwaad" in href for href in links)
    five = "&".join(
        f"vergelijk={s}"
        for s in ("goldensports", "kan-wel", "buurtcirkel", "wijktheater", "citytrainers")
    )
    html = page(client, f"/?{five}")
    assert "U kunt tot 4 aanpakken tegelijk vergelijken; niet bewaard: citytrainers." in html.text
    assert len([b for b in html.find("input", name="vergelijk") if "checked" in b.attrs]) == 4


def test_the_compare_button_opens_the_comparison_with_the_listing_state(
    client: TestClient,
) -> None:
    asked = f"/?q=buurt&sort=naam&leeftijd=&{TICKS}&naar_vergelijking=2"
    response = client.get(asked, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location == ("/vergelijk?slug=goldensports&slug=wijktheater&q=buurt&sort=naam&page=2")
    compare = page(client, location)
    back = f"/?q=buurt&sort=naam&page=2&{TICKS}#resultaten"
    assert compare.find("a", href=back)
    assert "Terug naar de resultaten" in compare.text
    # removing one keeps the listing; so do the other links and the form that adds one
    assert compare.find("a", href="/vergelijk?slug=wijktheater&q=buurt&sort=naam&page=2")
    assert compare.find("input", type="hidden", name="q", value="buurt")
    assert compare.find("input", type="hidden", name="page", value="2")
    assert compare.find("a", href=f"/aanpak/goldensports?q=buurt&sort=naam&page=2&{TICKS}")
    canonical_link = compare.find("link", rel="canonical")[0]["href"]
    assert canonical_link == "http://testserver/vergelijk?slug=goldensports&slug=wijktheater"


def test_a_comparison_without_a_listing_leads_to_all_approaches_with_its_ticks(
    client: TestClient,
) -> None:
    compare = page(client, "/vergelijk?slug=goldensports&slug=resto-vanharte")
    assert "Naar alle aanpakken" in compare.text
    assert compare.find("a", href="/?vergelijk=goldensports&vergelijk=resto-vanharte#resultaten")
    assert compare.find("a", href="/aanpak/goldensports")  # no listing to carry


def test_urls_keep_the_ticks_out_of_what_names_the_listing() -> None:
    urls = Urls()
    listing = parse_listing(
        [("q", "a"), ("vergelijk", "x"), ("doelgroep", "ouderen"), ("vergelijk", "y")]
    )
    assert listing.query.getall("vergelijk") == ["x", "y"]
    assert listing.vraag.q == "a"
    assert canonical(listing) == Query((("q", "a"), ("doelgroep", "ouderen")))
    query = listing.query
    assert urls.embed(query) == "/embed?q=a&doelgroep=ouderen"
    assert urls.feed(query) == "/feed.atom?q=a&doelgroep=ouderen"
    assert urls.api_csv(query) == "/api/v1/approaches.csv?q=a&doelgroep=ouderen"
    assert urls.api_listing(query) == "/api/v1/approaches?q=a&doelgroep=ouderen"
    assert urls.results(query) == "/?q=a&vergelijk=x&doelgroep=ouderen&vergelijk=y#resultaten"
    assert urls.aanpak("z", query) == "/aanpak/z?q=a&vergelijk=x&doelgroep=ouderen&vergelijk=y"
    assert urls.vergelijk(["x", "y"], query) == "/vergelijk?slug=x&slug=y&q=a&doelgroep=ouderen"
    assert query.plus("vergelijk", ["y"]).pairs == (
        ("q", "a"),
        ("doelgroep", "ouderen"),
        ("vergelijk", "y"),
    )


# -- toon alle ------------------------------------------------------------------------------


def test_toon_alle_when_everything_fits_on_one_page(client: TestClient) -> None:
    html = page(client, f"/?{TICKS}")
    assert "Toon alle 24 aanpakken op één pagina" in html.text
    alle = f"/?{TICKS}&per_page={MAX_PER_PAGE}#resultaten"
    assert html.find("a", href=alle)

    everything = page(client, alle.split("#")[0])
    assert len(everything.classes("kaart")) == 24
    assert not [a for a in everything.find("a") if "page=2" in a["href"]]
    assert "Toon alle" not in everything.text
    assert everything.find("a", href=f"/?{TICKS}#resultaten")  # back to 20 a page
    assert "Toon 20 per pagina" in everything.text

    one_page = page(client, "/?doelgroep=jongeren")
    assert "Toon alle" not in one_page.text  # it already is one page
    assert "Toon 20 per pagina" not in one_page.text


def test_a_page_of_at_most_100_for_pages_and_api_alike(client: TestClient) -> None:
    assert client.get(f"/api/v1/approaches?per_page={MAX_PER_PAGE}").status_code == 200
    too_many = client.get(f"/api/v1/approaches?per_page={MAX_PER_PAGE + 1}")
    assert too_many.status_code == 422
    assert f"hoogstens {MAX_PER_PAGE}" in too_many.json()["detail"]
    html = page(client, f"/?per_page={MAX_PER_PAGE + 1}")
    assert f"Aantal per pagina moet een geheel getal van 1 tot {MAX_PER_PAGE} zijn" in html.text
    assert len(html.classes("kaart")) == 20


# -- printing -------------------------------------------------------------------------------


def test_the_listing_has_a_print_view_without_javascript(client: TestClient) -> None:
    listing = page(client, f"/?q=buurt&{TICKS}")
    printing = f"/?q=buurt&{TICKS}&afdruk=1"
    assert listing.find("a", href=printing)  # a plain link, no script needed

    view = page(client, printing)
    assert len(view.classes("kaart")) == 23  # every result, not one page of 20
    assert not view.find("form")
    assert not view.find("input")
    assert view.find("meta", name="robots", content="noindex")
    assert view.find("link", rel="canonical")[0]["href"] == "http://testserver/?q=buurt"
    assert "Deze lijst: http://testserver/?q=buurt" in view.text
    assert "Ctrl+P" in view.text
    assert view.find("a", href=f"/?q=buurt&{TICKS}#resultaten")
    assert view.find("button", type="button")[0]["hidden"] == ""  # "Nu afdrukken": with JS
    assert "‘buurt’ – 23 aanpakken" in view.text


def test_details_and_comparisons_have_a_print_view(client: TestClient) -> None:
    detail = page(client, "/aanpak/goldensports?q=buurt")
    button = detail.find("button", type="button")[0]
    assert "data-print" in button.attrs
    assert "hidden" in button.attrs  # shown by the script
    link = [a for a in detail.find("a") if a["href"] == "/aanpak/goldensports?q=buurt&afdruk=1"]
    assert link
    assert "data-no-js" in link[0].attrs  # hidden by the script
    view = page(client, "/aanpak/goldensports?q=buurt&afdruk=1")
    assert "Ctrl+P" in view.text
    assert not view.find("nav", class_="kruimel")
    assert not view.classes("verwant")
    assert view.find("a", href="/aanpak/goldensports?q=buurt")  # back to the usual page
    assert view.find("meta", name="robots", content="noindex")

    slugs = "slug=goldensports&slug=resto-vanharte"
    compare = page(client, f"/vergelijk?{slugs}&verschillen=1")
    assert compare.find("a", href=f"/vergelijk?{slugs}&verschillen=1&afdruk=1")
    view = page(client, f"/vergelijk?{slugs}&verschillen=1&afdruk=1")
    assert view.find("table")
    assert not view.classes("verwijderrij")
    assert not view.find("form")
    assert "Ctrl+P" in view.text
    assert view.find("a", href=f"/vergelijk?{slugs}&verschillen=1")


def test_without_a_print_view_the_pages_have_no_robots_line(client: TestClient) -> None:
    for url in ("/", "/aanpak/goldensports?q=buurt", "/vergelijk?slug=goldensports"):
        assert not page(client, url).find("meta", name="robots")
