"""HTML pages, rendered from the same objects the API returns.

Every page works without JavaScript; every state of the listing is a GET URL
(see ``urls.py``). The templates live in ``templates/`` (base, partials, one per page).
"""

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from wijkwijzer.catalogue.facets import FACET_NAMES
from wijkwijzer.catalogue.listing import (
    MAX_PER_PAGE,
    NiveauOverzicht,
    OngeldigeVraag,
    Resultaat,
    Sortering,
    Zoekvraag,
)
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.catalogue.shapes import API_PREFIX, AanpakDetail
from wijkwijzer.config import PACKAGE_DIR
from wijkwijzer.web.deps import CatalogueDep, TemplatesDep
from wijkwijzer.web.urls import (
    Link,
    Listing,
    Query,
    chips,
    compare_url,
    facet_views,
    page_links,
    parse_listing,
)

STATIC_DIR = PACKAGE_DIR / "static"
MAX_VERGELIJK = 4
SORT_LABELS = {
    Sortering.RELEVANTIE: "relevantie",
    Sortering.NAAM: "naam (A–Z)",
    Sortering.ERKENNINGSNIVEAU: "erkenningsniveau (sterkste eerst)",
}

router = APIRouter(include_in_schema=False)


def render(
    request: Request,
    templates: Jinja2Templates,
    name: str,
    context: Mapping[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    response: HTMLResponse = templates.TemplateResponse(
        request, name, dict(context), status_code=status_code
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


# -- the listing ------------------------------------------------------------------------


def answer(catalogue: Catalogue, listing: Listing) -> tuple[Resultaat, Listing]:
    """List; a filter value the catalogue does not know is dropped (with a message)."""
    for _ in range(len(FACET_NAMES) + 1):
        try:
            return catalogue.listing(listing.vraag), listing
        except OngeldigeVraag as exc:
            if exc.parameter not in FACET_NAMES:
                raise
            listing = listing.without_unknown(exc.parameter, exc.allowed)
    return catalogue.listing(listing.vraag), listing


def alternatives(catalogue: Catalogue, active: list[Link]) -> list[Link]:
    """For an empty result: how many results there would be without each filter."""
    result = []
    for chip in active[:8]:
        assert chip.query is not None
        vraag = parse_listing(chip.query.pairs).vraag
        count = catalogue.listing(
            Zoekvraag(vraag.q, vraag.filters, vraag.leeftijd, per_page=1)
        ).total
        result.append(Link(chip.label, chip.url, count=count))
    return [a for a in result if a.count]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, catalogue: CatalogueDep, templates: TemplatesDep) -> Response:
    """Zoeken en filteren: search box, facets, chips, results, sort, pages."""
    items = request.query_params.multi_items()
    listing = parse_listing(items)
    if not listing.meldingen and any(not value.strip() for _, value in items):
        # a form sends its empty fields (leeftijd=): redirect to the clean, shareable URL
        return RedirectResponse(listing.query.url(), status_code=303)
    try:
        resultaat, listing = answer(catalogue, listing)
    except OngeldigeVraag as exc:
        return fout(request, templates, exc)
    query, vraag = listing.query, listing.vraag
    facets = facet_views(resultaat, query)
    active = chips(facets, listing)
    sorts = [
        Link(label, query.with_value("sort", sort.value).url(), current=sort == resultaat.sort)
        for sort, label in SORT_LABELS.items()
        if vraag.q or sort != Sortering.RELEVANTIE
    ]

    def neighbour(page: int) -> str | None:
        if not (resultaat.total and 1 <= page <= resultaat.pages):
            return None
        return (query.without("page") if page == 1 else query.with_value("page", str(page))).url()

    context = {
        "nav": "zoeken",
        "resultaat": resultaat,
        "vraag": vraag,
        "query": query,
        "meldingen": listing.meldingen,
        "facets": facets,
        "chips": active,
        "sorts": sorts,
        "pages": page_links(resultaat, query) if resultaat.pages > 1 else [],
        "vorige": neighbour(resultaat.page - 1),
        "volgende": neighbour(resultaat.page + 1),
        "suggestie_url": query.with_value("q", resultaat.suggestion).url()
        if resultaat.suggestion
        else None,
        "alternatieven": alternatives(catalogue, active) if not resultaat.total else [],
        "csv_url": query.without("page", "per_page").url(f"{API_PREFIX}/approaches.csv"),
        "pagina_bestaat_niet": bool(resultaat.total) and vraag.page > resultaat.pages,
    }
    return render(request, templates, "index.html", context)


# -- one approach -----------------------------------------------------------------------


@router.get("/aanpak/{slug}", response_class=HTMLResponse)
def aanpak(
    slug: str, request: Request, catalogue: CatalogueDep, templates: TemplatesDep
) -> HTMLResponse:
    """Every field of one approach; a 404 page with close matches for an unknown slug."""
    found = catalogue.get(slug)
    if found is None:
        missing = {
            "slug": slug,
            "matches": catalogue.close_matches(slug),
            "zoek_url": Query((("q", slug.replace("-", " ")[:100]),)).url(),
        }
        return render(request, templates, "niet_gevonden.html", missing, status_code=404)
    context = {"aanpak": found, "vergelijk_url": compare_url([found.slug])}
    return render(request, templates, "aanpak.html", context)


# -- comparison -------------------------------------------------------------------------

DIFFERENCES: dict[str, Callable[[AanpakDetail], object]] = {
    "erkenning": lambda a: a.erkenning.niveau,
    "databank": lambda a: a.erkenning.databank,
    "jaar": lambda a: a.erkenning.jaar,
    "geldigheid": lambda a: a.erkenning.geldigheid,
    "categorie": lambda a: a.categorie.code,
    "vorm": lambda a: a.vorm.code,
    "doelgroepen": lambda a: tuple(d.code for d in a.doelgroepen),
    "leeftijd": lambda a: (a.leeftijd_min, a.leeftijd_max),
    "doel": lambda a: a.doel,
    "doelgroep": lambda a: a.doelgroep,
    "omschrijving": lambda a: a.omschrijving,
    "uitvoerders": lambda a: a.uitvoerders,
    "stappen": lambda a: tuple(s.titel for s in a.stappen),
    "kenmerken": lambda a: tuple(k.code for k in a.kenmerken),
    "werkzame_elementen": lambda a: tuple(w.code for w in a.werkzame_elementen),
    "bron": lambda a: (a.bron.titel, a.bron.url),
}


def choose(catalogue: Catalogue, slugs: list[str]) -> tuple[list[AanpakDetail], list[str]]:
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
def vergelijk(request: Request, catalogue: CatalogueDep, templates: TemplatesDep) -> HTMLResponse:
    """2–4 approaches side by side; with fewer, an invitation to choose."""
    slugs = list(dict.fromkeys(s.strip() for s in request.query_params.getlist("slug") if s))
    try:
        aanpakken, meldingen = choose(catalogue, slugs)
    except OngeldigeVraag as exc:
        return fout(request, templates, exc)
    chosen = [a.slug for a in aanpakken]
    only_differences = request.query_params.get("verschillen") == "1"
    differs = {name: len({key(a) for a in aanpakken}) > 1 for name, key in DIFFERENCES.items()}
    alle = catalogue.listing(Zoekvraag(per_page=MAX_PER_PAGE, sort=Sortering.NAAM)).items
    context = {
        "aanpakken": aanpakken,
        "meldingen": meldingen,
        "verschilt": differs,
        "alleen_verschillen": only_differences and len(aanpakken) > 1,
        "verschillen_url": compare_url(chosen, verschillen="1"),
        "alles_url": compare_url(chosen),
        "verwijder": {s: compare_url(c for c in chosen if c != s) for s in chosen},
        "kandidaten": [a for a in alle if a.slug not in chosen],
        "toevoegen": {a.slug: compare_url([*chosen, a.slug]) for a in alle},
        "kan_toevoegen": len(chosen) < MAX_VERGELIJK,
    }
    return render(request, templates, "vergelijk.html", context)


# -- recognition levels and about ---------------------------------------------------------


@router.get("/erkenning", response_class=HTMLResponse)
def erkenning(request: Request, catalogue: CatalogueDep, templates: TemplatesDep) -> HTMLResponse:
    """The recognition ladder: definitions, validity, counts (chart and table), approaches."""
    ladder: list[NiveauOverzicht] = catalogue.ladder()
    verlopen = [a for n in ladder for a in n.aanpakken if a.erkenning.status == "verlopen"]
    context = {
        "nav": "erkenning",
        "ladder": ladder,
        "verlopen": verlopen,
        "max_count": max([n.count for n in ladder] + [1]),
        "total": sum(n.count for n in ladder),
    }
    return render(request, templates, "erkenning.html", context)


@router.get("/over", response_class=HTMLResponse)
def over(request: Request, catalogue: CatalogueDep, templates: TemplatesDep) -> HTMLResponse:
    """What the catalogue is, its sources, licence, how to cite, API and open data."""
    versie = catalogue.versie()
    context = {
        "nav": "over",
        "bronnen": versie.corpus.vocabulaire.bronnen,
        "aantal": len(versie.corpus.aanpakken),
        "versie": versie.hash,
        "api": API_PREFIX,
    }
    return render(request, templates, "over.html", context)
