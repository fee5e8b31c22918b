"""For partner sites and data portals: absolute links, the API's front door, open data.

Everything a partner site follows is absolute (on ``WIJKWIJZER_PUBLIC_URL`` when it
is set, else on the request's own base), ``GET /api/v1`` links every resource and
each of those links answers, the DCAT-AP description names the distributions that
really are there, and the version of the corpus has one name across the API.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.markup import Html
from wijkwijzer.web.api.shapes import LICENTIE

BASE = "http://testserver"
PUBLIC = "https://wijkwijzer.example.nl/wijk"
API = "/api/v1"
# Every answer of the API that carries approaches or cells with links.
LINKED = [
    f"{API}/approaches?q=buurt&per_page=5",
    f"{API}/approaches/buurtcirkel",
    f"{API}/compare?slug=buurtcirkel&slug=resto-vanharte",
    f"{API}/erkenningsniveaus",
    f"{API}/export.json",
]
RESOURCES = {
    "self",
    "approaches",
    "approach",
    "approaches-csv",
    "compare",
    "compare-csv",
    "erkenningsniveaus",
    "export",
    "catalog",
    "feed",
    "service-desc",
    "service-doc",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path_factory.mktemp("partners"))


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path_factory.mktemp("publiek"), public_url=PUBLIC)


def links_in(node: Any) -> Iterator[tuple[str, str]]:
    """Every ``url`` and ``html_url`` in a JSON answer, with its key (not the sources' own)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "bron":  # the source document's address on its own site
                continue
            if key in ("url", "html_url") and isinstance(value, str):
                yield key, value
            else:
                yield from links_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from links_in(value)


# -- absolute links ----------------------------------------------------------------------


@pytest.mark.parametrize("path", LINKED)
def test_every_url_and_html_url_is_absolute_on_the_request_base(
    client: TestClient, path: str
) -> None:
    found = list(links_in(client.get(path).json()))
    assert {key for key, _ in found} == {"url", "html_url"}
    assert [url for _, url in found if not url.startswith(BASE + "/")] == []
    # a cell's or an item's links lead somewhere that answers
    for key, url in found[:6]:
        assert client.get(url).status_code == 200, (key, url)


@pytest.mark.parametrize("path", LINKED)
def test_links_use_the_public_url_whatever_the_host(public: TestClient, path: str) -> None:
    answer = public.get(path, headers={"Host": "intern.example:8080"})
    found = [url for _, url in links_in(answer.json())]
    assert found
    assert [url for url in found if not url.startswith(PUBLIC + "/")] == []
    assert "intern.example" not in answer.text


def test_an_item_links_to_its_own_record_and_page(client: TestClient) -> None:
    item = client.get(f"{API}/approaches?per_page=1").json()["items"][0]
    assert item["url"] == f"{BASE}{API}/approaches/{item['slug']}"
    assert item["html_url"] == f"{BASE}/aanpak/{item['slug']}"
    assert client.get(item["url"]).json()["slug"] == item["slug"]


# -- the front door ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [API, f"{API}/"])
def test_the_api_root_links_every_resource_and_each_link_answers(
    client: TestClient, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    links = answer.json()["links"]
    assert {link["rel"] for link in links} == RESOURCES
    for link in links:
        assert link["href"].startswith(BASE + "/"), link
        assert link["beschrijving"], link
        target = link["voorbeeld"] if link["templated"] else link["href"]
        assert "{" in link["href"] if link["templated"] else "{" not in link["href"]
        response = client.get(target)
        assert response.status_code == 200, link
        assert response.headers["content-type"].startswith(link["type"].split(";")[0]), link


def test_the_api_root_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths[API]["get"]["summary"] == "Ingang van de API"
    assert f"{API}/" not in paths  # the same answer, documented once
    assert paths[f"{API}/catalog.jsonld"]["get"]["summary"].startswith("Beschrijving")
    media = paths[f"{API}/catalog.jsonld"]["get"]["responses"]["200"]["content"]
    assert "application/ld+json" in media


def test_the_api_root_follows_the_public_url(public: TestClient) -> None:
    links = public.get(API).json()["links"]
    assert all(link["href"].startswith(PUBLIC + "/") for link in links)


# -- open data -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dcat(client: TestClient) -> dict[str, Any]:
    answer = client.get(f"{API}/catalog.jsonld")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/ld+json"
    body: dict[str, Any] = answer.json()
    return body


def test_dcat_describes_a_catalog_with_one_dataset(dcat: dict[str, Any]) -> None:
    assert dcat["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert dcat["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert dcat["@type"] == "dcat:Catalog"
    assert dcat["@id"] == f"{BASE}{API}/catalog.jsonld"
    (dataset,) = dcat["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    for required in ("dct:title", "dct:description", "dct:publisher", "dct:license"):
        assert dataset[required], required
    assert dataset["dct:title"]["@language"] == "nl"


def test_dcat_distributions_are_the_csv_and_the_export_and_they_answer(
    client: TestClient, dcat: dict[str, Any]
) -> None:
    distributions = dcat["dcat:dataset"][0]["dcat:distribution"]
    downloads = {d["dcat:downloadURL"]["@id"]: d for d in distributions}
    assert set(downloads) == {f"{BASE}{API}/approaches.csv", f"{BASE}{API}/export.json"}
    for url, distribution in downloads.items():
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:accessURL"]["@id"] == url
        answer = client.get(url)
        assert answer.status_code == 200
        media = distribution["dcat:mediaType"]["@id"].rsplit("/media-types/", 1)[1]
        assert answer.headers["content-type"].split(";")[0] == media


def test_dcat_licence_and_publisher_are_the_corpus_own(
    client: TestClient, dcat: dict[str, Any]
) -> None:
    dataset = dcat["dcat:dataset"][0]
    assert dataset["dct:license"]["rdfs:label"]["@value"] == LICENTIE
    assert client.get(f"{API}/export.json").json()["licentie"] == LICENTIE
    assert [p["foaf:name"] for p in dataset["dct:publisher"]] == ["Platform31", "Movisie"]
    sources = [s["dct:title"]["@value"] for s in dataset["dct:source"]]
    assert sources[0].startswith("WijkWijzer. Met bewoners werken")
    version = client.get(f"{API}/approaches?per_page=1").json()["version"]
    assert dataset["owl:versionInfo"] == version


def test_the_version_has_one_name_and_the_old_one_is_deprecated(client: TestClient) -> None:
    listing = client.get(f"{API}/approaches?per_page=1").json()
    export = client.get(f"{API}/export.json").json()
    assert export["version"] == listing["version"] == export["versie"]
    assert list(export).index("version") < list(export).index("versie")
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Export"]
    assert schema["properties"]["versie"]["deprecated"] is True
    assert "deprecated" not in schema["properties"]["version"]
    assert {"version", "versie"} <= set(schema["required"])


@pytest.mark.parametrize(
    ("page", "wanted"),
    [
        ("/?doelgroep=jongeren&page=2&per_page=2", {"text/csv", "application/json"}),
        ("/?q=buurt", {"text/csv", "application/json"}),
        ("/vergelijk?slug=buurtcirkel&slug=resto-vanharte", {"text/csv", "application/json"}),
        ("/erkenning", {"text/csv", "application/json"}),
    ],
)
def test_every_list_compare_and_erkenning_view_links_its_csv_and_json(
    client: TestClient, page: str, wanted: set[str]
) -> None:
    html = Html(client.get(page).text)
    hrefs = html.hrefs()
    main = hrefs[: len(hrefs) - 1 - hrefs[::-1].index("/over")]  # before the footer's links
    found: dict[str, list[str]] = {}
    for href in main:
        if href.startswith(API + "/"):
            answer = client.get(href)
            assert answer.status_code == 200, href
            found.setdefault(answer.headers["content-type"].split(";")[0], []).append(href)
    assert set(found) >= wanted, found
    if page == "/erkenning":
        assert found["application/json"] == [f"{API}/erkenningsniveaus"]
    if page.startswith("/?doelgroep"):  # the JSON is this very page of the listing
        (json_link,) = found["application/json"]
        body = client.get(json_link).json()
        assert (body["page"], body["per_page"]) == (2, 2)
        assert {d["value"] for d in body["facets"]["doelgroep"] if d["selected"]} == {"jongeren"}


def test_oembed_answers_for_pages_on_the_public_url_only(public: TestClient) -> None:
    asked = {"url": f"{PUBLIC}/aanpak/buurtcirkel", "format": "json"}
    answer = public.get("/oembed", params=asked, headers={"Host": "intern.example"})
    assert answer.status_code == 200
    assert f'src="{PUBLIC}/embed/aanpak/buurtcirkel"' in answer.json()["html"]
    assert answer.json()["provider_url"] == f"{PUBLIC}/"
    inner = {"url": f"{BASE}/aanpak/buurtcirkel", "format": "json"}
    assert public.get("/oembed", params=inner).status_code == 404
    home = public.get("/oembed", params={"url": PUBLIC, "format": "json"})
    assert f'src="{PUBLIC}/embed"' in home.json()["html"]
