"""The browser side of the tests: Debian's Chromium, kept off the network, and a strict CSP.

Chromium is launched from ``/usr/bin/chromium`` with flags that keep it off the network;
never run ``playwright install``. Every wait is bounded.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import Browser, Page, expect
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

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
# Collects every Content-Security-Policy violation the page reports (run by the browser,
# not by the page, so the policy does not apply to it).
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""
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


def open_page(browser: Browser, width: int, javascript: bool = True, height: int = 900) -> Page:
    """A fresh context (no shared cookies or storage) at `width` × `height` px."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
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


def focused(page: Page, selector: str) -> bool:
    """Does the element that has focus match `selector`?"""
    result: bool = page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )
    return result


def tabs_to(page: Page, selector: str, limit: int = 60) -> int:
    """Press Tab until `selector` has focus; how many presses that took."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return count
    raise AssertionError(f"{selector} is met {limit} keer Tab niet te bereiken")


def arrived(page: Page, pattern: str) -> None:
    """Wait for the navigation to `pattern` and for that page to load."""
    expect(page).to_have_url(re.compile(pattern))
    page.wait_for_load_state("load")


def open_filters(page: Page) -> None:
    """On a phone the filters are a closed panel: open it (on a wide screen they are open)."""
    toggle = page.locator(".filterpaneel > summary")
    if toggle.is_visible():
        toggle.click()
    expect(page.locator(".filters__lijst")).to_be_visible()


def no_problems(page: Page) -> None:
    """No console errors: no 404s, no script errors, no CSP violations."""
    problems: list[str] = page.problems  # type: ignore[attr-defined]
    assert not problems, problems


def pdf_pages(pdf: Path) -> int:
    """The number of pages of a PDF that Chromium printed."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
