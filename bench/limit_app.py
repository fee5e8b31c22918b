"""The limit server: a bare FastAPI endpoint returning one of our real answers, precomputed.

What a request costs the framework and the server alone: the same routes as ours
(``/api/v1/approaches`` and ``/``), the query parameter ``q`` parsed and validated as a
real endpoint does, and then the bytes (with their headers) of one real answer of our
app, captured once. No middleware, no search, no rendering. The endpoints are plain
``def`` functions, as ours are, so FastAPI runs them in its thread pool as it runs ours
(an ``async def`` endpoint skips that hop and is about twice as fast here). Served from
the app's venv by the same uvicorn command line as our app (one worker, no access log):

    BENCH_LIMIT_DIR=DIR .venv/bin/uvicorn limit_app:create_app --factory \
        --app-dir bench --workers 1 --no-access-log --port PORT

DIR holds ``<name>.body`` and ``<name>.headers.json`` per answer (json, html), written
by ``limits_bench.capture``.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Response

# The answer each route returns: its name in BENCH_LIMIT_DIR.
ROUTES = {"/api/v1/approaches": "json", "/": "html"}


def answer(directory: Path, name: str) -> Callable[[str], Response]:
    """An endpoint that reads `q` and returns the stored answer `name`."""
    body = (directory / f"{name}.body").read_bytes()
    headers: dict[str, str] = json.loads((directory / f"{name}.headers.json").read_text("utf-8"))
    media_type = headers.pop("content-type")

    def endpoint(q: str = "") -> Response:  # `q` parsed and validated, then unused
        return Response(body, media_type=media_type, headers=headers)

    return endpoint


def create_app() -> FastAPI:
    directory = Path(os.environ["BENCH_LIMIT_DIR"])
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    for path, name in ROUTES.items():
        app.add_api_route(path, answer(directory, name), methods=["GET"], response_class=Response)
    return app
