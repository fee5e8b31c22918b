"""Interactive API documentation served from our own host (no CDN, no inline script)."""

from pathlib import Path

import swagger_ui
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from wijkwijzer.web.urls import DOCS, OPENAPI

SWAGGER_DIR = Path(swagger_ui.__file__).parent / "static"

ASSETS = f"{DOCS}/assets"
INIT = f"{DOCS}/init.js"

router = APIRouter(include_in_schema=False)

DOCS_HTML = f"""<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>API-documentatie – WijkWijzer</title>
  <link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"><h1>WijkWijzer API</h1><p>De documentatie laadt…
  Het schema staat ook op <a href="{OPENAPI}">{OPENAPI}</a>.</p></main>
  <script src="{ASSETS}/swagger-ui-bundle.js"></script>
  <script src="{INIT}"></script>
</body>
</html>
"""

INIT_JS = f"""window.addEventListener("load", function () {{
  window.ui = SwaggerUIBundle({{ url: "{OPENAPI}", dom_id: "#swagger-ui",
    deepLinking: true, defaultModelsExpandDepth: 0 }});
}});
"""


@router.get(DOCS, response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return HTMLResponse(DOCS_HTML)


@router.get(INIT)
def docs_init() -> Response:
    return Response(INIT_JS, media_type="text/javascript")


def install(app: FastAPI) -> None:
    """Serve the docs page and Swagger UI's files."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_DIR), name="swagger-ui")
