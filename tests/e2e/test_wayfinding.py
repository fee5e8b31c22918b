"""Keeping one's place among the results, as a wijkwerker does it, with and without JavaScript.

A few Tab presses from a search, a filter or a page to the first result; on a phone the
results before the filters; from a result and from a comparison the way back to exactly
those results; ticks for comparison that survive paging and filtering; printing without
a script. At phone (375 px) and desktop (1280 px) width.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import (
    LiveServer,
    arrived,
    no_problems,
    open_filters,
    open_page,
    pdf_pages,
    tabs_to,
)

pytestmark = pytest.mark.browser

FIRST_RESULT = ".kaart__naam a"
MAX_TABS = 3
PHONE = {"width": 375, "height": 667}
# Page 2 of 2, sorted by name, five to a page, one filter: a state with every part set.
STATE = "/?q=buurt&categorie=interventie&sort=naam&per_page=5&page=2"
OUDEREN = re.compile(r"^Ouderen \d")


@pytest.fixture(params=[True, False], ids=["js", "zonder-js"])
def javascript(request: pytest.FixtureRequest) -> bool:
    value: bool = request.param
    return value


@pytest.fixture
def tab(browser: Browser, width: int, javascript: bool) -> Iterator[Page]:
    """A page at phone or desktop width, with or without JavaScript."""
    page = open_page(browser, width, javascript=javascript)
    yield page
    page.context.close()


def heading_has_focus(page: Page) -> None:
    """Where a search, a filter or a page lands: the results heading, in view, with focus."""
    heading = page.locator("#resultaten")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()


def send_filters(page: Page, javascript: bool) -> None:
    """With JavaScript a ticked filter sends itself; without, the button does."""
    if not javascript:
        page.get_by_role("button", name="Filters toepassen").click()


def first_result_top(page: Page) -> float:
    """How far down the page the first result starts (CSS px from the top of the page)."""
    top: float = page.evaluate(
        "document.querySelector('.kaart').getBoundingClientRect().top + window.scrollY"
    )
    return top


def test_the_first_result_is_a_few_tab_presses_away(
    tab: Page, live_server: LiveServer, javascript: bool
) -> None:
    # a page opened from a link: the first Tab offers the way to the results
    tab.goto(f"{live_server.url}/?q=buurt")
    assert tabs_to(tab, '.skiplink[href="#resultaten"]') == 1
    expect(tab.locator('.skiplink[href="#resultaten"]')).to_be_in_viewport()
    tab.keyboard.press("Enter")
    heading_has_focus(tab)
    assert 1 + tabs_to(tab, FIRST_RESULT) <= MAX_TABS

    # a search
    tab.locator("#q").fill("eenzame ouderen")
    tab.locator("#q").press("Enter")
    arrived(tab, r"\?q=eenzame\+ouderen#resultaten$")
    heading_has_focus(tab)
    assert tabs_to(tab, FIRST_RESULT) <= MAX_TABS

    # another page of results
    tab.goto(f"{live_server.url}/?q=buurt")
    tab.get_by_role("link", name="Pagina 2", exact=True).click()
    arrived(tab, r"\?q=buurt&page=2#resultaten$")
    heading_has_focus(tab)
    assert tabs_to(tab, FIRST_RESULT) <= MAX_TABS

    # a filter
    open_filters(tab)
    tab.get_by_label(OUDEREN).check()
    send_filters(tab, javascript)
    arrived(tab, r"doelgroep=ouderen")
    heading_has_focus(tab)
    expect(tab.locator("#resultaten")).to_contain_text("aanpak")
    assert tabs_to(tab, FIRST_RESULT) <= MAX_TABS
    no_problems(tab)


def test_the_tab_count_can_fail(tab: Page, live_server: LiveServer) -> None:
    """The count above is real: from the top of the page, past the skip link, it is more."""
    tab.goto(f"{live_server.url}/?q=buurt")
    tab.locator("#q").focus()
    assert tabs_to(tab, FIRST_RESULT) > MAX_TABS


def test_on_a_phone_the_results_come_before_the_filters(
    browser: Browser, live_server: LiveServer, javascript: bool
) -> None:
    page = open_page(browser, PHONE["width"], javascript=javascript, height=PHONE["height"])
    try:
        page.goto(f"{live_server.url}/?q=ouderen")
        assert first_result_top(page) <= 1.5 * PHONE["height"]
        expect(page.get_by_label(OUDEREN)).to_be_hidden()  # in the closed panel
        expect(page.locator(".filterpaneel > summary")).to_have_text("Filters")

        # the chosen filters stand as chips above the results; the panel counts them
        page.goto(f"{live_server.url}/?q=ouderen&doelgroep=ouderen&categorie=interventie")
        assert first_result_top(page) <= 1.5 * PHONE["height"]
        chips = page.locator(".chip")
        expect(chips).to_have_count(3)
        chip_bottom = chips.last.bounding_box()
        assert chip_bottom is not None
        assert chip_bottom["y"] < first_result_top(page)
        expect(page.locator(".filterpaneel > summary")).to_have_text("Filters (2 gekozen)")

        # a ticked filter lands on the results, not at the top of the page
        open_filters(page)
        page.get_by_label(re.compile(r"^Kwetsbare bewoners \d")).check()
        send_filters(page, javascript)
        arrived(page, r"doelgroep=kwetsbare-bewoners")
        heading_has_focus(page)
        expect(page.locator(".kaart").first).to_be_in_viewport()
        expect(page.get_by_label(OUDEREN)).to_be_hidden()  # the panel is closed again
        no_problems(page)
    finally:
        page.context.close()


def test_on_a_wide_screen_the_filters_stand_open(
    browser: Browser, live_server: LiveServer, javascript: bool
) -> None:
    page = open_page(browser, 1280, javascript=javascript)
    try:
        page.goto(f"{live_server.url}/?q=ouderen")
        expect(page.get_by_label(OUDEREN)).to_be_visible()
        expect(page.locator(".filterpaneel > summary")).to_be_hidden()
        expect(page.get_by_role("heading", name="Filters", exact=True)).to_be_visible()
        filters, results = page.locator(".filters").bounding_box(), page.locator("#resultaten")
        heading = results.bounding_box()
        assert filters is not None
        assert heading is not None
        assert filters["x"] + filters["width"] <= heading["x"]  # side by side
    finally:
        page.context.close()


def test_the_way_back_from_a_result(tab: Page, live_server: LiveServer) -> None:
    tab.goto(live_server.url + STATE)
    expect(tab.locator("#resultaten")).to_contain_text("(pagina 2 van 2)")
    first = tab.locator(FIRST_RESULT).first
    name = first.inner_text()
    first.click()
    arrived(tab, r"/aanpak/[a-z0-9-]+\?q=buurt&categorie=interventie&sort=naam&per_page=5&page=2$")
    expect(tab.get_by_role("heading", level=1)).to_have_text(name)
    crumbs = tab.get_by_role("navigation", name="Kruimelpad")
    expect(crumbs).to_contain_text("Zoekresultaten voor ‘buurt’, pagina 2")
    expect(crumbs.get_by_role("link", name="Zoekresultaten")).to_have_attribute(
        "href", STATE + "#resultaten"
    )

    tab.get_by_role("link", name="Terug naar de resultaten").click()
    expect(tab).to_have_url(live_server.url + STATE + "#resultaten")
    heading_has_focus(tab)
    expect(tab.locator(FIRST_RESULT).first).to_have_text(name)
    no_problems(tab)


def tick(page: Page, label: str, javascript: bool) -> None:
    """Tick an approach for comparison; without JavaScript, keep the choice with its button."""
    page.get_by_label(label, exact=True).check()
    if javascript:  # the script puts it in the URL at once
        expect(page).to_have_url(re.compile(r"vergelijk=" + label.split()[-1].lower()))
    else:
        page.get_by_role("button", name="Keuze bewaren").click()
        page.wait_for_load_state("load")


def test_ticks_for_comparison_survive_paging_and_filtering(
    tab: Page, live_server: LiveServer, javascript: bool
) -> None:
    tab.goto(f"{live_server.url}/?sort=naam")
    tick(tab, "Vergelijk GoldenSports", javascript)
    expect(tab).to_have_url(re.compile(r"vergelijk=goldensports"))

    tab.get_by_role("link", name="Pagina 2", exact=True).click()
    arrived(tab, r"page=2")
    expect(tab).to_have_url(re.compile(r"vergelijk=goldensports"))
    expect(tab.get_by_label("GoldenSports", exact=True)).to_be_checked()  # "Ook gekozen"
    tick(tab, "Vergelijk Wijktheater", javascript)
    expect(tab).to_have_url(re.compile(r"page=2"))  # kept on the same page

    open_filters(tab)
    tab.get_by_label(re.compile(r"^Jongeren \d")).check()
    send_filters(tab, javascript)
    arrived(tab, r"doelgroep=jongeren")
    for slug in ("goldensports", "wijktheater"):
        expect(tab).to_have_url(re.compile(f"vergelijk={slug}"))
        expect(tab.locator(f'input[name="vergelijk"][value="{slug}"]')).to_be_checked()

    tab.get_by_role("button", name="Vergelijk de gekozen aanpakken").click()
    arrived(tab, r"/vergelijk\?slug=[a-z-]+&slug=[a-z-]+&.*doelgroep=jongeren")
    for slug in ("goldensports", "wijktheater"):
        expect(tab).to_have_url(re.compile(f"slug={slug}"))
    expect(tab.get_by_role("table").get_by_role("columnheader")).to_have_count(3)

    # back to the results, the ticks still there
    tab.get_by_role("link", name="Terug naar de resultaten").click()
    arrived(tab, r"doelgroep=jongeren.*#resultaten$")
    heading_has_focus(tab)
    for slug in ("goldensports", "wijktheater"):
        expect(tab.locator(f'input[name="vergelijk"][value="{slug}"]')).to_be_checked()
    no_problems(tab)


def test_printing_works_without_javascript(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    page = open_page(browser, 1280, javascript=False)
    try:
        # the results: all of them on one print view, in as few pages as they need
        page.goto(f"{live_server.url}/?q=buurt")
        expect(page.locator(".kaart")).to_have_count(20)
        page.get_by_role("link", name=re.compile("^Afdrukken")).click()
        arrived(page, r"/\?q=buurt&afdruk=1$")
        expect(page.locator(".kaart")).to_have_count(23)
        expect(page.locator(".afdrukhulp")).to_contain_text("Ctrl+P")
        expect(page.get_by_role("button", name="Nu afdrukken")).to_be_hidden()
        expect(page.get_by_role("link", name="Terug naar de resultaten")).to_have_attribute(
            "href", "/?q=buurt#resultaten"
        )
        page.emulate_media(media="print")
        expect(page.locator(".afdrukhulp")).to_be_hidden()
        pdf = tmp_path / "resultaten.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        assert pdf_pages(pdf) <= 3, pdf_pages(pdf)  # 23 results, A4
        page.emulate_media(media="screen")

        # an approach
        page.goto(f"{live_server.url}/aanpak/goldensports")
        page.get_by_role("link", name="Afdrukken").click()
        arrived(page, r"/aanpak/goldensports\?afdruk=1$")
        expect(page.locator(".afdrukhulp")).to_contain_text("Ctrl+P")
        expect(page.locator(".kruimel")).to_have_count(0)

        # a comparison of four: landscape, the table on as few pages as it needs
        slugs = ["goldensports", "resto-vanharte", "buurtcirkel", "thuis-op-straat"]
        page.goto(f"{live_server.url}/vergelijk?" + "&".join(f"slug={s}" for s in slugs))
        page.get_by_role("link", name="Afdrukken").click()
        arrived(page, r"&afdruk=1$")
        expect(page.locator(".verwijderrij")).to_have_count(0)
        expect(page.get_by_role("table").get_by_role("columnheader")).to_have_count(5)
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        assert pdf_pages(pdf) <= 3, pdf_pages(pdf)  # four approaches, A4 landscape
        no_problems(page)
    finally:
        page.context.close()
