"""The state a page carries: where it was opened from, what is ticked, whether it is printed.

A result's link (``Urls.aanpak(slug, staat)``) and the comparison a listing opens
(``Urls.vergelijk(slugs, staat)``) carry the listing's whole state: its question,
its page and the approaches ticked for comparison (``KEUZE``). The page reads it
back leniently, as the listing does (``parse_listing``), and offers the way back
to exactly those results (``Herkomst``). ``?afdruk=1`` asks any page for its
print view, which works without JavaScript.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starlette.requests import Request

from wijkwijzer.catalogue.answers import Resultaat
from wijkwijzer.catalogue.question import MAX_PER_PAGE, Zoekvraag
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.web.pages.params import Listing, parse_listing
from wijkwijzer.web.pages.shapes import Link
from wijkwijzer.web.urls import AFDRUK, KEUZE, Query, Urls

DEFAULT_PER_PAGE: int = Zoekvraag.model_fields["per_page"].default


@dataclass(frozen=True)
class Gekozen:
    """An approach ticked for comparison, as the listing shows it."""

    slug: str
    naam: str


@dataclass(frozen=True)
class Herkomst:
    """The listing a page was opened from: its state, the way back, a crumb's label."""

    staat: Query
    terug_url: str
    label: str


def wants_print(request: Request) -> bool:
    """Does the request ask for the print view (``?afdruk=1``)?"""
    name, value = AFDRUK
    return request.query_params.get(name) == value


def listing_state(items: Iterable[tuple[str, str]]) -> Listing | None:
    """The listing state a detail or comparison URL carries, if any (and if usable)."""
    listing = parse_listing(items)
    if not listing.query.pairs or listing.fout is not None:
        return None
    return listing


def herkomst(listing: Listing | None, urls: Urls, keuze: Sequence[str] | None = None) -> Herkomst:
    """The way back to the listing `listing` (its ticks replaced by `keuze`, if given)."""
    if listing is None:
        staat = Query() if keuze is None else Query().plus(KEUZE, keuze)
        return Herkomst(staat, urls.results(staat), "Alle aanpakken")
    staat = listing.query if keuze is None else listing.query.plus(KEUZE, keuze)
    vraag = listing.vraag
    label = "Zoekresultaten" + (f" voor ‘{vraag.q}’" if vraag.q else "")
    if vraag.page > 1:
        label += f", pagina {vraag.page}"
    return Herkomst(staat, urls.results(staat), label)


def ticked(catalogue: Catalogue, query: Query) -> tuple[list[Gekozen], Query]:
    """The approaches ticked in `query` that exist, and the query without the others."""
    facets = catalogue.versie().facets
    asked = query.getall(KEUZE)
    known = [Gekozen(a.slug, a.naam) for s in asked if (a := facets.by_slug(s)) is not None]
    if len(known) == len(asked):
        return known, query
    return known, query.plus(KEUZE, [g.slug for g in known])


def page_size_links(resultaat: Resultaat, query: Query, urls: Urls) -> list[Link]:
    """ "Toon alle" when every result fits on one page (of at most ``MAX_PER_PAGE``), and
    the way back to the usual page size from such a page."""
    links = []
    if resultaat.pages > 1 and resultaat.total <= MAX_PER_PAGE:
        alle = query.with_value("per_page", str(MAX_PER_PAGE))
        links.append(
            Link(f"Toon alle {resultaat.total} aanpakken op één pagina", urls.results(alle))
        )
    if resultaat.per_page > DEFAULT_PER_PAGE and resultaat.total > DEFAULT_PER_PAGE:
        gewoon = query.without("per_page", "page")
        links.append(Link(f"Toon {DEFAULT_PER_PAGE} per pagina", urls.results(gewoon)))
    return links
