"""The web application: ``create_app(settings)`` with a lifespan that opens database and index."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from wijkwijzer import __version__
from wijkwijzer.catalogue.listing import GeenCatalogus
from wijkwijzer.catalogue.reloading import install_sighup
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.catalogue.shapes import API_PREFIX
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.search import SearchIndex
from wijkwijzer.store.database import loaded_hash, make_engine
from wijkwijzer.store.tables import CorpusMeta
from wijkwijzer.web import docs, errors
from wijkwijzer.web.api import routes as api
from wijkwijzer.web.deps import CatalogueDep
from wijkwijzer.web.middleware.caching import ApiCaching, ResponseCache, ResponseStore
from wijkwijzer.web.middleware.head import HeadAsGet
from wijkwijzer.web.middleware.security import RequestGuard, SecurityHeaders
from wijkwijzer.web.pages import routes as pages

DESCRIPTION = """
Openbare, alleen-lezen API van de WijkWijzer-catalogus: methodische aanpakken en
interventies voor leefbare wijken en buurten. Zoek in gewone Nederlandse taal, filter op
doelgroep, leeftijd, erkenningsniveau, vorm, categorie, kenmerk en werkzaam element,
vergelijk aanpakken en download de hele catalogus.

Stabiel binnen `/api/v1`; elke route mag vanaf elke oorsprong worden aangeroepen (CORS),
antwoorden hebben een sterke `ETag` (304 bij `If-None-Match`) en
`Cache-Control: public, max-age=300`. Fouten zijn `application/problem+json` (RFC 9457).
"""
# The pages whose answer follows from catalogue version, date and URL alone (the API too).
CACHED_PAGES = frozenset({"/", "/vergelijk", "/erkenning", "/over"})

log = logging.getLogger("wijkwijzer.app")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's settings when None)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        index = SearchIndex(settings.index_path, cache_mb=settings.search_cache_mb)
        catalogue = Catalogue(engine, index, today=settings.today)
        await anyio.to_thread.run_sync(_warm, catalogue)
        app.state.catalogue = catalogue
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

    @app.get("/healthz", tags=["beheer"], response_model=None)
    def healthz(catalogue: CatalogueDep) -> dict[str, str | None] | JSONResponse:
        """Leeft de server, welke corpusversie staat in de database en welke in de zoekindex?

        `status` is `ok` als beide dezelfde versie hebben, `leeg` zonder geladen corpus,
        `ongelijk` als ze verschillen (tijdens het herladen, of een index die ontbreekt);
        503 met `status` `fout` als de database niet bereikbaar is.
        """
        index = catalogue.index.version
        try:
            corpus = _database_version(catalogue.engine)
        except SQLAlchemyError as exc:
            log.warning("gezondheidscontrole: de database is niet bereikbaar: %s", exc)
            body = {"status": "fout", "corpus": None, "index": index}
            return JSONResponse(body, status_code=503, headers={"cache-control": "no-store"})
        status = "leeg" if corpus is None else "ok" if corpus == index else "ongelijk"
        return {"status": status, "corpus": corpus, "index": index}

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    docs.install(app)
    errors.install(app, fallback_html=pages.error_page)
    # Middlewares, innermost first: each one added wraps everything added before it.
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        ApiCaching, prefix=API_PREFIX, version=lambda: _version(app), today=settings.today
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
    return catalogue.ready_hash() if catalogue is not None else None


def _cacheable(path: str) -> bool:
    return path.startswith((f"{API_PREFIX}/", "/aanpak/")) or path in CACHED_PAGES


def _warm(catalogue: Catalogue) -> None:
    """Read the catalogue before the first request (an empty database is no error)."""
    try:
        catalogue.versie()
    except GeenCatalogus:
        log.info("nog geen catalogus geladen: draai 'wijkwijzer load'")
    except Exception:
        log.exception("de catalogus kon bij het starten niet worden gelezen")


def _database_version(engine: Engine) -> str | None:
    """The corpus hash in the database: one primary-key read (the schema exists after a load)."""
    try:
        with Session(engine) as session:
            meta = session.get(CorpusMeta, "content_hash")
            return meta.value if meta else None
    except SQLAlchemyError:
        return loaded_hash(engine)  # perhaps no tables yet: this creates them, or fails too
