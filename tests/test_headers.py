"""Security headers on every response of a real server, and pages that work under them.

The server runs as docs/deploy.md says: ``uvicorn wijkwijzer.app:create_app --factory
--no-server-header`` (and ``wijkwijzer serve``, which does the same). That the pages and
Swagger UI run under the policy in Chromium, and that no other site can frame them, is
checked in ``tests/e2e/test_security.py``.
"""

from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.servers import Server, running_server
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PATHS = {
    "/": 200,
    "/?q=buurt&doelgroep=ouderen": 200,
    "/aanpak/buurtcirkel": 200,
    "/aanpak/bestaat-niet": 404,
    "/vergelijk?slug=buurtcirkel&slug=abcd-methode": 200,
    "/erkenning": 200,
    "/over": 200,
    "/static/wijkwijzer.css": 200,
    "/static/wijkwijzer.js": 200,
    "/api/v1/approaches?q=buurt": 200,
    "/api/v1/approaches/bestaat-niet": 404,
    "/api/v1/approaches.csv": 200,
    "/api/v1/bestaat-niet": 404,
    "/openapi.json": 200,
    "/healthz": 200,
    "/docs": 200,
    "/docs/init.js": 200,
    "/docs/assets/swagger-ui.css": 200,
}


@pytest.fixture(scope="module", params=["uvicorn", "serve"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("koppen")
    settings = make_settings(tmp, REAL_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind=request.param) as running:
        yield running


def test_every_response_carries_the_security_headers(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        responses = {path: client.get(path) for path in PATHS}
        responses["POST /api/v1/approaches"] = client.post("/api/v1/approaches")
    for path, response in responses.items():
        assert response.status_code == PATHS.get(path, 405), path
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "unsafe-inline" not in csp, path
        assert "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        if not path.startswith("/docs"):
            assert csp == PAGE_CSP, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert headers["x-frame-options"] == "DENY", path
        assert "strict-transport-security" not in headers, path  # plain http: no HSTS
        assert "server" not in headers, path
        assert "x-powered-by" not in headers, path
        shown = " ".join(f"{k}: {v}" for k, v in headers.items()).lower()
        assert "uvicorn" not in shown, path
        assert "python" not in shown, path


def test_docs_policy_lets_swagger_fetch_the_schema_and_nothing_more(server: Server) -> None:
    csp = httpx.get(server.url + "/docs", timeout=30).headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["default-src"] == "'none'"


def test_hsts_only_when_the_request_came_over_tls(server: Server) -> None:
    """Behind a TLS proxy that sets X-Forwarded-Proto (uvicorn trusts 127.0.0.1 by default)."""
    behind_tls = httpx.get(server.url + "/", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert behind_tls.headers["strict-transport-security"] == "max-age=31536000"
    plain = httpx.get(server.url + "/", headers={"X-Forwarded-Proto": "http"}, timeout=30)
    assert "strict-transport-security" not in plain.headers
