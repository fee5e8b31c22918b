"""For search engines and browsers: ``/sitemap.xml``, ``/robots.txt``, ``/opensearch.xml``.

The sitemap (sitemaps.org 0.9) lists the main pages and every approach's page,
absolute on the request's base, each with ``lastmod``: when a load last changed
that approach (its history, ``catalogue/changes.py``); the main pages get the
catalogue's last change. ``robots.txt`` names
the sitemap and keeps crawlers off the frames for other sites. The OpenSearch
description lets a browser add the catalogue's search (the pages point at it
with ``<link rel="search">``).
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from wijkwijzer.web.deps import CatalogueDep, UrlsDep

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH = "application/opensearchdescription+xml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'

router = APIRouter(include_in_schema=False)


def _url(loc: str, lastmod: datetime) -> str:
    """One ``<url>``; `lastmod` in W3C Datetime, to the second, in UTC."""
    modified = lastmod.astimezone(UTC).isoformat(timespec="seconds")
    return f"  <url><loc>{escape(loc)}</loc><lastmod>{modified}</lastmod></url>\n"


@router.get("/sitemap.xml")
def sitemap(catalogue: CatalogueDep, urls: UrlsDep) -> Response:
    """The main pages and every approach's page, with the date each last changed."""
    versie = catalogue.versie()
    latest = versie.laatst_gewijzigd
    main = [urls.listing(), urls.erkenning(), urls.over()]
    lines = [_url(urls.absolute(link), latest) for link in main]
    for aanpak in versie.corpus.aanpakken:
        historie = versie.historie.get(aanpak.slug)
        changed = historie.laatst_gewijzigd if historie else latest
        lines.append(_url(urls.absolute(urls.aanpak(aanpak.slug)), changed))
    body = f'{XML_HEAD}<urlset xmlns="{SITEMAP_NS}">\n{"".join(lines)}</urlset>\n'
    return Response(body, media_type="application/xml")


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots(urls: UrlsDep) -> str:
    """Every page may be indexed, except the frames for other sites; where the sitemap is."""
    embed, oembed = (urlsplit(urls.absolute(link)).path for link in (urls.embed(), urls.oembed()))
    return (
        "User-agent: *\n"
        f"Disallow: {embed}\n"
        f"Disallow: {oembed}\n"
        f"Sitemap: {urls.absolute(urls.sitemap())}\n"
    )


@router.get("/opensearch.xml")
def opensearch(urls: UrlsDep) -> Response:
    """An OpenSearch 1.1 description: search the catalogue from the browser's search box."""
    page = urls.absolute(urls.listing()) + "?q={searchTerms}"
    api = urls.absolute(urls.api_listing()) + "?q={searchTerms}"
    body = (
        f'{XML_HEAD}<OpenSearchDescription xmlns="{OPENSEARCH_NS}">\n'
        "  <ShortName>WijkWijzer</ShortName>\n"
        "  <Description>Zoek methodische aanpakken voor leefbare wijken en buurten"
        "</Description>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n"
        "  <Language>nl-NL</Language>\n"
        f'  <Image width="16" height="16" type="image/svg+xml">'
        f"{escape(urls.absolute(urls.static('favicon.svg')))}</Image>\n"
        f'  <Url type="text/html" method="get" template={quoteattr(page)}/>\n'
        f'  <Url type="application/json" method="get" template={quoteattr(api)}/>\n'
        f'  <Url type="{OPENSEARCH}" rel="self" '
        f"template={quoteattr(urls.absolute(urls.opensearch()))}/>\n"
        "</OpenSearchDescription>\n"
    )
    return Response(body, media_type=OPENSEARCH)
