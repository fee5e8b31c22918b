"""HTTP caching: strong ETags and 304s for the API and the feed, and a cache of whole responses.

Pure ASGI so it costs next to nothing per request. The ETag covers the corpus
version (its hash and the time of its newest change: ``Versie.key``, so the
history of the approaches, which the feed shows, is covered too), today's date
(validity of a recognition depends on it), the base the answer's links are built
from (``BASE``, set by ``HostGuard``) and the request's path and query, so a
reload or a new day changes every ETag. Only an answer that
is a 200 gets one, and a 304 is only given instead of such an answer: a URL that
answers 404 or 422 is never 304, whatever tag a client sends.

``ResponseCache`` keeps the bytes of successful GET responses in a bounded LRU
keyed by the same things. A catalogue is read-only within a version, so a
repeated request is answered from memory exactly as it would be computed: no
routing, validation, search or template rendering. A new version or a new day
changes every key.
"""

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from cachetools import LRUCache
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkwijzer.web.urls import BASE

CACHE_CONTROL = b"public, max-age=300"
Headers = list[tuple[bytes, bytes]]


class ApiCaching:
    """Add ETag and Cache-Control to 200 answers of GETs under `prefix` (one, or a tuple);
    304 when a tag matches.

    The answer is computed first: only when it is a 200 is its ETag compared with
    If-None-Match, and a match sends the 304 instead of it.
    """

    def __init__(
        self,
        app: ASGIApp,
        prefix: str | tuple[str, ...],
        version: Callable[[], str | None],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.app, self.prefix, self.version, self.today = app, prefix, version, today

    def etag(self, scope: Scope) -> bytes | None:
        """The tag of this request's 200 answer (None before the version is read)."""
        version, base = self.version(), scope.get(BASE)
        if version is None or base is None:
            return None
        key = f"{version}|{self.today().isoformat()}|200|{base}|{scope['path']}?".encode()
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
        conditional = _if_none_match(scope)
        not_modified = False

        async def send_with_headers(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200:
                tag = self.etag(scope)
                if tag is not None and tag in conditional:
                    not_modified = True
                    await _not_modified(send, tag)
                    return
                if tag is not None:
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"etag", tag),
                        (b"cache-control", CACHE_CONTROL),
                    ]
            elif message["type"] == "http.response.body" and not_modified:
                return  # the 304 went instead of this answer: it has no body
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _not_modified(send: Send, etag: bytes) -> None:
    headers = [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _if_none_match(scope: Scope) -> list[bytes]:
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            return _etags(value)
    return []


def _etags(value: bytes) -> list[bytes]:
    return [t.strip().removeprefix(b"W/") for t in value.split(b",")]


# -- whole responses --------------------------------------------------------------------

# What an entry costs besides the bytes of its headers and body, roughly: the key, the
# entry, the LRU's slot, and per header a tuple and two bytes objects.
ENTRY_OVERHEAD = 400
HEADER_OVERHEAD = 130
Generation = tuple[str, date]


class Key(NamedTuple):
    """What an answer is the answer to: version and date, the links' base, path, query."""

    generation: Generation
    base: str
    path: str
    query: bytes


@dataclass(frozen=True, slots=True)
class CachedResponse:
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    size: int

    @property
    def etag(self) -> bytes | None:
        return next((v for k, v in self.headers if k == b"etag"), None)


class ResponseStore:
    """An LRU of responses, bounded in bytes, holding one catalogue generation at a time.

    A ``cachetools.LRUCache`` weighing each entry by its ``size``, behind a lock.
    An entry may take at most an eighth of the whole, so one large export cannot
    push out everything else.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_entry_bytes = max_bytes // 8
        self.entries: LRUCache[Key, CachedResponse] = LRUCache(
            maxsize=max_bytes, getsizeof=_size_of
        )
        self.generation: Generation | None = None
        self.hits = self.misses = 0
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return int(self.entries.maxsize)

    @property
    def size(self) -> int:
        """The bytes kept, as counted by the entries' ``size``."""
        return int(self.entries.currsize)

    def get(self, key: Key) -> CachedResponse | None:
        with self._lock:
            if key.generation != self.generation:
                # a reload or a new day: what is kept answers another version
                self._clear(key.generation)
            entry = self.entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            return entry

    def put(self, key: Key, headers: Headers, body: bytes) -> bool:
        """Keep a response (False when it is too large to keep, or of another generation)."""
        size = ENTRY_OVERHEAD + len(body) + len(key.base) + len(key.path) + len(key.query)
        size += sum(HEADER_OVERHEAD + len(name) + len(value) for name, value in headers)
        with self._lock:
            if size > self.max_entry_bytes or key.generation != self.generation:
                return False
            self.entries[key] = CachedResponse(tuple(headers), body, size)
            return True

    def clear(self, generation: Generation | None = None) -> None:
        with self._lock:
            self._clear(generation)

    def _clear(self, generation: Generation | None) -> None:
        self.entries.clear()
        self.generation = generation


def _size_of(entry: CachedResponse) -> int:
    return entry.size


class ResponseCache:
    """Answer repeated GET/HEAD requests for `cacheable` paths from a `ResponseStore`.

    Kept: complete 200 responses without Set-Cookie or Vary and not marked
    private or no-store, to requests without a body. The key is the catalogue
    version and date (read before and again after computing an answer: one
    computed across a reload is not kept), the base the answer's links are built
    from (``BASE``, set by ``HostGuard``: without it nothing is kept), the path and
    the raw query string. Headers that differ per request (CORS, security headers,
    the worker header) are added by the middlewares around this one, on hits as on
    misses. A request with If-None-Match that the ETag of a 200 answer matches gets
    a 304, as from ``ApiCaching``; the whole answer is still computed and kept.
    """

    def __init__(
        self,
        app: ASGIApp,
        store: ResponseStore,
        cacheable: Callable[[str], bool],
        version: Callable[[], str | None],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.app, self.store, self.cacheable = app, store, cacheable
        self.version, self.today = version, today

    def generation(self) -> Generation | None:
        version = self.version()
        return None if version is None else (version, self.today())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        base: str | None = scope.get(BASE)
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or base is None
            or not self.cacheable(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        conditional, has_body = _request_facts(scope["headers"])
        generation = None if has_body else self.generation()
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = Key(generation, base, scope["path"], scope.get("query_string", b""))
        entry = self.store.get(key)
        if entry is not None:
            await self.replay(entry, scope["method"], conditional, send)
        elif scope["method"] == "HEAD":  # no body comes back to keep
            await self.app(scope, receive, send)
        else:
            await self.fill(key, scope, receive, send, conditional)

    async def replay(
        self, entry: CachedResponse, method: str, conditional: bytes | None, send: Send
    ) -> None:
        etag = entry.etag
        if conditional is not None and etag is not None and etag in _etags(conditional):
            await _not_modified(send, etag)
            return
        # a fresh list: what is kept must not change with what the middlewares around do
        await send({"type": "http.response.start", "status": 200, "headers": list(entry.headers)})
        body = b"" if method == "HEAD" else entry.body
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def fill(
        self, key: Key, scope: Scope, receive: Receive, send: Send, conditional: bytes | None
    ) -> None:
        """Compute the whole answer (without If-None-Match), keep it, send it or a 304."""
        headers: Headers = []
        chunks: list[bytes] = []
        size = 0
        keep = complete = not_modified = False

        async def capture(message: Message) -> None:
            nonlocal headers, size, keep, complete, not_modified
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # before anyone outside changes it
                keep = message["status"] == 200 and _storable(headers)
                etag = next((v for k, v in headers if k == b"etag"), None)
                if message["status"] == 200 and conditional is not None and etag is not None:
                    not_modified = etag in _etags(conditional)
                if not_modified:
                    await _not_modified(send, etag or b"")
                    return
            elif message["type"] == "http.response.body" and keep:
                chunk: bytes = message.get("body", b"")
                size += len(chunk)
                if size > self.store.max_entry_bytes:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(chunk)
                    complete = not message.get("more_body", False)
            if not (not_modified and message["type"] == "http.response.body"):
                await send(message)

        inner = {**scope, "headers": [h for h in scope["headers"] if h[0] != b"if-none-match"]}
        await self.app(inner, receive, capture)
        if keep and complete and self.generation() == key.generation:
            self.store.put(key, headers, b"".join(chunks))


def _request_facts(headers: Iterable[tuple[bytes, bytes]]) -> tuple[bytes | None, bool]:
    """The If-None-Match header, and whether the request has a body."""
    conditional = None
    has_body = False
    for name, value in headers:
        if name == b"if-none-match":
            conditional = value
        elif name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            has_body = True
    return conditional, has_body


def _storable(headers: Headers) -> bool:
    for name, value in headers:
        lowered = name.lower()
        if lowered in (b"set-cookie", b"vary"):
            return False
        if lowered == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True
