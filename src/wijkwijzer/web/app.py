"""The web application: ``create_app(settings)`` wires the routes, the middlewares and a
lifespan that opens the catalogue (``open_catalogue``) for the requests to ask."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wijkwijzer import __version__
from wijkwijzer.catalogue import comparison
from wijkwijzer.catalogue.comparison import VELD_LABELS
from wijkwijzer.catalogue.recognition import datum
from wijkwijzer.catalogue.reloading import install_sighup
from wijkwijzer.catalogue.service import Catalogue, open_catalogue
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.corpus.text import text_with_links
from wijkwijzer.web import docs, errors, health
from wijkwijzer.web.api import opendata
from wijkwijzer.web.api import routes as api
from wijkwijzer.web.collector import tune_for_serving
from wijkwijzer.web.middleware.caching import ApiCaching, ResponseCache, ResponseStore
from wijkwijzer.web.middleware.head import HeadAsGet
from wijkwijzer.web.middleware.hosts import HostGuard
from wijkwijzer.web.middleware.security import RequestGuard, SecurityHeaders
from wijkwijzer.web.pages import discovery, embed, feed, listing
from wijkwijzer.web.pages import routes as pages
from wijkwijzer.web.urls import API_PREFIX, FEED, STATIC, Urls

DESCRIPTION = f"""
Openbare, alleen-lezen API van de WijkWijzer-catalogus: methodische aanpakken en
interventies voor leefbare wijken en buurten. Zoek in gewone Nederlandse taal, filter op
doelgroep, leeftijd, erkenningsniveau, vorm, categorie, kenmerk en werkzaam element,
vergelijk aanpakken en download de hele catalogus.

Stabiel binnen `{API_PREFIX}`; elke route mag vanaf elke oorsprong worden aangeroepen (CORS),
antwoorden hebben een sterke `ETag` (304 bij `If-None-Match`) en
`Cache-Control: public, max-age=300`. Fouten zijn `application/problem+json` (RFC 9457).
"""
# The answers that follow from catalogue version, date and URL alone: pages, the API.
_URLS = Urls()
CACHED_PAGES = frozenset(
    {_URLS.listing(), _URLS.vergelijk(), _URLS.erkenning(), _URLS.over(), _URLS.embed(), FEED}
)
CACHED_PREFIXES = (f"{_URLS.api()}/", _URLS.aanpak(""))  # the API, each approach's page


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's settings when None)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        catalogue = open_catalogue(settings)
        await anyio.to_thread.run_sync(catalogue.warm)
        app.state.catalogue = catalogue
        if settings.gc_tuning:
            tune_for_serving()
        stop_reloading = install_sighup(settings)
        yield
        stop_reloading()
        catalogue.close()

    app = FastAPI(
        title="WijkWijzer API",
        version=__version__,
        summary="Methodische aanpakken voor leefbare wijken: zoeken, filteren, vergelijken.",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = templates = Jinja2Templates(directory=settings.templates_dir)
    # Templates are part of a release: compiled once, never looked at again on disk.
    templates.env.auto_reload = False
    templates.env.globals.update(
        veld=VELD_LABELS,
        geldigheid_tekst=comparison.termijn,
        tekst_met_links=text_with_links,
        datum=datum,
    )

    app.include_router(health.router)
    app.include_router(opendata.router)
    app.include_router(api.router)
    app.include_router(listing.router)
    app.include_router(pages.router)
    app.include_router(embed.router)
    app.include_router(discovery.router)
    app.include_router(feed.router)
    app.mount(STATIC, StaticFiles(directory=pages.STATIC_DIR), name="static")
    docs.install(app)
    errors.install(app, fallback_html=pages.error_page)
    # Middlewares, innermost first: each one added wraps everything added before it.
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        ApiCaching,
        prefix=(API_PREFIX, FEED),  # feed readers ask again and again: a 304 is theirs too
        version=lambda: _version(app),
        today=settings.today,
    )
    app.state.response_cache = None
    if settings.response_cache_mb:
        app.state.response_cache = ResponseStore(int(settings.response_cache_mb * 1024 * 1024))
        app.add_middleware(
            ResponseCache,
            store=app.state.response_cache,
            cacheable=_cacheable,
            version=lambda: _version(app),
            today=settings.today,
        )
    app.add_middleware(errors.ServerErrors, fallback_html=pages.error_page)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["If-None-Match", "Accept", "Content-Type"],
        expose_headers=["ETag", "Cache-Control"],
        max_age=86400,
    )
    app.add_middleware(
        HostGuard,
        public_url=settings.public_url,
        allowed_hosts=[h for h in settings.allowed_hosts.split(",") if h],
    )
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders, worker_header=settings.worker_header)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = errors.document_problems(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _version(app: FastAPI) -> str | None:
    """The catalogue version for cache keys; None (no caching) until it has been read."""
    catalogue: Catalogue | None = getattr(app.state, "catalogue", None)
    return catalogue.ready_key() if catalogue is not None else None


def _cacheable(path: str) -> bool:
    return path.startswith(CACHED_PREFIXES) or path in CACHED_PAGES
