"""From "ik zoek iets voor eenzame ouderen" to a printed comparison, in a real Chromium.

By mouse at phone and desktop width, by keyboard only, and without JavaScript.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import (
    LiveServer,
    arrived,
    focused,
    no_problems,
    open_filters,
    open_page,
    pdf_pages,
)

pytestmark = pytest.mark.browser

SEARCH = "eenzame ouderen"
FIRST, SECOND = "goldensports", "resto-vanharte"
CHOOSE = "Kies een aanpak om mee te vergelijken"


def fits(page: Page, width: int) -> None:
    """Nothing sticks out sideways (the comparison table scrolls inside its own box)."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: {scroll_width}px breed op {width}px"


def tab_to(page: Page, selector: str, limit: int = 250, key: str = "Tab") -> None:
    """Press Tab (or `key`) until `selector` has focus (and show that focus is visible there)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector):
            style = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.boxShadow, s.backgroundColor]; }"
            )
            assert style[0] != "none" or style[1] != "none", f"{selector}: geen zichtbare focus"
            return
    raise AssertionError(f"{selector} is met Tab niet te bereiken")


def check_results(page: Page, count: int) -> None:
    """The results heading says `count` and has focus (where a search or a filter lands)."""
    expect(page.locator("#resultaten")).to_contain_text(f"{count} aanpakken")
    expect(page.locator("#resultaten")).to_be_focused()


def check_comparison(page: Page, width: int) -> None:
    # the comparison carries the state of the listing it was opened from, if any
    arrived(page, rf"/vergelijk\?slug={FIRST}&slug={SECOND}(&|$)")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(3)
    expect(table.get_by_role("rowheader", name=re.compile("^Erkenningsniveau"))).to_be_visible()
    expect(table).to_contain_text("verlopen sinds")
    fits(page, width)


def print_comparison(page: Page, tmp_path: Path) -> None:
    """The comparison prints cleanly: no menu or buttons, links written out."""
    page.emulate_media(media="print")
    expect(page.locator(".hoofdmenu")).to_be_hidden()
    expect(page.locator(".toevoegen")).to_be_hidden()
    expect(page.get_by_role("table")).to_be_visible()
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector('td .extern'), '::after').content"
    )
    assert "https://" in after
    expect(page.locator(".printregel")).to_be_visible()
    # the comparison's own address, without the listing it was opened from
    own = page.url.split("/vergelijk")[0] + f"/vergelijk?slug={FIRST}&slug={SECOND}"
    expect(page.locator(".printregel")).to_have_text(f"Deze vergelijking: {own}")
    expect(page.locator(".peilregel")).to_contain_text("bepaald op")
    pdf = tmp_path / "vergelijking.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    # The table starts on the first page: without the page's header, the print has as many
    # pages (a header alone on page 1 would make one more).
    page.evaluate("document.querySelector('.kop').style.display = 'none'")
    page.pdf(path=str(pdf.with_suffix(".zonder-kop.pdf")), prefer_css_page_size=True)
    assert pdf_pages(pdf) == pdf_pages(pdf.with_suffix(".zonder-kop.pdf"))
    page.evaluate("document.querySelector('.kop').style.display = ''")
    page.emulate_media(media="screen")


def test_journey_by_mouse(page: Page, live_server: LiveServer, width: int, tmp_path: Path) -> None:
    page.goto(live_server.url + "/")
    expect(page.locator("#resultaten")).to_contain_text("24 aanpakken")
    fits(page, width)
    page.get_by_label("Zoek een aanpak").fill(SEARCH)
    page.get_by_role("button", name="Zoeken").click()
    arrived(page, r"q=eenzame\+ouderen")
    check_results(page, 5)
    expect(page.locator("mark").first).to_be_visible()

    # two facets; the script submits the form as soon as a box is ticked
    open_filters(page)
    page.get_by_label("Sociaal geïsoleerde mensen").check()
    arrived(page, r"doelgroep=sociaal-geisoleerden")
    check_results(page, 2)
    open_filters(page)
    page.locator("summary", has_text="Categorie").click()  # open the facet
    page.get_by_label(re.compile(r"^Interventie \d")).check()
    arrived(page, r"categorie=interventie")
    check_results(page, 2)
    expect(page.locator(".chip")).to_have_count(3)
    fits(page, width)

    page.get_by_role("link", name="GoldenSports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GoldenSports")
    fits(page, width)
    page.get_by_role("link", name="Vergelijk met een andere aanpak").click()
    expect(page.get_by_role("heading", name=CHOOSE)).to_be_visible()
    page.get_by_role("link", name="Vergelijk met Resto VanHarte").click()
    check_comparison(page, width)
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()  # shown by the script
    print_comparison(page, tmp_path)
    no_problems(page)


def test_journey_by_keyboard(page: Page, live_server: LiveServer, width: int) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # first the way to the results, then to the content
    assert focused(page, '.skiplink[href="#resultaten"]')
    expect(page.locator('.skiplink[href="#resultaten"]')).to_be_in_viewport()
    page.keyboard.press("Tab")
    assert focused(page, '.skiplink[href="#inhoud"]')
    expect(page.locator('.skiplink[href="#inhoud"]')).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert focused(page, "#inhoud")

    tab_to(page, "#q")
    page.keyboard.type(SEARCH)
    page.keyboard.press("Enter")
    arrived(page, r"q=eenzame\+ouderen")
    check_results(page, 5)

    phone = page.locator(".filterpaneel > summary").is_visible()
    if phone:  # back from the results to the closed filter panel, and open it
        tab_to(page, ".filterpaneel > summary", key="Shift+Tab")
        page.keyboard.press("Enter")
    tab_to(page, "#f-doelgroep-sociaal-geisoleerden", key="Shift+Tab" if phone else "Tab")
    page.keyboard.press("Space")
    arrived(page, r"doelgroep=sociaal-geisoleerden")
    check_results(page, 2)  # the script sent the form: focus on the new count
    if phone:
        tab_to(page, ".filterpaneel > summary", key="Shift+Tab")
        page.keyboard.press("Enter")
        tab_to(page, "details:has(#f-categorie-interventie) > summary")
    else:
        tab_to(page, "details:has(#f-categorie-interventie) > summary", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page, "#f-categorie-interventie")
    page.keyboard.press("Space")
    arrived(page, r"categorie=interventie")
    check_results(page, 2)

    tab_to(page, f'a[href^="/aanpak/{FIRST}?q="]')  # the result carries the search
    page.keyboard.press("Enter")
    arrived(page, rf"/aanpak/{FIRST}\?q=")
    expect(page.get_by_role("heading", level=1)).to_have_text("GoldenSports")
    tab_to(page, f'a[href^="/vergelijk?slug={FIRST}&q="]')
    page.keyboard.press("Enter")
    arrived(page, rf"/vergelijk\?slug={FIRST}&q=")
    tab_to(page, f'a[href^="/vergelijk?slug={FIRST}&slug={SECOND}&"]')
    page.keyboard.press("Enter")
    check_comparison(page, width)

    tab_to(page, ".tabelschuif")  # the scrolling table can be scrolled by keyboard
    if width < 600:
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(page.locator(".tabelschuif")).not_to_have_js_property("scrollLeft", 0)
    tab_to(page, "button[data-print]")
    no_problems(page)


def test_journey_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    page = open_page(browser, 375, javascript=False)
    try:
        page.goto(f"{live_server.url}/?q=eenzame+ouderen")
        expect(page.locator("[data-js-only]")).to_have_count(2)
        for element in page.locator("[data-js-only]").all():
            expect(element).to_be_hidden()
        open_filters(page)
        page.get_by_label("Sociaal geïsoleerde mensen").check()
        page.locator("summary", has_text="Categorie").click()
        page.get_by_label(re.compile(r"^Interventie \d")).check()
        assert "doelgroep" not in page.url  # nothing happens until the form is sent
        page.get_by_role("button", name="Filters toepassen").click()
        arrived(page, r"doelgroep=sociaal-geisoleerden&categorie=interventie")
        check_results(page, 2)
        page.get_by_label("Vergelijk GoldenSports").check()
        page.get_by_label("Vergelijk Resto VanHarte").check()
        page.get_by_role("button", name="Vergelijk de gekozen aanpakken").click()
        check_comparison(page, 375)
        expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
        expect(page.get_by_role("link", name="Afdrukken")).to_be_visible()  # the print view
        page.get_by_role("link", name="Verwijder Resto VanHarte uit de vergelijking").click()
        expect(page.get_by_role("heading", name=CHOOSE)).to_be_visible()
        no_problems(page)
    finally:
        page.context.close()


PAGES = [
    "/",
    "/?q=eenzame+ouderen&doelgroep=ouderen",
    "/?q=xyzzyqq&doelgroep=ouderen",
    "/aanpak/futsal-chabbab",
    "/aanpak/bestaat-niet",
    f"/vergelijk?slug={FIRST}&slug={SECOND}&slug=buurtcirkel&slug=thuis-op-straat",
    f"/vergelijk?slug={FIRST}",
    "/erkenning",
    "/over",
]


@pytest.mark.parametrize("zoom_width", [320, 640])
def test_every_page_reflows_at_320px_and_200_percent(
    browser: Browser, live_server: LiveServer, zoom_width: int
) -> None:
    """320 CSS px (a small phone) and 640 (1280 px at 200 % zoom): no sideways scrolling."""
    page = open_page(browser, zoom_width)
    try:
        for url in PAGES:
            page.goto(live_server.url + url)
            fits(page, zoom_width)
            if "bestaat-niet" in url:  # the 404 of the page itself is logged
                page.problems.clear()  # type: ignore[attr-defined]
            no_problems(page)
    finally:
        page.context.close()
