"""Browser tests: a real uvicorn on loopback serving the real corpus, and Debian's Chromium.

Chromium is launched from ``/usr/bin/chromium`` with flags that keep it off the network;
never run ``playwright install``. Every wait is bounded.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from tests.conftest import REAL_CORPUS, make_settings
from tests.pgserver import free_port
from tests.servers import wait_until_up
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app
from wijkwijzer.web.pages.routes import STATIC_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# What the pages must survive: no inline script or style, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
TIMEOUT_MS = 10_000
WIDTHS = {"telefoon": 375, "desktop": 1280}


class StrictCsp(BaseHTTPMiddleware):
    """Serve every HTML page with a strict Content-Security-Policy."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Content-Security-Policy"] = CSP
        return response


def serve_static(app: FastAPI) -> None:
    """Mount /static unless app.py already does (until it does, see the pages report)."""
    if not any(getattr(route, "name", None) == "static" for route in app.routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


@dataclass(frozen=True)
class LiveServer:
    url: str


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
        pytest.skip(f"{CHROMIUM} ontbreekt (apt-get install chromium)")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000
    )
    yield browser
    browser.close()


def open_page(browser: Browser, width: int, javascript: bool = True) -> Page:
    """A fresh context (no shared cookies or storage) at `width` px."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
        locale="nl-NL",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems  # type: ignore[attr-defined]
    return page


@pytest.fixture(params=list(WIDTHS.values()), ids=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> int:
    value: int = request.param
    return value


@pytest.fixture
def page(browser: Browser, width: int) -> Iterator[Page]:
    page = open_page(browser, width)
    yield page
    page.context.close()
