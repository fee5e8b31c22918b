"""HTTP caching of the API: strong ETags from corpus version and request, 304s, Cache-Control.

Pure ASGI so it costs next to nothing per request. The ETag covers the corpus
version, the request (path and query) and today's date (validity of a
recognition depends on it), so a reload or a new day changes every ETag.
"""

import hashlib
from collections.abc import Callable
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_CONTROL = b"public, max-age=300"


class ApiCaching:
    """Add ETag and Cache-Control to successful GETs under `prefix`; answer 304 on a match."""

    def __init__(
        self,
        app: ASGIApp,
        prefix: str,
        version: Callable[[], str | None],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.app, self.prefix, self.version, self.today = app, prefix, version, today

    def etag(self, scope: Scope) -> bytes | None:
        version = self.version()
        if version is None:
            return None
        key = f"{version}|{self.today().isoformat()}|{scope['path']}?".encode()
        digest = hashlib.sha256(key + scope.get("query_string", b"")).hexdigest()[:32]
        return f'"{digest}"'.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        etag = self.etag(scope)
        if etag is None:
            await self.app(scope, receive, send)
            return
        if etag in _if_none_match(scope):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(b"etag", etag), (b"cache-control", CACHE_CONTROL)],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message["headers"] = [
                    *message.get("headers", []),
                    (b"etag", etag),
                    (b"cache-control", CACHE_CONTROL),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _if_none_match(scope: Scope) -> list[bytes]:
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            return tags
    return []
