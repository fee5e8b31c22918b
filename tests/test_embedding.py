"""Embedding on other sites: ``/embed``, the snippet on the results page, and oEmbed.

That another origin can really frame ``/embed`` in Chromium (and not the other
pages) is checked in ``tests/e2e/test_embedding.py``; here are the answers themselves.
"""

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.markup import Html

BASE = "http://testserver"
FILTERS = "doelgroep=jongeren&erkenningsniveau=goed-onderbouwd&erkenningsniveau=goed-beschreven"
NOT_EMBEDDABLE = [
    "http://elders.example/aanpak/buurtcirkel",  # another site
    "https://testserver/aanpak/buurtcirkel",  # another scheme is another origin
    f"{BASE}.evil.example/aanpak/buurtcirkel",
    f"{BASE}/aanpak/bestaat-niet",
    f"{BASE}/aanpak/buurtcirkel/extra",
    f"{BASE}/over",
    f"{BASE}/erkenning",
    f"{BASE}/api/v1/approaches",
    "/aanpak/buurtcirkel",  # not a URL of a page
    "",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path_factory.mktemp("insluiten"))


def slugs_of(page: Html) -> list[str]:
    return [h.rsplit("/", 1)[1] for h in page.hrefs() if "/aanpak/" in h]


# -- /embed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["", FILTERS, "q=eenzame+ouderen", "q=buurt&sort=naam&per_page=5"]
)
def test_embed_lists_what_the_results_page_lists(client: TestClient, query: str) -> None:
    embed = client.get(f"/embed?{query}")
    assert embed.status_code == 200
    api = client.get(f"/api/v1/approaches?{query}").json()
    assert slugs_of(Html(embed.text)) == [item["slug"] for item in api["items"]]
    assert api["items"], "a listing with results"


def test_embed_is_compact_self_contained_and_opens_links_in_the_parent(
    client: TestClient,
) -> None:
    answer = client.get(f"/embed?{FILTERS}")
    page = Html(answer.text)
    assert page.find("script") == []
    assert not page.find("style")
    assert all("style" not in e.attrs for e in page.elements)
    sheets = [e["href"] for e in page.find("link", rel="stylesheet")]
    assert sheets == ["/static/embed.css"]
    assert client.get(sheets[0]).headers["content-type"].startswith("text/css")
    links = page.find("a")
    assert links
    assert all(a["target"] == "_top" and a["href"].startswith(BASE + "/") for a in links)
    assert page.find("meta", name="robots", content="noindex")
    assert "Bron: WijkWijzer" in page.text
    assert f'<a href="{BASE}/" target="_top">WijkWijzer</a>' in answer.text
    assert page.find("html", lang="nl")


def test_embed_of_a_filter_with_many_results_links_to_all_of_them(client: TestClient) -> None:
    page = Html(client.get("/embed?per_page=3").text)
    assert len(slugs_of(page)) == 3
    assert "Bekijk alle 24 aanpakken" in page.text
    assert f"{BASE}/?per_page=3" in page.hrefs()


def test_embed_of_one_approach_and_of_an_unknown_one(client: TestClient) -> None:
    card = client.get("/embed/aanpak/buurtcirkel")
    assert card.status_code == 200
    assert slugs_of(Html(card.text)) == ["buurtcirkel", "buurtcirkel"]  # heading and name
    assert "Voor: Kwetsbare bewoners" in Html(card.text).text
    missing = client.get("/embed/aanpak/bestaat-niet")
    assert missing.status_code == 404
    assert "niet (meer) in de catalogus" in Html(missing.text).text


@pytest.mark.parametrize("path", ["/embed", f"/embed?{FILTERS}", "/embed/aanpak/buurtcirkel"])
def test_only_the_embed_may_be_framed_by_any_site(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert "x-frame-options" not in headers
    csp = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    assert csp["frame-ancestors"] == "*"
    assert csp["script-src"] == "'self'"  # still no inline code
    assert csp["style-src"] == "'self'"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=buurt",
        "/aanpak/buurtcirkel",
        "/erkenning",
        "/over",
        "/embedded",
        "/oembed",
        "/sitemap.xml",
        "/api/v1",
        "/static/embed.css",
        "/bestaat-niet",
    ],
)
def test_every_other_answer_is_never_framed(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-frame-options"] == "DENY", path
    assert "frame-ancestors 'none'" in headers["content-security-policy"], path


# -- the snippet ---------------------------------------------------------------------------


def snippet(client: TestClient, query: str) -> str:
    text = client.get(f"/?{query}").text
    found = re.search(r'<textarea id="insluitcode"[^>]*readonly[^>]*>([^<]*)</textarea>', text)
    assert found, "no readonly textarea with the snippet"
    assert '<details class="insluiten">' in text
    assert "<summary>Insluiten op uw site</summary>" in text
    return html.unescape(found.group(1))


def test_results_page_offers_the_iframe_of_its_own_filters(client: TestClient) -> None:
    code = snippet(client, FILTERS + "&page=2&per_page=1")
    frame = Html(code).find("iframe")
    assert len(frame) == 1
    src = frame[0]["src"]
    parts = urlsplit(src)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/embed"
    assert sorted(parse_qsl(parts.query)) == sorted(parse_qsl(FILTERS + "&per_page=1"))
    assert frame[0]["title"].startswith("Jongeren, Goed beschreven, Goed onderbouwd – ")
    assert "pagina" not in frame[0]["title"]  # the frame shows the first page
    assert frame[0]["width"]
    assert frame[0]["height"]
    assert client.get(src).status_code == 200


def test_an_empty_result_offers_no_snippet(client: TestClient) -> None:
    assert 'id="insluitcode"' not in client.get("/?q=xyzzyqq").text


# -- oEmbed --------------------------------------------------------------------------------


def oembed(client: TestClient, url: str, **extra: str) -> dict[str, object]:
    answer = client.get("/oembed?" + urlencode({"url": url, "format": "json", **extra}))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, object] = answer.json()
    return body


@pytest.mark.parametrize(
    ("page", "embed"),
    [
        (f"{BASE}/?{FILTERS}", f"{BASE}/embed?{FILTERS}"),
        (f"{BASE}/?{FILTERS}&page=2", f"{BASE}/embed?{FILTERS}"),
        (f"{BASE}/", f"{BASE}/embed"),
        (f"{BASE}/aanpak/buurtcirkel", f"{BASE}/embed/aanpak/buurtcirkel"),
    ],
)
def test_oembed_for_a_results_page_and_an_approach(
    client: TestClient, page: str, embed: str
) -> None:
    body = oembed(client, page)
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert body["provider_name"] == "WijkWijzer"
    assert body["provider_url"] == f"{BASE}/"
    assert isinstance(body["title"], str)
    assert body["title"].endswith("– WijkWijzer")
    assert isinstance(body["width"], int)
    assert isinstance(body["height"], int)
    (frame,) = Html(str(body["html"])).find("iframe")
    assert frame["src"] == embed
    assert (int(frame["width"]), int(frame["height"])) == (body["width"], body["height"])
    assert client.get(frame["src"]).status_code == 200


def test_oembed_keeps_within_the_consumers_maximum(client: TestClient) -> None:
    body = oembed(client, f"{BASE}/aanpak/buurtcirkel", maxwidth="300", maxheight="200")
    assert (body["width"], body["height"]) == (300, 200)
    body = oembed(client, f"{BASE}/aanpak/buurtcirkel", maxwidth="groot")
    assert body["width"] == 480  # a maximum that is no number is ignored


@pytest.mark.parametrize("url", NOT_EMBEDDABLE)
def test_oembed_refuses_what_is_no_results_or_approach_page_of_this_site(
    client: TestClient, url: str
) -> None:
    answer = client.get("/oembed?" + urlencode({"url": url, "format": "json"}))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "geen pagina van deze site" in answer.json()["detail"]


def test_oembed_as_xml_is_not_implemented(client: TestClient) -> None:
    answer = client.get("/oembed?" + urlencode({"url": f"{BASE}/", "format": "xml"}))
    assert answer.status_code == 501
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == (
        "het formaat 'xml' wordt niet ondersteund; gebruik format=json"
    )


@pytest.mark.parametrize("path", [f"/?{FILTERS}", "/aanpak/buurtcirkel"])
def test_results_and_approach_pages_announce_their_oembed(client: TestClient, path: str) -> None:
    (link,) = Html(client.get(path).text).find(
        "link", rel="alternate", type="application/json+oembed"
    )
    assert link["href"].startswith(f"{BASE}/oembed?")
    assert link["title"]
    assert oembed(client, dict(parse_qsl(urlsplit(link["href"]).query))["url"])["type"] == "rich"


@pytest.mark.parametrize("path", ["/erkenning", "/over", "/vergelijk"])
def test_other_pages_announce_no_oembed(client: TestClient, path: str) -> None:
    assert not Html(client.get(path).text).find("link", type="application/json+oembed")
