"""Embedding and structured data as Chromium sees them, on a real server with its own headers.

A partner site on another port (another origin) frames ``/embed`` and a normal page:
the first shows, the second is refused by its policy, and a link in the frame opens
in the partner's window. That the JSON-LD of an approach's page parses and raises no
Content-Security-Policy violation is checked with the other pages in ``test_security.py``.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.helpers.partner import partner_site
from tests.helpers.servers import Server, running_server
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus

pytestmark = pytest.mark.browser

EMBED = "/embed?doelgroep=jongeren"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("insluiten-e2e")
    settings = make_settings(tmp, REAL_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind="uvicorn") as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def partner_page(server: Server) -> str:
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Partner</title>'
        "</head><body><h1>Een partnersite</h1>"
        f'<iframe name="lijst" src="{server.url}{EMBED}" width="480" height="600"'
        ' title="Aanpakken uit WijkWijzer"></iframe>'
        f'<iframe name="pagina" src="{server.url}/?doelgroep=jongeren" width="480"'
        ' height="600" title="Een gewone pagina"></iframe></body></html>'
    )


def test_another_origin_frames_the_embed_and_not_the_other_pages(
    server: Server, page: Page
) -> None:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    with partner_site(partner_page(server)) as partner:
        assert partner.split(":")[-1] != server.url.split(":")[-1]  # another port: origin
        page.goto(partner + "/", wait_until="load")
        embedded = page.frame(name="lijst")
        assert embedded is not None
        embedded.wait_for_selector("a.naam")
        assert embedded.url == server.url + EMBED
        assert "Bron: WijkWijzer" in embedded.inner_text("footer")
        assert embedded.locator("a.naam").count() > 0
        assert page.evaluate("location.origin") == partner
        assert embedded.evaluate("location.origin") == server.url  # framed across origins
        refused = page.frame(name="pagina")
        assert refused is not None
        page.wait_for_timeout(500)
        shown = "" if refused.is_detached() else refused.content()
        assert "WijkWijzer" not in shown
        assert refused.url != server.url + "/?doelgroep=jongeren" or "Aanpakken" not in shown
        assert any("frame-ancestors" in line and "'none'" in line for line in console), console
        assert not any(EMBED in line for line in console), console


def test_a_link_in_the_frame_opens_in_the_partners_window(server: Server, page: Page) -> None:
    with partner_site(partner_page(server)) as partner:
        page.goto(partner + "/", wait_until="load")
        embedded = page.frame(name="lijst")
        assert embedded is not None
        first = embedded.locator("a.naam").first
        href = first.get_attribute("href")
        assert href is not None
        assert href.startswith(server.url + "/aanpak/")
        first.click()
        page.wait_for_url(href)  # the partner's own window went there, not the frame
        assert page.url == href
        assert page.locator("h1").first.inner_text()
