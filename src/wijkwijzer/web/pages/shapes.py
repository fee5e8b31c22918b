"""What the search page shows besides the catalogue's answer: checkboxes, chips, links.

Each link changes one part of the listing (``Query``) and comes from the
request's ``Urls``; the templates only render them. A link that changes the
listing lands on its results heading (``Urls.results``).
"""

from dataclasses import dataclass

from markupsafe import escape

from wijkwijzer.catalogue.answers import Resultaat
from wijkwijzer.catalogue.question import Sortering
from wijkwijzer.web.pages.params import Listing
from wijkwijzer.web.urls import Query, Urls

PROVIDER = "WijkWijzer"
# The size of the frame that the snippet and oEmbed propose (CSS pixels): a list, a card.
WIDTH, HEIGHT = 480, 600
CARD_HEIGHT = 320
FEED_TITLE = "WijkWijzer: wijzigingen"

SORT_LABELS = {
    Sortering.RELEVANTIE: "relevantie",
    Sortering.NAAM: "naam (A–Z)",
    Sortering.ERKENNINGSNIVEAU: "erkenningsniveau (geldend eerst)",
    Sortering.GELDIG_TOT: "geldig tot (langst geldig eerst)",
}


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


def facet_views(resultaat: Resultaat, query: Query, urls: Urls) -> list[FacetView]:
    """Facets with their values (those with results, or chosen) and toggle URLs."""
    views = []
    for facet in resultaat.facets:
        values = [
            Keuze(
                v.value,
                v.label,
                v.count,
                v.selected,
                urls.listing(query.toggle(facet.name, v.value)),
            )
            for v in facet.values
            if v.count or v.selected
        ]
        selected = sum(v.selected for v in values)
        views.append(FacetView(facet.name, facet.label, values, selected))
    return views


def chips(facets: list[FacetView], listing: Listing, urls: Urls) -> list[Link]:
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
        without = query.without("leeftijd", "alleen_met_leeftijd", "page")
        removals.append((f"Leeftijd: {vraag.leeftijd} jaar", without))
    if vraag.alleen_met_leeftijd:
        removals.append(
            ("Alleen met genoemde leeftijdsgrens", query.without("alleen_met_leeftijd", "page"))
        )
    return [Link(label, urls.results(removed), query=removed) for label, removed in removals]


def sort_links(resultaat: Resultaat, listing: Listing, urls: Urls) -> list[Link]:
    """The orders the listing can be sorted in (relevance only with a search text)."""
    return [
        Link(
            label,
            urls.results(listing.query.with_value("sort", sort.value)),
            current=sort == resultaat.sort,
        )
        for sort, label in SORT_LABELS.items()
        if listing.vraag.q or sort != Sortering.RELEVANTIE
    ]


def page_links(resultaat: Resultaat, query: Query, urls: Urls) -> list[Link]:
    """Numbered page links: all of them, or the first, the last and two around the current."""
    current, last = resultaat.page, resultaat.pages
    links: list[Link] = []
    previous = 0
    for number in range(1, last + 1):
        if last > 9 and number not in (1, last) and abs(number - current) > 2:
            continue
        if number - previous > 1:
            links.append(Link("…", ""))
        links.append(Link(str(number), urls.results(query.on_page(number)), number == current))
        previous = number
    return links


def neighbour(resultaat: Resultaat, query: Query, urls: Urls, page: int) -> str | None:
    """The link to page `page` of the listing, if there is such a page."""
    if not (resultaat.total and 1 <= page <= resultaat.pages):
        return None
    return urls.results(query.on_page(page))


def filter_names(facets: list[FacetView], listing: Listing) -> list[str]:
    """What a listing is narrowed to, in words: the search text, the values, the age."""
    vraag = listing.vraag
    names = [f"‘{vraag.q}’"] if vraag.q else []
    names += [v.label for facet in facets for v in facet.values if v.selected]
    if vraag.leeftijd is not None:
        names.append(f"{vraag.leeftijd} jaar")
    return names


def feed_title(names: list[str]) -> str:
    """The title of the change feed of a listing narrowed to `names` (``filter_names``)."""
    return f"{FEED_TITLE} – {', '.join(names)}" if names else FEED_TITLE


def listing_title(
    resultaat: Resultaat, listing: Listing, facets: list[FacetView], page: bool = True
) -> str:
    """A listing's title: its filters, the number found and (with `page`) the page, e.g.
    ``Jongeren, Goed onderbouwd – 5 aanpakken, pagina 2``."""
    n = resultaat.total
    count = f"{n} {'aanpak' if n == 1 else 'aanpakken'}"
    if page and resultaat.pages > 1:
        count += f", pagina {resultaat.page}"
    named = filter_names(facets, listing)
    return f"{', '.join(named)} – {count}" if named else count


def iframe(src: str, title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The ``<iframe>`` another site pastes in (its attributes escaped)."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" '
        f'height="{height}" loading="lazy"></iframe>'
    )


def embed_snippet(urls: Urls, query: Query, title: str) -> str:
    """The ``<iframe>`` of the results page of `query`, as that page offers it to copy."""
    return iframe(urls.absolute(urls.embed(query)), f"{title} – {PROVIDER}")
