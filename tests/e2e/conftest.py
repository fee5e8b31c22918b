"""Browser tests: a real uvicorn on loopback serving the real corpus, and Debian's Chromium.

Chromium is launched from ``/usr/bin/chromium`` with flags that keep it off the network;
never run ``playwright install``. Every wait is bounded.
"""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.helpers.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    WIDTHS,
    LiveServer,
    StrictCsp,
    open_page,
    serve_static,
)
from tests.helpers.pgserver import free_port
from tests.helpers.servers import wait_until_up
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn in a thread on a free loopback port, with the real corpus loaded."""
    settings = make_settings(tmp_path_factory.mktemp("e2e"), REAL_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    app = create_app(settings)
    serve_static(app)
    app.add_middleware(StrictCsp)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(url, thread.is_alive, 20):
        server.should_exit = True
        pytest.fail("uvicorn kwam niet binnen 20 s op")
    yield LiveServer(url)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt (apt-get install chromium, of scripts/system-deps.sh)")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000
    )
    yield browser
    browser.close()


@pytest.fixture(params=list(WIDTHS.values()), ids=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> int:
    value: int = request.param
    return value


@pytest.fixture
def page(browser: Browser, width: int) -> Iterator[Page]:
    page = open_page(browser, width)
    yield page
    page.context.close()
