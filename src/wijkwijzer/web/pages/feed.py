"""``/feed.atom``: the changes of the catalogue as an Atom feed (RFC 4287), newest first.

The feed takes the search page's filters (``/feed.atom?doelgroep=jongeren`` follows
``/?doelgroep=jongeren``) and reads them as the page does, with the lenient
``parse_listing``: a feed's URL is a page's URL, and a feed reader shows no
error, so a value the page would drop is dropped here too, and the feed's
subtitle says so. Order, page and page size do not apply: a feed is newest
first, at most ``MAX_WIJZIGINGEN`` entries (``catalogue/changes.py``).

Each approach is one entry, its id the absolute URL of its page: a later change
is the same entry with a later ``updated``. A removed approach stays an entry
(without a page to link to; its content says when it went). The XML is built
with ElementTree, never by pasting text together.
"""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wijkwijzer import __version__
from wijkwijzer.catalogue.changes import MAX_WIJZIGINGEN, Soort, Wijziging, Wijzigingen
from wijkwijzer.catalogue.facets import FACETS
from wijkwijzer.catalogue.question import Filtervraag
from wijkwijzer.catalogue.recognition import datum
from wijkwijzer.corpus.vocabulary import Vocabulaire
from wijkwijzer.web.deps import CatalogueDep, TemplatesDep, UrlsDep
from wijkwijzer.web.pages.params import parse_listing
from wijkwijzer.web.pages.routes import fout
from wijkwijzer.web.pages.shapes import feed_title
from wijkwijzer.web.urls import FEED, Query, Urls

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 does not allow (a search text may hold them): left out of the feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WHAT = {
    Soort.NIEUW: "Nieuw in de catalogus op {datum}.",
    Soort.GEWIJZIGD: "Gewijzigd op {datum}.",
    Soort.VERWIJDERD: "Op {datum} uit de catalogus verwijderd.",
}

router = APIRouter(include_in_schema=False)


def rfc3339(moment: datetime) -> str:
    """A moment as RFC 3339 in UTC: ``2026-12-06T09:30:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = NOT_XML.sub("", text)
    return element


def _link(parent: ET.Element, rel: str, href: str, kind: str, title: str = "") -> None:
    attributes = {"rel": rel, "href": href, "type": kind}
    if title:
        attributes["title"] = NOT_XML.sub("", title)
    ET.SubElement(parent, "link", attributes)


def named_filters(vraag: Filtervraag, vocabulaire: Vocabulaire) -> list[str]:
    """What a feed is narrowed to, in words, as the page names it (``shapes.filter_names``)."""
    names = [f"‘{vraag.q.strip()}’"] if vraag.q.strip() else []
    chosen = vraag.filters
    for spec in FACETS:
        names += [spec.value_label(vocabulaire, code) for code in chosen.get(spec.name, ())]
    if vraag.leeftijd is not None:
        names.append(f"{vraag.leeftijd} jaar")
    return names


def subtitle(wijzigingen: Wijzigingen, meldingen: tuple[str, ...]) -> str:
    """What the feed holds, and what of its URL was dropped (as the page says it)."""
    kinds = "Nieuwe en gewijzigde" if wijzigingen.gefilterd else "Nieuwe, gewijzigde en verwijderde"
    parts = [
        f"{kinds} aanpakken in de WijkWijzer-catalogus, nieuwste eerst "
        f"(hoogstens {MAX_WIJZIGINGEN})."
    ]
    if wijzigingen.gefilterd:
        parts.append("Verwijderde aanpakken staan alleen in de feed zonder filters.")
    return " ".join([*parts, *meldingen])


def entry(feed: ET.Element, item: Wijziging, urls: Urls) -> None:
    element = ET.SubElement(feed, "entry")
    page = urls.absolute(urls.aanpak(item.slug))
    _text(element, "id", page)
    removed = item.soort == Soort.VERWIJDERD
    _text(element, "title", f"{item.naam} (verwijderd)" if removed else item.naam)
    _text(element, "updated", rfc3339(item.bijgewerkt))
    _text(element, "published", rfc3339(item.eerst_gezien))
    what = WHAT[item.soort].format(datum=datum(item.bijgewerkt))
    if removed:
        _text(element, "content", f"{what} {item.naam} staat niet meer in de catalogus.")
    else:
        _link(element, "alternate", page, "text/html", item.naam)
        _link(element, "alternate", urls.absolute(urls.api_aanpak(item.slug)), "application/json")
    ET.SubElement(element, "category", {"term": item.soort.value, "label": item.soort.value})
    _text(element, "summary", f"{what} {item.doel}")


def atom(
    wijzigingen: Wijzigingen,
    query: Query,
    names: list[str],
    meldingen: tuple[str, ...],
    urls: Urls,
) -> bytes:
    """The Atom document of `wijzigingen`, the changes of the listing `query`."""
    self_url = urls.absolute(urls.feed(query))
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "nl"})
    _text(feed, "id", self_url)
    _text(feed, "title", feed_title(names))
    _text(feed, "subtitle", subtitle(wijzigingen, meldingen))
    _text(feed, "updated", rfc3339(wijzigingen.bijgewerkt))
    author = ET.SubElement(feed, "author")
    _text(author, "name", "WijkWijzer")
    _text(author, "uri", urls.absolute(urls.over()))
    _link(feed, "self", self_url, ATOM)
    listing = query.without("page", "per_page", "sort")
    _link(feed, "alternate", urls.absolute(urls.listing(listing)), "text/html")
    _text(feed, "generator", "WijkWijzer", version=__version__)
    _text(feed, "icon", urls.absolute(urls.static("favicon.svg")))
    for item in wijzigingen.items:
        entry(feed, item, urls)
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


@router.get(FEED)
def feed(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> Response:
    """The changes of the listing the query names, newest first, as Atom."""
    listing = parse_listing(request.query_params.multi_items())
    if listing.fout is not None:
        return fout(request, templates, listing.fout)
    wijzigingen = catalogue.changes(listing.vraag)
    vocabulaire = catalogue.versie().corpus.vocabulaire
    names = named_filters(listing.vraag, vocabulaire)
    body = atom(wijzigingen, listing.query, names, listing.meldingen, urls)
    return Response(body, media_type=f"{ATOM}; charset=utf-8")
