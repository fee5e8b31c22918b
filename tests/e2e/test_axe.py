"""axe-core on every page type, at phone and desktop width: zero violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.helpers.browser import LiveServer

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "zoeken": "/?q=eenzame+ouderen&doelgroep=sociaal-geisoleerden",
    "alles": "/",
    "alles-op-een-pagina": "/?per_page=100",
    "pagina-2": "/?sort=naam&page=2",
    "gekozen-om-te-vergelijken": "/?q=eenzame+ouderen&vergelijk=goldensports&vergelijk=wijktheater",
    "leeg": "/?q=xyzzyqq&doelgroep=ouderen",
    "detail": "/aanpak/futsal-chabbab",
    "detail-uit-de-resultaten": "/aanpak/futsal-chabbab?q=buurt&sort=naam&page=2&vergelijk=kan-wel",
    "404": "/aanpak/buurtcirkl",
    "vergelijk": "/vergelijk?slug=goldensports&slug=resto-vanharte&slug=buurtcirkel",
    "vergelijk-een": "/vergelijk?slug=goldensports",
    "vergelijk-uit-de-resultaten": "/vergelijk?slug=goldensports&slug=resto-vanharte&q=ouderen",
    "vergelijk-niets": "/vergelijk",
    "erkenning": "/erkenning",
    "over": "/over",
    "afdruk-resultaten": "/?q=buurt&afdruk=1",
    "afdruk-aanpak": "/aanpak/futsal-chabbab?q=buurt&afdruk=1",
    "afdruk-vergelijking": "/vergelijk?slug=goldensports&slug=resto-vanharte&afdruk=1",
    "fout": "/?q=" + "a" * 300,
    "insluiten": "/embed?doelgroep=jongeren&leeftijd=14",
    "insluiten-aanpak": "/embed/aanpak/buurtcirkel",
    "insluiten-onbekend": "/embed/aanpak/bestaat-niet",
}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def test_no_accessibility_violations(page: Page, live_server: LiveServer, axe: Axe) -> None:
    reports = []
    for name, url in PAGE_TYPES.items():
        page.goto(live_server.url + url)
        results = axe.run(page)
        if results.violations_count:
            reports.append(f"--- {name} ({url})\n{results.generate_report()}")
    assert not reports, "\n".join(reports)


def test_the_open_embed_box_has_no_violations(
    page: Page, live_server: LiveServer, axe: Axe
) -> None:
    """The "Insluiten op uw site" box, opened, with its snippet to copy."""
    page.goto(live_server.url + "/?doelgroep=jongeren")
    page.get_by_text("Insluiten op uw site").click()
    snippet = page.get_by_label("HTML-code om in te sluiten")
    assert snippet.is_visible()
    assert snippet.input_value().startswith("<iframe src=")
    results = axe.run(page)
    assert not results.violations_count, results.generate_report()


def test_the_open_filter_panel_and_sort_menu_have_no_violations(
    page: Page, live_server: LiveServer, axe: Axe
) -> None:
    """On a phone the filters are a closed panel; opened, with the sort menu open too."""
    page.goto(live_server.url + "/?q=buurt&doelgroep=ouderen")
    toggle = page.locator(".filterpaneel > summary")
    if toggle.is_visible():
        toggle.click()
    page.get_by_text("Sorteer op:").click()
    expect(page.get_by_role("link", name="naam (A–Z)")).to_be_visible()
    expect(page.locator(".filters__lijst")).to_be_visible()
    results = axe.run(page)
    assert not results.violations_count, results.generate_report()


@pytest.mark.parametrize(
    "url", ["/?q=eenzame+ouderen&vergelijk=wijktheater", "/aanpak/buurtcirkel"]
)
def test_without_the_script_no_violations(
    page: Page, live_server: LiveServer, axe: Axe, url: str
) -> None:
    """The page as it is without our script: its fallbacks show ("Keuze bewaren", the
    "Afdrukken" link). (axe itself needs JavaScript, so the script is left out instead.)"""
    page.route("**/static/wijkwijzer.js", lambda route: route.fulfill(body="", status=200))
    page.goto(live_server.url + url)
    expect(page.locator("[data-no-js]").first).to_be_visible()
    results = axe.run(page)
    assert not results.violations_count, results.generate_report()


def test_axe_does_catch_a_violation(page: Page, live_server: LiveServer, axe: Axe) -> None:
    """The check above can fail: an image without alt text is reported."""
    page.goto(live_server.url + "/over")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/favicon.svg\">')"
    )
    assert "image-alt" in axe.run(page).generate_snapshot()
