"""Hostile input against a real server: HTML/JS in the corpus and in queries, odd requests.

The corpus is valid but full of markup (``<script>``, ``onerror=``, entities, a spreadsheet
formula); queries carry markup too. Every page must show it as text, every link must be
http(s) or our own, highlights must never un-escape, and Chromium must run no injected
code (``tests/e2e/test_security.py``). Oversized or malformed requests get a quick 4xx.
"""

import contextlib
import csv
import html
import io
import socket
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import yaml

from tests.helpers.corpora import FORMULA, QUERY, hostile_corpus
from tests.helpers.servers import Server, running_server
from tests.helpers.settings import MINI_CORPUS, VOCABULAIRE, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.corpus.problems import CorpusError

RAW_PAYLOADS = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<b onmouseover",
    '<a href="javascript',
)
LINK_STARTS = ("/", "#", "?", "http://", "https://")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("vijandig")
    settings = make_settings(tmp, hostile_corpus(tmp / "corpus.yaml"))
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind="uvicorn") as running:
        yield running


class Inspector(HTMLParser):
    """The scripts, event-handler attributes, link targets and tags of a page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str | None] = []
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if tag == "script" and values.get("type") != "application/ld+json":  # data is no script
            self.scripts.append(values.get("src"))
        self.handlers += [f"{tag} {name}" for name in values if name.startswith("on")]
        self.links += [
            value or ""
            for name, value in attrs
            if name in ("href", "src", "action", "formaction", "srcdoc", "data")
        ]


def assert_inert(page: str, where: str) -> None:
    """No injected element, attribute or link in `page`; entities in the text stay escaped."""
    for payload in RAW_PAYLOADS:
        assert payload not in page, (where, payload)
    found = Inspector(page)
    assert found.scripts == ["/static/wijkwijzer.js"], where
    assert found.handlers == [], where
    assert not found.tags & {"iframe", "object", "embed", "base"}, where
    for link in found.links:
        assert link.strip().lower().startswith(LINK_STARTS), (where, link)
    assert "&lt;script&gt;alert(2)" not in page, where  # the corpus's own entities, un-escaped


PAGES = [
    "/",
    "/?q=zelfstandiger",
    "/?q=buurtcirkl",
    "/aanpak/buurtcirkel",
    "/aanpak/abcd-methode",
    "/vergelijk?slug=buurtcirkel&slug=abcd-methode",
    "/vergelijk?slug=buurtcirkel",
    "/erkenning",
]


@pytest.mark.parametrize("path", PAGES)
def test_markup_in_the_corpus_is_shown_as_text(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == 200
    assert_inert(response.text, path)


def test_highlights_escape_the_text_and_mark_only_the_match(server: Server) -> None:
    page = httpx.get(server.url + "/?q=zelfstandiger", timeout=30).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&amp;lt;script&amp;gt;alert(2)" in page  # escaped once more, never undone
    assert "<mark>zelfstandiger</mark>" in page
    api = httpx.get(server.url + "/api/v1/approaches", params={"q": "zelfstandiger"}, timeout=30)
    snippet = api.json()["items"][0]["highlights"]["doel"]
    assert "<mark>zelfstandiger</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("path", ["/", "/api/v1/approaches", "/api/v1/approaches.csv"])
def test_markup_in_the_query_is_escaped(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, params={"q": QUERY[:200]}, timeout=30)
    assert response.status_code in (200, 422), response.text
    if path == "/":
        assert_inert(response.text, path)
        assert html.escape(QUERY[:40], quote=True) in response.text  # shown back, as text
    else:
        assert response.headers["content-type"].startswith(("application/json", "text/csv"))
        assert response.headers["x-content-type-options"] == "nosniff"
        if path.endswith("approaches"):
            for item in response.json()["items"]:
                for snippet in (item.get("highlights") or {}).values():
                    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_csv_cells_cannot_become_spreadsheet_formulas(server: Server) -> None:
    text = httpx.get(server.url + "/api/v1/approaches.csv", timeout=30).text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(FORMULA in cell for row in rows for cell in row)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/pad",
        "https://evil.example/ pad",
        "https:javascript:alert(1)",
    ],
)
def test_link_urls_must_be_http_or_https(tmp_path: Path, url: str) -> None:
    data = yaml.safe_load(MINI_CORPUS.read_text("utf-8"))
    data["aanpakken"][0]["bron"]["url"] = url
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(CorpusError, match=r"bron\.url: ongeldige URL"):
        load_corpus(corpus, VOCABULAIRE)


def send_raw(server: Server, request: bytes, timeout: float = 10) -> tuple[bytes, float]:
    """Send `request` as is; the status line (or b"" when the server just closed) and time."""
    host, port = server.url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # the server may stop reading early and close
            sock.sendall(request)
        received = b""
        try:
            while b"\r\n" not in received:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
    return received.split(b"\r\n", 1)[0], time.monotonic() - started


def get(target: bytes, *headers: bytes) -> bytes:
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: 127.0.0.1", *headers, b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n"


TEN_MB = b"a" * 10_000_000
ODD_REQUESTS = {
    "10MB-query-api": (get(b"/api/v1/approaches?q=" + TEN_MB), (400, 414, 431)),
    "10MB-query-page": (get(b"/?q=" + TEN_MB), (400, 414, 431)),
    "9KB-query-api": (get(b"/api/v1/approaches?q=" + b"a" * 9000), (414,)),
    "9KB-query-page": (get(b"/?q=" + b"a" * 9000), (414,)),
    "300-parameters": (get(b"/vergelijk?" + b"&".join([b"slug=buurtcirkel"] * 300)), (400,)),
    "300-facets-api": (
        get(b"/api/v1/approaches?" + b"&".join([b"doelgroep=ouderen"] * 300)),
        (400,),
    ),
    "invalid-utf8-path": (get(b"/aanpak/%FF"), (400,)),
    "invalid-utf8-api-path": (get(b"/api/v1/approaches/%FF%FE"), (400,)),
    "overlong-utf8-path": (get(b"/aanpak/%C0%AF"), (400,)),
    "raw-bytes-in-path": (get(b"/aanpak/\xff\xfe"), (400,)),
    "1MB-header": (get(b"/", b"X-Groot: " + b"b" * 1_000_000), (431,)),
    "2000-headers": (get(b"/", *[b"X-H%d: 1" % i for i in range(2000)]), (431,)),
}


@pytest.mark.parametrize("case", ODD_REQUESTS, ids=list(ODD_REQUESTS))
def test_oversized_and_odd_requests_get_a_quick_4xx(server: Server, case: str) -> None:
    request, allowed = ODD_REQUESTS[case]
    status_line, seconds = send_raw(server, request)
    status = int(status_line.split()[1]) if status_line.startswith(b"HTTP/1.1 ") else None
    assert status in allowed, (case, status_line)
    assert seconds < 3, (case, seconds)
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200  # still serving


def test_refusals_are_short_and_do_not_echo_the_request(server: Server) -> None:
    api = httpx.get(server.url + "/api/v1/approaches", params={"q": "x" * 9000}, timeout=30)
    assert api.status_code == 414
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["title"] == "URL te lang"
    assert len(api.content) < 500
    page = httpx.get(server.url + "/aanpak/%FF", timeout=30)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "geen geldige UTF-8" in page.text
    assert len(page.content) < 1000


def test_ordinary_requests_near_the_limits_pass(server: Server) -> None:
    """The guard leaves room for real use: long queries, many facets, a big cookie."""
    facets = [("doelgroep", d) for d in ("ouderen", "jongeren", "kinderen", "ouders")] * 10
    response = httpx.get(
        server.url + "/",
        params=[("q", "buurt " * 33), *facets],
        headers={"Cookie": "elders=" + "x" * 10_000},
        timeout=30,
    )
    assert response.status_code == 200
