"""The security headers and hostile content, as Chromium sees them on a real server.

The server is a ``uvicorn --no-server-header`` subprocess with the app's own headers (not
the suite's strict-CSP test middleware): the pages and Swagger UI must run under that
policy without a single violation, no other site may frame them, and markup in the
corpus or the query must never run.
"""

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Dialog

from tests.helpers.browser import WATCH_CSP
from tests.helpers.corpora import HOSTILE, QUERY, hostile_corpus
from tests.helpers.servers import Server, running_server
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus

pytestmark = pytest.mark.browser

JSON_LD = 'script[type="application/ld+json"]'


def serve(tmp_path_factory: pytest.TempPathFactory, hostile: bool) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("vijandig" if hostile else "beleid")
    settings = make_settings(tmp, hostile_corpus(tmp / "corpus.yaml") if hostile else REAL_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind="uvicorn") as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory, hostile=False)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory, hostile=True)


@pytest.mark.parametrize(
    "path", ["/", "/aanpak/buurtcirkel", "/vergelijk?slug=buurtcirkel", "/docs"]
)
def test_pages_and_swagger_run_under_the_policy(
    server: Server, browser: Browser, path: str
) -> None:
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH_CSP)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if "Policy" in m.text else None)
        response = page.goto(server.url + path, wait_until="load")
        assert response is not None
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        if path == "/docs":  # Swagger UI fetched /openapi.json and rendered the operations
            page.wait_for_selector(".opblock-summary-path", timeout=15_000)
            assert page.locator(".opblock").count() >= 5
        else:  # the page's own script ran (it reveals the JavaScript-only controls)
            assert page.evaluate("document.querySelector('script[src]') !== null")
        if path.startswith("/aanpak/"):  # its JSON-LD: inline data, not code, and it parses
            data = page.evaluate(f"JSON.parse(document.querySelector('{JSON_LD}').textContent)")
            assert data["@context"] == "https://schema.org"
            assert data["name"] == "Buurtcirkel"
            assert data["url"] == server.url + path
        assert page.evaluate("window.__violations") == []
        assert errors == []
        # and the watch does see a violation: an inline script, which the policy refuses
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = 1'; document.head.appendChild(s); }"
        )
        page.wait_for_function("window.__violations.length > 0")
        assert page.evaluate("window.__ran === undefined")
    finally:
        context.close()


def test_no_other_site_can_frame_the_pages(server: Server, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(f'<iframe id="f" src="{server.url}/" width="600" height="400"></iframe>')
        page.wait_for_timeout(1500)
        framed = [f for f in page.frames if f != page.main_frame]
        assert framed, "geen iframe"
        assert all("WijkWijzer" not in (f.content() if not f.is_detached() else "") for f in framed)
    finally:
        context.close()


def test_chromium_runs_no_injected_code(hostile_server: Server, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        for path in ("/aanpak/buurtcirkel", f"/?{httpx.QueryParams(q=QUERY[:200])}"):
            page.goto(hostile_server.url + path, wait_until="load")
            page.wait_for_timeout(300)
            code = "script:not([type='application/ld+json'])"
            assert page.evaluate(f'document.querySelectorAll("{code}").length') == 1, path
            if path.startswith("/aanpak/"):  # the hostile text is in the JSON-LD as data
                data = page.evaluate(f"JSON.parse(document.querySelector('{JSON_LD}').textContent)")
                assert data["name"] == HOSTILE["naam"]
            handlers = "[onerror],[onload],[onmouseover],img[src=x]"
            assert page.evaluate(f"document.querySelectorAll('{handlers}').length") == 0
        assert dialogs == []
    finally:
        context.close()
