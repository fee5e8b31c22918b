"""Every state of a listing is a GET URL: read one, and build the links that change one part.

Reading gives a ``Zoekvraag``; the links are the facet toggles, the chips that remove
a filter and the page links, all computed here so templates only render them.
Parameters are the API's (``q``, the facets, ``leeftijd``, ``sort``, ``page``,
``per_page``). Values a page cannot use are dropped with a Dutch message, so a
mistyped bookmark still shows results instead of an error.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from wijkwijzer.catalogue.facets import FACET_NAMES, FACETS
from wijkwijzer.catalogue.listing import MAX_PER_PAGE, Resultaat, Sortering, Zoekvraag

Pairs = tuple[tuple[str, str], ...]
LISTING_KEYS = ("q", *FACET_NAMES, "leeftijd", "sort", "page", "per_page")
FACET_LABELS = {spec.name: spec.label.lower() for spec in FACETS}


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

    def with_value(self, name: str, value: str) -> "Query":
        """Set a single-valued parameter (and go back to the first page)."""
        return Query((*self.without(name, "page").pairs, (name, value)))

    def toggle(self, name: str, value: str) -> "Query":
        """Add or remove one value of a repeatable parameter (and go back to the first page)."""
        rest = self.without("page")
        if (name, value) in rest.pairs:
            return Query(tuple(p for p in rest.pairs if p != (name, value)))
        return Query((*rest.pairs, (name, value)))

    def url(self, path: str = "/") -> str:
        return f"{path}?{urlencode(self.pairs)}" if self.pairs else path


@dataclass(frozen=True)
class Listing:
    """A cleaned listing request: the query as shown in links, the question, the messages."""

    query: Query
    vraag: Zoekvraag
    meldingen: tuple[str, ...] = field(default=())

    def without_unknown(self, facet: str, allowed: Sequence[str]) -> "Listing":
        """Drop the values of `facet` the catalogue does not know (after an OngeldigeVraag)."""
        unknown = [v for v in self.query.getall(facet) if v not in allowed]
        query = Query(tuple((k, v) for k, v in self.query.pairs if k != facet or v in allowed))
        filters = {
            k: [v for v in vs if v in allowed] if k == facet else vs
            for k, vs in self.vraag.filters.items()
        }
        melding = (
            f"Het filter {FACET_LABELS.get(facet, facet)} kent de waarde "
            f"{', '.join(repr(v) for v in unknown)} niet; die is weggelaten."
        )
        return Listing(query, replace(self.vraag, filters=filters), (*self.meldingen, melding))


def _integer(raw: str, low: int, high: int) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def parse_listing(items: Iterable[tuple[str, str]]) -> Listing:
    """Read the query parameters of ``/``; drop what is unusable and say so in Dutch."""
    kept: list[tuple[str, str]] = []
    meldingen: list[str] = []
    seen: set[tuple[str, str]] = set()
    single: dict[str, str] = {}
    for name, raw in items:
        value = raw.strip()
        if name not in LISTING_KEYS or not value or (name, value) in seen:
            continue
        if name not in FACET_NAMES:
            if name in single:
                continue
            single[name] = value
        seen.add((name, value))
        kept.append((name, value))

    def drop(name: str, melding: str) -> None:
        kept.remove((name, single.pop(name)))
        meldingen.append(melding)

    numbers = {"leeftijd": (0, 120), "page": (1, 10_000), "per_page": (1, MAX_PER_PAGE)}
    parsed: dict[str, int] = {}
    for name, (low, high) in numbers.items():
        if name not in single:
            continue
        number = _integer(single[name], low, high)
        if number is None:
            what = {"leeftijd": "Leeftijd", "page": "Pagina", "per_page": "Aantal per pagina"}
            drop(
                name,
                f"{what[name]} moet een geheel getal van {low} tot {high} zijn; "
                f"{single[name]!r} is genegeerd.",
            )
        else:
            parsed[name] = number
    sort: Sortering | None = None
    if "sort" in single:
        try:
            sort = Sortering(single["sort"])
        except ValueError:
            drop("sort", f"Sorteren op {single['sort']!r} kan niet; gesorteerd zoals standaard.")
    filters = {name: [v for k, v in kept if k == name] for name in FACET_NAMES}
    vraag = Zoekvraag(
        q=single.get("q", ""),
        filters={k: v for k, v in filters.items() if v},
        leeftijd=parsed.get("leeftijd"),
        sort=sort,
        page=parsed.get("page", 1),
        per_page=parsed.get("per_page", 20),
    )
    return Listing(Query(tuple(kept)), vraag, tuple(meldingen))


def compare_url(slugs: Iterable[str], **extra: str) -> str:
    """The comparison page for `slugs` (in this order)."""
    return Query((*(("slug", s) for s in slugs), *extra.items())).url("/vergelijk")


# -- the links of a listing page -------------------------------------------------------


@dataclass(frozen=True)
class Keuze:
    """A facet value as the page shows it: a checkbox, and the URL that toggles it."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    values: list[Keuze]
    selected: int


@dataclass(frozen=True)
class Link:
    """A link that changes the listing: a chip, a page, a sort order, an alternative."""

    label: str
    url: str
    current: bool = False
    query: Query | None = None
    count: int | None = None


def facet_views(resultaat: Resultaat, query: Query) -> list[FacetView]:
    """Facets with their values (those with results, or chosen) and toggle URLs."""
    views = []
    for facet in resultaat.facets:
        values = [
            Keuze(v.value, v.label, v.count, v.selected, query.toggle(facet.name, v.value).url())
            for v in facet.values
            if v.count or v.selected
        ]
        selected = sum(v.selected for v in values)
        views.append(FacetView(facet.name, facet.label, values, selected))
    return views


def chips(facets: list[FacetView], listing: Listing) -> list[Link]:
    """The active filters, each with the URL (and query) that removes it."""
    query, vraag = listing.query, listing.vraag
    removals: list[tuple[str, Query]] = []
    if vraag.q:
        removals.append((f"Zoekterm: {vraag.q}", query.without("q", "page")))
    for facet in facets:
        removals += [
            (f"{facet.label}: {v.label}", query.toggle(facet.name, v.value))
            for v in facet.values
            if v.selected
        ]
    if vraag.leeftijd is not None:
        removals.append((f"Leeftijd: {vraag.leeftijd} jaar", query.without("leeftijd", "page")))
    return [Link(label, removed.url(), query=removed) for label, removed in removals]


def page_links(resultaat: Resultaat, query: Query) -> list[Link]:
    """Numbered page links: all of them, or the first, the last and two around the current."""
    current, last = resultaat.page, resultaat.pages
    links: list[Link] = []
    previous = 0
    for number in range(1, last + 1):
        if last > 9 and number not in (1, last) and abs(number - current) > 2:
            continue
        if number - previous > 1:
            links.append(Link("…", ""))
        target = query.without("page") if number == 1 else query.with_value("page", str(number))
        links.append(Link(str(number), target.url(), current=number == current))
        previous = number
    return links
