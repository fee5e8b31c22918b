"""The browser side of the tests: Debian's Chromium, kept off the network, and a strict CSP.

Chromium is launched from ``/usr/bin/chromium`` with flags that keep it off the network;
never run ``playwright install``. Every wait is bounded.
"""

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import Browser, Page
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
