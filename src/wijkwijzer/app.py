"""The web application: ``create_app(settings)`` with a lifespan that opens database and index."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from wijkwijzer import __version__, api, docs, errors, pages
from wijkwijzer.caching import ApiCaching
from wijkwijzer.catalogue import Catalogue
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.db import loaded_hash, make_engine
from wijkwijzer.deps import CatalogueDep
from wijkwijzer.head import HeadAsGet
from wijkwijzer.listing import GeenCatalogus
from wijkwijzer.public import API_PREFIX
from wijkwijzer.reload import install_sighup
from wijkwijzer.search import SearchIndex
from wijkwijzer.security import RequestGuard, SecurityHeaders

DESCRIPTION = """
Openbare, alleen-lezen API van de WijkWijzer-catalogus: methodische aanpakken en
interventies voor leefbare wijken en buurten. Zoek in gewone Nederlandse taal, filter op
doelgroep, leeftijd, erkenningsniveau, vorm, categorie, kenmerk en werkzaam element,
vergelijk aanpakken en download de hele catalogus.

Stabiel binnen `/api/v1`; elke route mag vanaf elke oorsprong worden aangeroepen (CORS),
antwoorden hebben een sterke `ETag` (304 bij `If-None-Match`) en
`Cache-Control: public, max-age=300`. Fouten zijn `application/problem+json` (RFC 9457).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's settings when None)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        index = SearchIndex(settings.index_path)
        app.state.catalogue = Catalogue(engine, index, today=settings.today)
        stop_reloading = install_sighup(settings)
        yield
        stop_reloading()
        index.close()
        engine.dispose()

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
    app.state.templates = Jinja2Templates(directory=settings.templates_dir)

    @app.get("/healthz", tags=["beheer"])
    def healthz(catalogue: CatalogueDep) -> dict[str, str | None]:
        """Leeft de server, en welke versie van het corpus staat in de database?"""
        return {"status": "ok", "corpus": loaded_hash(catalogue.engine)}

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    docs.install(app)
    errors.install(app, fallback_html=pages.error_page)
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        ApiCaching, prefix=API_PREFIX, version=lambda: _version(app), today=settings.today
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["If-None-Match", "Accept", "Content-Type"],
        expose_headers=["ETag", "Cache-Control"],
        max_age=86400,
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
    try:
        catalogue: Catalogue = app.state.catalogue
        return catalogue.versie().hash
    except (AttributeError, GeenCatalogus):
        return None
