"""The web application: ``create_app(settings)`` with a lifespan that opens the database."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from wijkwijzer import __version__
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.db import create_schema, loaded_hash, make_engine, read_aanpakken


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's settings when None)."""
    settings = settings or get_settings()
    templates = Jinja2Templates(directory=settings.templates_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        create_schema(engine)
        app.state.engine = engine
        yield
        engine.dispose()

    app = FastAPI(title="WijkWijzer", version=__version__, lifespan=lifespan)
    app.state.settings = settings

    @app.get("/healthz", tags=["beheer"])
    def healthz(request: Request) -> dict[str, str | None]:
        """Leeft de server, en welke versie van het corpus staat in de database?"""
        return {"status": "ok", "corpus": loaded_hash(request.app.state.engine)}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        with Session(request.app.state.engine) as session:
            aanpakken = read_aanpakken(session)
        return templates.TemplateResponse(request, "index.html", {"aanpakken": aanpakken})

    return app
