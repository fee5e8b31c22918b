"""HTML pages, rendered from the same answers the API gives.

Every page works without JavaScript; every state of the listing is a GET URL
(read in ``params.py``; the listing itself is ``listing.py``). Templates live in
``templates/`` (base, partials, one per page) and take every link from ``urls``,
the request's ``Urls``. A detail or comparison page opened from a listing
carries its state and offers the way back (``staat.py``); ``?afdruk=1`` is any
page's print view.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from wijkwijzer.catalogue import comparison
from wijkwijzer.catalogue.answers import Trede
from wijkwijzer.catalogue.comparison import MAX_VERGELIJK
from wijkwijzer.catalogue.errors import OngeldigeVraag
from wijkwijzer.catalogue.facets import GELDIGHEID
from wijkwijzer.catalogue.question import MAX_PER_PAGE, Sortering, Zoekvraag
from wijkwijzer.catalogue.recognition import GELDT, datum
from wijkwijzer.catalogue.records import Detail
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import PACKAGE_DIR
from wijkwijzer.corpus.validity import TERMIJN_LABELS
from wijkwijzer.web.deps import CatalogueDep, TemplatesDep, UrlsDep
from wijkwijzer.web.pages.params import compare_slugs
from wijkwijzer.web.pages.staat import herkomst, listing_state, wants_print
from wijkwijzer.web.pages.structured import aanpak_jsonld, script_json
from wijkwijzer.web.urls import KEUZE, Query, Urls

STATIC_DIR = PACKAGE_DIR / "static"

router = APIRouter(include_in_schema=False)


def render(
    request: Request,
    templates: Jinja2Templates,
    name: str,
    context: Mapping[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    """The template `name` with `context` and the request's links (``urls``)."""
    response: HTMLResponse = templates.TemplateResponse(
        request, name, {"urls": Urls.of(request), **context}, status_code=status_code
    )
    return response


def fout(request: Request, templates: Jinja2Templates, exc: OngeldigeVraag) -> HTMLResponse:
    """An `OngeldigeVraag` as a page that explains, in Dutch, what was wrong."""
    context = {"fout": str(exc), "parameter": exc.parameter, "allowed": exc.allowed}
    return render(request, templates, "fout.html", context, status_code=400)


async def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """Any other error on a page (404 for an unknown path, ...) as an HTML page in Dutch.

    For ``errors.install(app, fallback_html=pages.error_page)``.
    """
    templates: Jinja2Templates = request.app.state.templates
    context = {"status": status, "fout": detail if status == 400 else None}
    return render(request, templates, "fout.html", context, status_code=status)


# -- one approach -----------------------------------------------------------------------


@router.get("/aanpak/{slug}", response_class=HTMLResponse)
def aanpak(
    slug: str, request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """Every field of one approach; a 404 page with close matches for an unknown slug."""
    found = catalogue.get(slug)
    if found is None:
        missing = {
            "slug": slug,
            "matches": catalogue.close_matches(slug),
            "zoek_url": urls.listing(Query((("q", slug.replace("-", " ")[:100]),))),
        }
        return render(request, templates, "niet_gevonden.html", missing, status_code=404)
    page = urls.absolute(urls.aanpak(found.slug))
    listing = listing_state(request.query_params.multi_items())
    van = herkomst(listing, urls)
    staat = van.staat if listing else Query()
    keuze = list(dict.fromkeys([*staat.getall(KEUZE), found.slug]))
    context = {
        "aanpak": found,
        "herkomst": van if listing else None,
        "staat": staat,
        "vergelijk_url": urls.vergelijk(keuze, staat),
        "met_keuze": len(keuze) > 1,
        "afdruk": wants_print(request),
        "afdruk_url": urls.aanpak(found.slug, staat, afdruk=True),
        "pagina_url": urls.aanpak(found.slug, staat),
        "canonical": page,
        "noindex": wants_print(request),
        "og_type": "article",
        "oembed_url": urls.absolute(urls.oembed(page)),
        "jsonld": script_json(aanpak_jsonld(found, urls)),
        "json_url": urls.api_aanpak(found.slug),
    }
    return render(request, templates, "aanpak.html", context)


# -- comparison -------------------------------------------------------------------------


def choose(catalogue: Catalogue, slugs: list[str]) -> tuple[list[Detail], list[str]]:
    """The approaches to compare (or the one chosen so far), and messages about the rest."""
    meldingen = []
    if len(slugs) > MAX_VERGELIJK:
        meldingen.append(
            f"U kunt tot {MAX_VERGELIJK} aanpakken tegelijk vergelijken; "
            f"de eerste {MAX_VERGELIJK} staan hieronder."
        )
        slugs = slugs[:MAX_VERGELIJK]
    details = {s: d for s in slugs if (d := catalogue.get(s)) is not None}
    unknown = [s for s in slugs if s not in details]
    if unknown:
        meldingen.append(f"Niet gevonden en weggelaten: {', '.join(unknown)}.")
    if len(details) >= 2:
        return catalogue.compare(list(details)), meldingen
    return list(details.values()), meldingen


@router.get("/vergelijk", response_class=HTMLResponse)
def vergelijk(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """2–4 approaches side by side; with fewer, an invitation to choose."""
    asked = [s.strip() for s in request.query_params.getlist("slug") if s]
    slugs = compare_slugs(asked)
    try:
        aanpakken, meldingen = choose(catalogue, slugs)
    except OngeldigeVraag as exc:
        return fout(request, templates, exc)
    if twice := [s for s in slugs if asked.count(s) > 1]:
        meldingen.insert(0, f"Meer dan eens gevraagd en één keer getoond: {', '.join(twice)}.")
    chosen = [a.slug for a in aanpakken]
    only_differences = request.query_params.get("verschillen") == "1"
    alle = catalogue.listing(Zoekvraag(per_page=MAX_PER_PAGE, sort=Sortering.NAAM)).items
    listing = listing_state(request.query_params.multi_items())
    van = herkomst(listing, urls, chosen)
    staat = listing.query.without(KEUZE) if listing else Query()
    verschillen = {"verschillen": "1"} if only_differences and len(aanpakken) > 1 else {}
    context = {
        "aanpakken": aanpakken,
        "meldingen": meldingen,
        "verschilt": {rij.veld: rij.verschillend for rij in comparison.vergelijk(aanpakken)},
        "alleen_verschillen": bool(verschillen),
        "verschillen_url": urls.vergelijk(chosen, staat, verschillen="1"),
        "alles_url": urls.vergelijk(chosen, staat),
        "verwijder": {s: urls.vergelijk([c for c in chosen if c != s], staat) for s in chosen},
        "kandidaten": [a for a in alle if a.slug not in chosen],
        "toevoegen": {a.slug: urls.vergelijk([*chosen, a.slug], staat) for a in alle},
        "kan_toevoegen": len(chosen) < MAX_VERGELIJK,
        "staat": staat,
        "herkomst": van,
        "aanpak_staat": van.staat if listing else Query(),
        "terug_label": "Terug naar de resultaten" if listing else "Naar alle aanpakken",
        "afdruk": wants_print(request),
        "afdruk_url": urls.vergelijk(chosen, staat, **verschillen, afdruk="1"),
        "noindex": wants_print(request),
        "json_url": urls.api_vergelijk(chosen),
        "csv_url": urls.api_vergelijk(chosen, csv=True),
        "peildatum": datum(catalogue.today()),
        "pagina_url": urls.absolute(urls.vergelijk(chosen)),
        "canonical": urls.absolute(urls.vergelijk(chosen)),
    }
    return render(request, templates, "vergelijk.html", context)


# -- recognition levels and about ---------------------------------------------------------


@router.get("/erkenning", response_class=HTMLResponse)
def erkenning(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """The recognition ladder: definitions, validity, counts (chart and table), approaches."""
    ladder: list[Trede] = catalogue.ladder()
    verlopen = [a for n in ladder for a in n.aanpakken if a.erkenning.status == "verlopen"]
    context = {
        "nav": "erkenning",
        "ladder": ladder,
        "overzicht": catalogue.overzicht(),
        "termijnen": TERMIJN_LABELS,
        "verlopen": verlopen,
        "max_count": max([n.count for n in ladder] + [1]),
        "doelgroepen": [(c.code, c.label) for c in ladder[0].per_doelgroep] if ladder else [],
        "query_geldig": Query(tuple((GELDIGHEID, code) for code in GELDT)),
        "canonical": urls.absolute(urls.erkenning()),
        "json_url": urls.api_erkenningsniveaus(),
        "csv_url": urls.api_csv(Query((("sort", Sortering.ERKENNINGSNIVEAU.value),))),
    }
    return render(request, templates, "erkenning.html", context)


@router.get("/over", response_class=HTMLResponse)
def over(
    request: Request, catalogue: CatalogueDep, templates: TemplatesDep, urls: UrlsDep
) -> HTMLResponse:
    """What the catalogue is, its sources, licence, how to cite, API and open data."""
    versie = catalogue.versie()
    context = {
        "nav": "over",
        "bronnen": versie.corpus.vocabulaire.bronnen,
        "aantal": len(versie.corpus.aanpakken),
        "versie": versie.hash,
        "laatst_gewijzigd": versie.laatst_gewijzigd,
        "canonical": urls.absolute(urls.over()),
    }
    return render(request, templates, "over.html", context)
