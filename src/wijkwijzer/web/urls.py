"""Every link the site gives, pages and API alike, from one builder (after datasette's ``Urls``).

``Urls.of(request)`` builds it for the request that a page or an answer is for.
Its links are site-relative (``/aanpak/buurtcirkel``) unless made ``absolute``
with the request's base (``BASE``: the public URL, or the one allowed Host);
``here`` and ``here_on_page`` are the request's own URL on that base (an API
page's ``links``). A listing's state is a ``Query``,
the ordered, immutable query string whose one part a link changes.

A listing's state also holds the approaches ticked for comparison (``KEUZE``,
repeated): every link that keeps the state keeps them, so ticks survive paging
and filtering; a detail or comparison page opened from a listing carries the
whole state (``staat``) and so has a way back to exactly those results
(``results``, which lands on the results heading, ``RESULTATEN``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request

# The scope key under which ``HostGuard`` (web/middleware/hosts.py) puts the base of a
# request's absolute links: ``WIJKWIJZER_PUBLIC_URL``, or scheme, the one Host and root path.
BASE = "wijkwijzer.base"
API_PREFIX = "/api/v1"
DOCS = "/docs"
OPENAPI = "/openapi.json"
STATIC = "/static"
EMBED = "/embed"
OEMBED = "/oembed"
FEED = "/feed.atom"
# The approaches ticked for comparison on a listing: a parameter of the page, not of the question.
KEUZE = "vergelijk"
# The id of the results heading: where a search, a filter, a page or a way back lands.
RESULTATEN = "resultaten"
# The print view of a page: all of a listing's results, no controls.
AFDRUK = ("afdruk", "1")

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Query:
    """An ordered, immutable query string: ``(name, value)`` pairs."""

    pairs: Pairs = ()

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.pairs if k == name), None)

    def getall(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def without(self, *names: str) -> "Query":
        return Query(tuple((k, v) for k, v in self.pairs if k not in names))

    def only(self, *names: str) -> "Query":
        return Query(tuple((k, v) for k, v in self.pairs if k in names))

    def plus(self, name: str, values: Iterable[str]) -> "Query":
        """This query with `name` set to `values` (a repeatable parameter, in this order)."""
        return Query((*self.without(name).pairs, *((name, v) for v in values)))

    def with_value(self, name: str, value: str) -> "Query":
        """Set a single-valued parameter (and go back to the first page)."""
        return Query((*self.without(name, "page").pairs, (name, value)))

    def toggle(self, name: str, value: str) -> "Query":
        """Add or remove one value of a repeatable parameter (and go back to the first page)."""
        rest = self.without("page")
        if (name, value) in rest.pairs:
            return Query(tuple(p for p in rest.pairs if p != (name, value)))
        return Query((*rest.pairs, (name, value)))

    def on_page(self, page: int) -> "Query":
        """This listing on page `page` (the first page has no ``page`` parameter)."""
        return self.without("page") if page == 1 else self.with_value("page", str(page))


NO_QUERY = Query()


def cel_query(doelgroep: str, niveau: str) -> Query:
    """The listing of one doelgroep on one erkenningsniveau."""
    return Query((("doelgroep", doelgroep), ("erkenningsniveau", niveau)))


def _at(path: str, query: Query) -> str:
    return f"{path}?{'&'.join(_pair(k, v) for k, v in query.pairs)}" if query.pairs else path


@lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    """One ``name=value`` of a query string, encoded as ``urlencode`` does (pages repeat them)."""
    return urlencode(((name, value),))


def is_api(path: str) -> bool:
    """Is `path` part of the API (its answers and its errors are JSON)?"""
    return path.startswith(API_PREFIX) or path == OPENAPI


class Urls:
    """The links of one request's answer."""

    def __init__(self, base: str = "", url: URL | None = None) -> None:
        self.base = base.rstrip("/")
        self.url = url

    @classmethod
    def of(cls, request: Request) -> "Urls":
        """The links of `request`'s answer, on the base ``HostGuard`` chose for it."""
        scope = request.scope
        base: str | None = scope.get(BASE)
        if base is None:  # an app without the guard (never so in ``create_app``)
            return cls(str(request.base_url), request.url)
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        path = path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
        query = scope.get("query_string", b"").decode("latin-1")
        return cls(base, URL(base + path + (f"?{query}" if query else "")))

    # -- the pages ----------------------------------------------------------------------

    def listing(self, query: Query = NO_QUERY) -> str:
        """The search page in the state `query`."""
        return _at("/", query)

    def results(self, query: Query = NO_QUERY) -> str:
        """The search page in the state `query`, landing on its results heading."""
        return f"{self.listing(query)}#{RESULTATEN}"

    def listing_print(self, query: Query = NO_QUERY) -> str:
        """The print view of the listing `query`: its first results, all on one page."""
        return _at("/", Query((*query.without("page", "per_page").pairs, AFDRUK)))

    def filtered(self, facet: str, code: str) -> str:
        """The search page with one filter value chosen."""
        return self.listing(Query(((facet, code),)))

    def cel(self, doelgroep: str, niveau: str) -> str:
        """The search page for one cell of the doelgroep × erkenningsniveau overview."""
        return self.listing(cel_query(doelgroep, niveau))

    def aanpak(self, slug: str, staat: Query = NO_QUERY, afdruk: bool = False) -> str:
        """An approach's page; opened from a listing, it carries that listing's state."""
        return _at(f"/aanpak/{slug}", Query((*staat.pairs, *((AFDRUK,) if afdruk else ()))))

    def vergelijk(self, slugs: Iterable[str] = (), staat: Query = NO_QUERY, **extra: str) -> str:
        """The comparison page for `slugs` (in this order), with the state of the listing it
        was opened from (whose ticks are `slugs` there)."""
        pairs = (*(("slug", s) for s in slugs), *extra.items(), *staat.without(KEUZE).pairs)
        return _at("/vergelijk", Query(pairs))

    def erkenning(self, niveau: str = "") -> str:
        """The recognition ladder, or one level on it."""
        return f"/erkenning#{niveau}" if niveau else "/erkenning"

    def over(self) -> str:
        return "/over"

    def docs(self) -> str:
        return DOCS

    def embed(self, query: Query = NO_QUERY) -> str:
        """The compact, frameable list of the listing `query` (its first page)."""
        return _at(EMBED, query.without("page", KEUZE))

    def embed_aanpak(self, slug: str) -> str:
        """The compact, frameable card of one approach."""
        return f"{EMBED}/aanpak/{slug}"

    def oembed(self, page: str = "") -> str:
        """The oEmbed answer (JSON) for the absolute URL `page` of this site."""
        return _at(OEMBED, Query((("url", page), ("format", "json")))) if page else OEMBED

    def feed(self, query: Query = NO_QUERY) -> str:
        """The Atom feed of the changes of the listing `query` (its filters: no page or order)."""
        return _at(FEED, query.without("page", "per_page", "sort", KEUZE))

    def sitemap(self) -> str:
        return "/sitemap.xml"

    def opensearch(self) -> str:
        return "/opensearch.xml"

    def static(self, name: str) -> str:
        return f"{STATIC}/{name}"

    # -- the API ------------------------------------------------------------------------

    def api(self) -> str:
        return API_PREFIX

    def api_listing(self, query: Query = NO_QUERY) -> str:
        return _at(f"{API_PREFIX}/approaches", query.without(KEUZE))

    def api_aanpak(self, slug: str) -> str:
        return f"{API_PREFIX}/approaches/{slug}"

    def api_csv(self, query: Query = NO_QUERY) -> str:
        """The CSV of the listing `query` (all of it: without ``page`` and ``per_page``)."""
        return _at(f"{API_PREFIX}/approaches.csv", query.without("page", "per_page", KEUZE))

    def api_vergelijk(self, slugs: Iterable[str], csv: bool = False) -> str:
        """The comparison of `slugs` in the API, as JSON or as CSV."""
        path = f"{API_PREFIX}/compare.csv" if csv else f"{API_PREFIX}/compare"
        return _at(path, Query(tuple(("slug", s) for s in slugs)))

    def api_export(self) -> str:
        return f"{API_PREFIX}/export.json"

    def api_erkenningsniveaus(self) -> str:
        return f"{API_PREFIX}/erkenningsniveaus"

    def api_catalog(self) -> str:
        """The DCAT-AP description of the dataset (JSON-LD)."""
        return f"{API_PREFIX}/catalog.jsonld"

    def openapi(self) -> str:
        return OPENAPI

    # -- this request -------------------------------------------------------------------

    def absolute(self, link: str) -> str:
        """A site-relative `link` on the request's base (public URL, or scheme, host, root)."""
        return self.base + link

    def here(self) -> str:
        """This request's own URL, absolute."""
        return str(self._url)

    def here_on_page(self, page: int) -> str:
        """This request's URL with ``page`` set to `page`, absolute."""
        return str(self._url.include_query_params(page=page))

    def instance(self) -> str:
        """This request's path and query: the ``instance`` of a problem document."""
        return self._url.path + ("?" + self._url.query if self._url.query else "")

    @property
    def _url(self) -> URL:
        if self.url is None:
            raise ValueError("Urls without a request have no links to the request itself")
        return self.url
