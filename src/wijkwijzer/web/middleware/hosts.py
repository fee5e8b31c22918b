"""Which ``Host`` a request may name, and the one base its absolute links start with.

A link in an answer (API ``links``, the CSV, the pages' absolute links) is built
from a *base*: ``WIJKWIJZER_PUBLIC_URL`` when it is set, else the scheme, the
request's one ``Host`` and its root path. ``HostGuard`` decides that base before
any route or cache sees the request, puts it in the scope (``BASE``), and refuses
with a 400 what could make it ambiguous or foreign: no ``Host``, two ``Host``
headers (a cache keyed on one and links built from the other), or a host that
``WIJKWIJZER_ALLOWED_HOSTS`` does not allow. The URL builder (``Urls.of``), the
response cache and the ETags all read the base from the scope, so they cannot
disagree about it.

Starlette's ``TrustedHostMiddleware`` is the model, with its patterns (``host``,
``*.domain``, ``*``), but it checks the first of several ``Host`` headers, ignores
the port and answers in English; so this guard does the check itself. Without
``WIJKWIJZER_ALLOWED_HOSTS`` the hosts allowed are the address and port the
request came in on (``scope["server"]``: what ``wijkwijzer serve --host --port``
or uvicorn bound) and ``localhost``, ``127.0.0.1`` and ``[::1]`` on that port;
with ``WIJKWIJZER_PUBLIC_URL`` set and no list, any one host (no link uses it).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkwijzer.web.middleware.security import refuse
from wijkwijzer.web.urls import BASE

_NAME = re.compile(r"[a-z0-9_.-]+|\[[0-9a-f:.]+\]")  # a DNS name, an IPv4 or IPv6 address
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class HostPattern:
    """``name`` (``example.nl``, ``*.example.nl``, ``*``, ``[::1]``) and an optional port."""

    name: str
    port: int | None = None

    @classmethod
    def parse(cls, pattern: str) -> "HostPattern":
        pattern = pattern.lower()
        if pattern.startswith("*"):
            name, _, port = pattern.partition(":")
            return cls(name, int(port) if port else None)
        return cls(*split_host(pattern))

    def allows(self, name: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.name == "*" or name == self.name:
            return True
        return self.name.startswith("*.") and name.endswith(self.name[1:])


def split_host(value: str) -> tuple[str, int | None]:
    """``host[:port]`` as (host, port); the host keeps an IPv6 literal's brackets.

    ValueError when `value` is no host (a path, a user, a port that is no number).
    """
    parts = urlsplit(f"//{value}")
    if parts.hostname is None or parts.netloc != value or "@" in value:
        raise ValueError(value)
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if not _NAME.fullmatch(name):
        raise ValueError(value)
    return name, parts.port


def default_patterns(scope: Scope) -> list[HostPattern]:
    """The address and port the request came in on, and the loopback names on that port."""
    server = scope.get("server")
    if not server:
        return [HostPattern(name) for name in LOCAL_NAMES]
    host, port = server[0], server[1]
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return [HostPattern(name.lower(), port) for name in (host, *LOCAL_NAMES)]


class HostGuard:
    """Refuse requests without exactly one allowed ``Host``; put the links' base in the scope."""

    def __init__(self, app: ASGIApp, public_url: str = "", allowed_hosts: Sequence[str] = ()):
        self.app = app
        self.public_url = public_url.rstrip("/")
        self.patterns = [HostPattern.parse(p) for p in allowed_hosts]
        self.any_host = any(p.name == "*" for p in self.patterns) or (
            not self.patterns and bool(self.public_url)
        )

    def allowed(self, scope: Scope, name: str, port: int) -> bool:
        if self.any_host:
            return True
        patterns = self.patterns or default_patterns(scope)
        return any(p.allows(name, port) for p in patterns)

    def base(self, scope: Scope) -> str | tuple[int, str]:
        """The base of this request's links, or the 400 that refuses it (status, Dutch detail)."""
        hosts = [value for name, value in scope["headers"] if name == b"host"]
        if len(hosts) != 1:
            return 400, (
                "het verzoek noemt geen host (de kop Host ontbreekt)"
                if not hosts
                else "het verzoek noemt meer dan één host (de kop Host staat er meermaals)"
            )
        host = hosts[0].decode("latin-1").strip().lower()
        scheme = scope.get("scheme", "http")
        try:
            name, port = split_host(host)
        except ValueError:
            name, port = "", None
        if not name or not self.allowed(scope, name, port or DEFAULT_PORTS.get(scheme, 80)):
            return 400, "deze server beantwoordt geen verzoeken voor deze host"
        return self.public_url or f"{scheme}://{host}{scope.get('root_path', '')}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the app has no websockets; lifespan passes
            await self.app(scope, receive, send)
            return
        base = self.base(scope)
        if isinstance(base, tuple):
            await refuse(scope, send, *base)
            return
        scope[BASE] = base

        async def same_base(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REDIRECTS:
                message["headers"] = [
                    (name, _on_base(value, scope, base) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, same_base)


def _on_base(location: bytes, scope: Scope, base: str) -> bytes:
    """A redirect that Starlette built from the Host header, moved onto `base`.

    A relative Location (our own redirects) stays as it is; one that names this
    request's own scheme and host (the trailing-slash redirect) gets the base.
    """
    text = location.decode("latin-1")
    parts = urlsplit(text)
    own = parts.scheme == scope.get("scheme", "http") and any(
        parts.netloc.lower() == value.decode("latin-1").strip().lower()
        for name, value in scope["headers"]
        if name == b"host"
    )
    if not own:
        return location
    root = scope.get("root_path", "")
    path = parts.path[len(root) :] if root and parts.path.startswith(root) else parts.path
    return (base + path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")
