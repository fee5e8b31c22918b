"""Proposed speed-ups, wrapped around the unchanged app, to measure what they would gain.

Nothing in src/ changes: ``create_app`` here builds the real app and adds what
``BENCH_EXPERIMENT`` names (comma-separated), so the benchmark can serve it with the
same uvicorn command line and compare it with the app as it is:

cache    ``ResponseCache``: an ASGI middleware that keeps the bytes of successful GET
         responses in a bounded LRU, keyed by the catalogue version (the corpus hash
         the ETags already use), today's date (a recognition's validity depends on it),
         path and query string. A catalogue is read-only between loads, so a hit can
         skip routing, validation, search, facets, highlighting and templates.
threads  limit Starlette's thread pool (sync endpoints) to ``BENCH_THREADS`` (default 2)
         threads instead of anyio's 40: CPU-bound handlers on one GIL then queue
         instead of thrashing, and far fewer per-thread Whoosh searchers get opened.

Usage: ``BENCH_EXPERIMENT=cache .venv/bin/uvicorn experiments:create_app --factory
--app-dir bench ...``
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkwijzer.app import create_app as create_real_app

MAX_ENTRIES = 2048
MAX_BODY = 1 << 20


class ResponseCache:
    """Whole-response LRU for GETs, keyed by catalogue version, date, path and query."""

    def __init__(self, app: ASGIApp, version: Callable[[], str | None]) -> None:
        self.app, self.version = app, version
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, list[Any], bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or _has(scope, b"if-none-match"):
            await self.app(scope, receive, send)
            return
        version = self.version()
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (version, date.today(), scope["path"], scope.get("query_string", b""))
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        headers = list(start.get("headers", []))
        if start.get("status") == 200 and len(body) <= MAX_BODY and not _set_cookie(headers):
            self.entries[key] = (200, headers, body)
            if len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


def _has(scope: Scope, name: bytes) -> bool:
    return any(k == name for k, _ in scope.get("headers", []))


def _set_cookie(headers: list[Any]) -> bool:
    return any(k.lower() == b"set-cookie" for k, _ in headers)


class ThreadLimit:
    """Set the default thread limiter's size on the first request (it lives in the loop)."""

    def __init__(self, app: ASGIApp, tokens: int) -> None:
        self.app, self.tokens, self.done = app, tokens, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.done:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = self.tokens
            self.done = True
        await self.app(scope, receive, send)


def create_app() -> Any:
    app = create_real_app()
    wanted = {w.strip() for w in os.environ.get("BENCH_EXPERIMENT", "").split(",") if w.strip()}
    unknown = wanted - {"cache", "threads"}
    if unknown:
        raise SystemExit(f"onbekend experiment: {', '.join(sorted(unknown))}")
    asgi: Any = app
    if "threads" in wanted:
        asgi = ThreadLimit(asgi, int(os.environ.get("BENCH_THREADS", "2")))
    if "cache" in wanted:

        def version() -> str | None:
            catalogue = getattr(app.state, "catalogue", None)
            try:
                return catalogue.versie().hash if catalogue is not None else None
            except Exception:
                return None

        asgi = ResponseCache(asgi, version)
    # uvicorn runs the lifespan through the outer app; the middlewares pass it on.
    return asgi
