"""Errors as ``application/problem+json`` (RFC 9457) for the API, with a Dutch detail."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wijkwijzer.catalogue.errors import (
    DatabaseOnbereikbaar,
    GeenCatalogus,
    OnbekendeAanpak,
    OngeldigeVraag,
)
from wijkwijzer.catalogue.question import melding
from wijkwijzer.web.middleware.head import without_body
from wijkwijzer.web.urls import Urls, is_api

PROBLEM_JSON = "application/problem+json"
MAX_ERRORS = 10  # a 422 names at most this many errors, and counts them all
SERVER_ERROR = "Er ging iets mis op de server. Probeer het later nog eens."
UNAVAILABLE = "De catalogus is even niet bereikbaar. Probeer het over een halve minuut opnieuw."
RETRY_AFTER_S = 30
TITLES = {
    400: "Ongeldig verzoek",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    413: "Verzoek te groot",
    414: "URL te lang",
    422: "Ongeldige parameter",
    429: "Te veel verzoeken",
    500: "Interne serverfout",
    503: "Catalogus niet beschikbaar",
}


class Problem(BaseModel):
    """Een probleem volgens RFC 9457 (`application/problem+json`), met een Nederlandse `detail`."""

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Ongeldige parameter"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["per_page: moet hoogstens 100 zijn, kreeg 1000"])
    instance: str | None = Field(default=None, examples=["/api/v1/approaches?per_page=1000"])
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Per ongeldige parameter: `parameter`, `melding` en `waarde`."
    )
    suggesties: list[str] | None = Field(default=None, description="Bedoelde u …")
    aantal_fouten: int | None = Field(
        default=None,
        description=f"Het aantal fouten als het er meer dan {MAX_ERRORS} zijn; `errors` noemt "
        f"dan alleen de eerste {MAX_ERRORS}.",
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route can give (see `document_problems`)."""
    return {
        status: {"model": Problem, "description": TITLES.get(status, "Fout")} for status in statuses
    }


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Make every 4xx/5xx response in `schema` an application/problem+json Problem."""
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_JSON: {"schema": ref}}
                    response["description"] = TITLES.get(int(status), response["description"])
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def problem(request: Request, status: int, detail: str, **extra: Any) -> JSONResponse:
    body = Problem(
        title=extra.pop("title", None) or TITLES.get(status, "Fout"),
        status=status,
        detail=detail,
        instance=Urls.of(request).instance(),
        **extra,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON
    )


def _is_api(request: Request) -> bool:
    return is_api(request.url.path)


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(loc) or "verzoek"
    kind, given = error.get("type", ""), error.get("input")
    message = melding(error)  # Dutch for every kind of error, never Pydantic's English `msg`
    if kind == "string_too_long":
        given = f"{len(str(given))} tekens"
    return {"parameter": name, "melding": message, "waarde": _safe(given)}


def _safe(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 100:
        return value[:100] + "…"
    if isinstance(value, list):
        return [_safe(v) for v in value[:10]]
    return value if isinstance(value, str | int | float | type(None)) else str(value)


HtmlFallback = Callable[[Request, int, str], Awaitable[Response]]

log = logging.getLogger("wijkwijzer.errors")


class ServerErrors:
    """Answer an unhandled exception with a 500 in the app's own format, then re-raise it.

    Starlette's last-resort handler sits outside every middleware, so its plain
    text 500 would miss the security and CORS headers. Installed inside those
    middlewares, this answers first: problem+json under the API, the HTML error
    page (`fallback_html`) elsewhere. The exception still propagates, so the
    server logs it with its traceback (and sends nothing more: a response was sent).
    """

    def __init__(self, app: ASGIApp, fallback_html: HtmlFallback | None = None) -> None:
        self.app, self.fallback_html = app, fallback_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            if not started:
                response = await self.response(Request(scope))
                response.headers["cache-control"] = "no-store"
                head = scope["method"] == "HEAD"
                await response(scope, receive, without_body(send) if head else send)
            raise

    async def response(self, request: Request) -> Response:
        if _is_api(request) or self.fallback_html is None:
            return problem(request, 500, SERVER_ERROR)
        try:
            return await self.fallback_html(request, 500, SERVER_ERROR)
        except Exception:  # the error page itself fails: a plain page still says what happened
            log.exception("de foutpagina kon niet worden getoond")
            return HTMLResponse(plain_page(TITLES[500], SERVER_ERROR), status_code=500)


def plain_page(title: str, text: str) -> str:
    """A minimal error page that needs no template (`title` and `text` are trusted)."""
    return (
        '<!doctype html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>{title} – WijkWijzer</title></head>"
        f"<body><main><h1>{title}</h1><p>{text}</p>"
        f'<p><a href="{Urls().listing()}">Naar de catalogus</a></p></main></body></html>\n'
    )


def install(app: FastAPI, fallback_html: HtmlFallback | None = None) -> None:
    """Register the problem handlers; non-API paths keep FastAPI's defaults (or `fallback_html`)."""
    from fastapi.exception_handlers import (
        http_exception_handler,
        request_validation_exception_handler,
    )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _is_api(request):
            return await request_validation_exception_handler(request, exc)
        every = exc.errors()
        errors = [_describe(dict(e)) for e in every[:MAX_ERRORS]]
        detail = "; ".join(f"{e['parameter']}: {e['melding']}" for e in errors)
        if len(every) > MAX_ERRORS:
            detail += f"; en nog {len(every) - MAX_ERRORS} (in totaal {len(every)} fouten)"
            return problem(request, 422, detail, errors=errors, aantal_fouten=len(every))
        return problem(request, 422, detail, errors=errors)

    @app.exception_handler(OngeldigeVraag)
    async def _ongeldig(request: Request, exc: OngeldigeVraag) -> Response:
        detail = f"{exc.parameter}: {exc}"
        if exc.allowed:
            detail += f"; toegestaan: {', '.join(exc.allowed)}"
        if not _is_api(request) and fallback_html:
            return await fallback_html(request, 400, detail)
        return problem(
            request,
            422 if _is_api(request) else 400,
            detail,
            errors=[{"parameter": exc.parameter, "melding": str(exc)}],
        )

    @app.exception_handler(OnbekendeAanpak)
    async def _onbekend(request: Request, exc: OnbekendeAanpak) -> Response:
        return problem(
            request, 404, str(exc), title="Aanpak niet gevonden", suggesties=exc.suggesties
        )

    @app.exception_handler(GeenCatalogus)
    async def _leeg(request: Request, exc: GeenCatalogus) -> Response:
        return problem(request, 503, str(exc))

    @app.exception_handler(DatabaseOnbereikbaar)
    async def _onbereikbaar(request: Request, _exc: DatabaseOnbereikbaar) -> Response:
        """The database is down (logged once per outage by the catalogue): 503, try again."""
        if _is_api(request) or fallback_html is None:
            response: Response = problem(request, 503, UNAVAILABLE)
        else:
            response = await fallback_html(request, 503, UNAVAILABLE)
        response.headers["retry-after"] = str(RETRY_AFTER_S)
        response.headers["cache-control"] = "no-store"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_api(request):
            if fallback_html:
                page = await fallback_html(request, exc.status_code, str(exc.detail))
                page.headers.update(exc.headers or {})
                return page
            return await http_exception_handler(request, exc)
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            urls = Urls.of(request)
            detail = f"Deze URL bestaat niet in de API; zie {urls.api()} in {urls.docs()}."
        elif exc.status_code == 405:
            detail = "De API is alleen-lezen: gebruik GET."
        response = problem(request, exc.status_code, detail)
        response.headers.update(exc.headers or {})
        return response
