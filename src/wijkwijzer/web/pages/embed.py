"""Embedding on other sites: ``/embed`` (a frameable list), one approach's card, and oEmbed.

``/embed?…`` takes the same parameters as ``/`` (read by ``parse_listing``) and
shows the first page of that listing compactly: no JavaScript, its own small
stylesheet, links that open in the embedding page's window (``target="_top"``)
and a line naming the source. ``/embed/aanpak/{slug}`` does the same for one
approach. Only these answers may be framed by another site (their policy is set
in ``web/middleware/security.py``).

``/oembed?url=…&format=json`` (oEmbed 1.0, type ``rich``) answers for a results
page (``/?…``) and an approach's page (``/aanpak/{slug}``) of this site, on the
request's base; any other URL is a 404, and ``format=xml`` a 501.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.web.deps import CatalogueDep, TemplatesDep, UrlsDep
from wijkwijzer.web.errors import problem
from wijkwijzer.web.pages.params import parse_listing
from wijkwijzer.web.pages.routes import fout, render
from wijkwijzer.web.pages.shapes import (
    CARD_HEIGHT,
    HEIGHT,
    PROVIDER,
    WIDTH,
    facet_views,
    iframe,
    listing_title,
)
from wijkwijzer.web.urls import KEUZE, Urls

router = APIRouter(include_in_schema=False)


@router.get("/embed", response_class=HTMLResponse)
def embed(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """The first page of a listing, compact, for a frame on another site."""
    listing = parse_listing(request.query_params.multi_items())
    if listing.fout is not None:
        return fout(request, templates, listing.fout)
    vraag = listing.vraag.model_copy(update={"page": 1})
    resultaat = catalogue.listing(vraag)
    views = facet_views(resultaat, listing.query, urls)
    titel = listing_title(resultaat, listing, views, page=False)
    context = {
        "titel": titel,
        "items": resultaat.items,
        "total": resultaat.total,
        "meer_url": urls.absolute(urls.listing(listing.query.without("page", KEUZE))),
    }
    return render(request, templates, "embed.html", context)


@router.get("/embed/aanpak/{slug}", response_class=HTMLResponse)
def embed_aanpak(
    slug: str, request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """One approach as a compact card, for a frame on another site."""
    found = catalogue.get(slug)
    if found is None:
        context = {"titel": "Aanpak niet gevonden", "items": [], "total": 0, "meer_url": None}
        return render(request, templates, "embed.html", context, status_code=404)
    context = {
        "titel": found.naam,
        "items": [found],
        "total": 1,
        "meer_url": urls.absolute(urls.aanpak(slug)),
        "kaart": True,
    }
    return render(request, templates, "embed.html", context)


# -- oEmbed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Insluiting:
    """What a page of this site looks like embedded: its frame's source, title and size."""

    src: str
    title: str
    height: int


def insluiting(catalogue: Catalogue, urls: Urls, page: str) -> Insluiting | None:
    """The embedding of the absolute URL `page`, if it is a results or an approach's page."""
    base = urls.base
    if page == base:  # the site itself is its first page of results
        page = base + urls.listing()
    if not page.startswith(base + "/"):
        return None
    parts = urlsplit(page[len(base) :])
    if parts.path == urls.listing():
        listing = parse_listing(parse_qsl(parts.query))
        if listing.fout is not None:
            return None
        resultaat = catalogue.listing(listing.vraag.model_copy(update={"page": 1}))
        views = facet_views(resultaat, listing.query, urls)
        title = f"{listing_title(resultaat, listing, views, page=False)} – {PROVIDER}"
        return Insluiting(urls.absolute(urls.embed(listing.query)), title, HEIGHT)
    prefix = urls.aanpak("")
    slug = parts.path[len(prefix) :] if parts.path.startswith(prefix) else ""
    if not slug or parts.query or "/" in slug:
        return None
    found = catalogue.get(slug)
    if found is None:
        return None
    title = f"{found.naam} – {PROVIDER}"
    return Insluiting(urls.absolute(urls.embed_aanpak(slug)), title, CARD_HEIGHT)


def _size(value: str | None, default: int) -> int:
    """A consumer's ``maxwidth``/``maxheight`` bounds our size; one that is no number is ignored."""
    if value is not None and value.strip().isdigit() and int(value) > 0:
        return min(default, int(value))
    return default


@router.get("/oembed")
def oembed(request: Request, catalogue: CatalogueDep, urls: UrlsDep) -> Response:
    """oEmbed 1.0 (type rich) for a results page or an approach's page of this site."""
    params = request.query_params
    page = (params.get("url") or "").strip()
    kind = params.get("format") or "json"
    if kind != "json":
        detail = f"het formaat {kind!r} wordt niet ondersteund; gebruik format=json"
        return problem(request, 501, detail, title="Niet ondersteund")
    found = insluiting(catalogue, urls, page)
    if found is None:
        detail = (
            "geen pagina van deze site die kan worden ingesloten: "
            f"alleen {urls.absolute(urls.listing())}?… en {urls.absolute(urls.aanpak(''))}…"
        )
        return problem(request, 404, detail)
    width = _size(params.get("maxwidth"), WIDTH)
    height = _size(params.get("maxheight"), found.height)
    body: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": found.title,
        "provider_name": PROVIDER,
        "provider_url": urls.absolute(urls.listing()),
        "html": iframe(found.src, found.title, width, height),
        "width": width,
        "height": height,
        "cache_age": 300,
    }
    return JSONResponse(body)
