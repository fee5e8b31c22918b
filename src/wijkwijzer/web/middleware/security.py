"""HTTP hardening as pure ASGI middleware: security headers, and a guard against odd requests.

``SecurityHeaders`` puts a strict Content-Security-Policy (no ``unsafe-inline``
anywhere), ``nosniff``, a Referrer-Policy and ``frame-ancestors 'none'`` on every
response, and HSTS when the request came in over TLS (``scope["scheme"]`` is
``https``: directly, or behind a proxy that sets ``X-Forwarded-Proto`` and that
uvicorn trusts, see docs/deploy.md). ``/docs`` (Swagger UI) gets its own policy:
it also needs ``data:`` images and to fetch ``/openapi.json``. The frames for other
sites (``/embed``, ``/embed/…``) are the one thing any site may frame: their policy
says ``frame-ancestors *`` and they carry no ``X-Frame-Options``; every other
answer keeps ``DENY`` and ``frame-ancestors 'none'``.

``RequestGuard`` answers requests no page or API route needs before any routing:
a query string over ``MAX_QUERY_BYTES`` (414), more than ``MAX_PARAMETERS``
parameters (400), a path that does not decode to text (400), more than
``MAX_HEADERS`` headers or ``MAX_HEADER_BYTES`` of them (431; uvicorn's httptools
parser sets no limit of its own, so the proxy in front should bound them too).
Both only look at the scope, so they cost next to nothing per request.
"""

import json
import os
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkwijzer.web.errors import PROBLEM_JSON, TITLES, plain_page
from wijkwijzer.web.urls import API_PREFIX, DOCS, EMBED

MAX_QUERY_BYTES = 8 * 1024
MAX_PARAMETERS = 200
MAX_HEADERS = 100
MAX_HEADER_BYTES = 32 * 1024  # what nginx lets through by default (4 x 8k)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI: its CSS has data: icons and it fetches /openapi.json; still no inline code.
DOCS_CSP = CSP.replace("img-src 'self'", "img-src 'self' data:") + "; connect-src 'self'"
DOCS_PREFIX = DOCS
# The frames for other sites: any site may frame them (still no inline code, no plugins).
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
FRAME_DENY = (b"x-frame-options", b"DENY")
HSTS = b"max-age=31536000"
WORKER_HEADER = b"x-wijkwijzer-worker"

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Add the security headers to every HTTP response (and the worker's pid when asked)."""

    def __init__(self, app: ASGIApp, worker_header: bool = False) -> None:
        self.app = app
        extra = [(WORKER_HEADER, str(os.getpid()).encode())] if worker_header else []
        self.pages = [(b"content-security-policy", CSP.encode()), *_COMMON, *extra]
        self.docs = [(b"content-security-policy", DOCS_CSP.encode()), *_COMMON, *extra]
        self.embed = [
            (b"content-security-policy", EMBED_CSP.encode()),
            *(h for h in _COMMON if h != FRAME_DENY),
            *extra,
        ]
        self.names = frozenset(name for name, _ in self.pages) | {b"strict-transport-security"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == DOCS_PREFIX or path.startswith(DOCS_PREFIX + "/"):
            headers = self.docs
        elif path == EMBED or path.startswith(EMBED + "/"):
            headers = self.embed
        else:
            headers = self.pages
        if scope.get("scheme") == "https":
            headers = [*headers, (b"strict-transport-security", HSTS)]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0].lower() not in self.names),
                    *headers,
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestGuard:
    """Refuse oversized or malformed requests with a short 4xx before routing."""

    def __init__(
        self,
        app: ASGIApp,
        max_query_bytes: int = MAX_QUERY_BYTES,
        max_parameters: int = MAX_PARAMETERS,
    ) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes
        self.max_parameters = max_parameters

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = scope["headers"]
        if len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > (
            MAX_HEADER_BYTES
        ):
            return 431, f"te veel of te grote kopregels; het maximum is {MAX_HEADER_BYTES} bytes"
        query: bytes = scope.get("query_string", b"")
        if len(query) > self.max_query_bytes:
            return 414, (
                f"de zoekparameters zijn {len(query)} bytes; het maximum is {self.max_query_bytes}"
            )
        if query.count(b"&") + 1 > self.max_parameters:
            return 400, f"te veel parameters; het maximum is {self.max_parameters}"
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
        if b"%" in raw_path or not raw_path.isascii():
            try:
                unquote_to_bytes(raw_path).decode("utf-8")
            except UnicodeDecodeError:
                return 400, "het pad van de URL is geen geldige UTF-8"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = self.refusal(scope) if scope["type"] == "http" else None
        if refused is None:
            await self.app(scope, receive, send)
            return
        await refuse(scope, send, *refused)


async def refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    """Answer a request refused before routing: `status` with a short Dutch `detail`."""
    body, media_type = _refusal_body(scope, status, detail)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _refusal_body(scope: Scope, status: int, detail: str) -> tuple[bytes, bytes]:
    """problem+json under the API (the path only: the refused query is not echoed); else HTML."""
    title = TITLES.get(status, "Kopregels te groot")
    path = scope.get("raw_path", b"").decode("ascii", "replace")[:200]
    if path.startswith(API_PREFIX):
        problem = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": path,
        }
        return json.dumps(problem, ensure_ascii=False).encode(), PROBLEM_JSON.encode()
    return plain_page(title, f"{detail}.").encode(), b"text/html; charset=utf-8"
