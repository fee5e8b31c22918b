"""The search page ``/``: search box, filters, chips, results, sort, pages, and its print view.

Every state is a GET URL (read in ``params.py``); the one form of the page
(search text, filters, the ticks for comparison) lands on the results heading
(``#resultaten``), so after a search or a filter the results are a Tab away,
with or without JavaScript. Its "Vergelijk" button sends the ticks here first
(``naar_vergelijking``), and this answers with the comparison carrying the
listing's state, so the comparison has a way back.
"""

from dataclasses import replace
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from wijkwijzer.catalogue.comparison import MAX_VERGELIJK
from wijkwijzer.catalogue.question import (
    GELDIG_TOT_VOLGORDE,
    MAX_PAGE,
    MAX_PER_PAGE,
    NIVEAU_VOLGORDE,
    Sortering,
)
from wijkwijzer.catalogue.recognition import datum
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.web.deps import CatalogueDep, TemplatesDep, UrlsDep
from wijkwijzer.web.inline import answer
from wijkwijzer.web.pages.params import Listing, canonical, compare_slugs, parse_listing
from wijkwijzer.web.pages.routes import fout, render
from wijkwijzer.web.pages.shapes import (
    Link,
    chips,
    embed_snippet,
    facet_views,
    feed_title,
    filter_names,
    listing_title,
    neighbour,
    page_links,
    sort_links,
)
from wijkwijzer.web.pages.staat import page_size_links, ticked, wants_print
from wijkwijzer.web.urls import KEUZE, Urls

router = APIRouter(include_in_schema=False)

# The name of the results form's "Vergelijk" button; its value is the page it was on.
NAAR_VERGELIJKING = "naar_vergelijking"


def alternatives(catalogue: Catalogue, active: list[Link]) -> list[Link]:
    """For an empty result: how many results there would be without each filter."""
    result = []
    for chip in active[:8]:
        assert chip.query is not None
        vraag = parse_listing(chip.query.pairs).vraag
        count = catalogue.listing(
            vraag.model_copy(update={"sort": None, "page": 1, "per_page": 1})
        ).total
        result.append(Link(chip.label, chip.url, count=count))
    return [a for a in result if a.count]


def to_comparison(request: Request, listing: Listing, urls: Urls) -> RedirectResponse:
    """The ticked approaches side by side, with the state of the page they were ticked on."""
    page = request.query_params.get(NAAR_VERGELIJKING, "")
    number = int(page) if page.isdigit() and 1 <= int(page) <= MAX_PAGE else 1
    staat = listing.query.on_page(number)
    # the ticks as sent (not capped): the comparison says what it leaves out
    slugs = compare_slugs(request.query_params.getlist(KEUZE))
    return RedirectResponse(urls.vergelijk(slugs, staat), status_code=303)


@router.get("/", response_class=HTMLResponse)
async def index(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> Response:
    """Zoeken en filteren: search box, facets, chips, results, sort, pages."""
    return await answer(catalogue, partial(search_page, request, catalogue, templates, urls))


def search_page(
    request: Request, catalogue: Catalogue, templates: Jinja2Templates, urls: Urls
) -> Response:
    """The search page of `request` (``index``)."""
    items = request.query_params.multi_items()
    listing = parse_listing(items)
    if NAAR_VERGELIJKING in request.query_params:
        return to_comparison(request, listing, urls)
    if not listing.meldingen and any(not value.strip() for _, value in items):
        # a form sends its empty fields (leeftijd=): redirect to the clean, shareable URL
        # (the browser keeps the form's #resultaten)
        return RedirectResponse(urls.listing(listing.query), status_code=303)
    if listing.fout is not None:
        return fout(request, templates, listing.fout)
    if wants_print(request):
        return print_view(request, catalogue, templates, urls, listing)
    resultaat = catalogue.listing(listing.vraag)
    gekozen, query = ticked(catalogue, listing.query)
    listing = replace(listing, query=query)  # every link without ticks of unknown approaches
    vraag = listing.vraag
    facets = facet_views(resultaat, query, urls)
    active = chips(facets, listing, urls)
    titel = listing_title(resultaat, listing, facets)
    canonical_url = urls.absolute(urls.listing(canonical(listing)))
    on_page = {a.slug for a in resultaat.items}
    context = {
        "nav": "zoeken",
        "titel": titel,
        "canonical": canonical_url,
        "oembed_url": urls.absolute(urls.oembed(canonical_url)),
        "insluitcode": embed_snippet(
            urls, query, listing_title(resultaat, listing, facets, page=False)
        ),
        "resultaat": resultaat,
        "vraag": vraag,
        "query": query,
        "meldingen": listing.meldingen,
        "facets": facets,
        "chips": active,
        "filters_gekozen": len(active) - bool(vraag.q),
        "wis_url": urls.results(query.only(KEUZE)),
        "sorts": sort_links(resultaat, listing, urls),
        "pages": page_links(resultaat, query, urls) if resultaat.pages > 1 else [],
        "vorige": neighbour(resultaat, query, urls, resultaat.page - 1),
        "volgende": neighbour(resultaat, query, urls, resultaat.page + 1),
        "paginagrootte": page_size_links(resultaat, query, urls),
        "gekozen": {g.slug for g in gekozen},
        "elders": [g for g in gekozen if g.slug not in on_page],
        "max_vergelijk": MAX_VERGELIJK,
        "naar_vergelijking": NAAR_VERGELIJKING,
        "suggestie_url": urls.results(query.with_value("q", resultaat.suggestion))
        if resultaat.suggestion
        else None,
        "alternatieven": alternatives(catalogue, active) if not resultaat.total else [],
        "afdruk_url": urls.listing_print(query),
        "csv_url": urls.api_csv(query),
        "json_url": urls.api_listing(query),
        "feed_url": urls.absolute(urls.feed(query)),
        "feed_titel": feed_title(filter_names(facets, listing)),
        "pagina_bestaat_niet": bool(resultaat.total) and vraag.page > resultaat.pages,
        "toon_zonder_leeftijd": vraag.leeftijd is not None,
        "volgorde": {
            Sortering.ERKENNINGSNIVEAU: NIVEAU_VOLGORDE,
            Sortering.GELDIG_TOT: GELDIG_TOT_VOLGORDE,
        },
    }
    return render(request, templates, "index.html", context)


def print_view(
    request: Request, catalogue: Catalogue, templates: TemplatesDep, urls: Urls, listing: Listing
) -> HTMLResponse:
    """The listing's results on one page (at most ``MAX_PER_PAGE``), without controls."""
    resultaat = catalogue.listing(listing.vraag.op_pagina(1, MAX_PER_PAGE))
    query = listing.query.without("page", "per_page")
    facets = facet_views(resultaat, query, urls)
    context = {
        "titel": listing_title(resultaat, listing, facets, page=False),
        "resultaat": resultaat,
        "canonical": urls.absolute(urls.listing(canonical(listing))),
        "noindex": True,
        "afdruk": True,
        "pagina_url": urls.absolute(urls.listing(query.without(KEUZE))),
        "terug_url": urls.results(query),
        "peildatum": datum(resultaat.peildatum),
        "staat": query,
        "feed_url": urls.absolute(urls.feed(query)),
    }
    return render(request, templates, "lijst_afdruk.html", context)
