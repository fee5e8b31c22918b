"""For search engines and link previews: titles, canonical links, OpenGraph, JSON-LD,
the sitemap, robots.txt and the OpenSearch description.

That the JSON-LD raises no CSP violation in a real Chromium is checked in
``tests/e2e/test_security.py``.
"""

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.helpers.clients import loaded_client
from tests.helpers.corpora import HOSTILE, hostile_corpus
from tests.helpers.markup import Html
from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
SLUGS = [a["slug"] for a in yaml.safe_load(REAL_CORPUS.read_text("utf-8"))["aanpakken"]]
PAGES = ["/", "/?q=buurt", "/aanpak/buurtcirkel", "/vergelijk", "/erkenning", "/over"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from loaded_client(tmp_path_factory.mktemp("zoekmachines"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("vijandig-ld")
    yield from loaded_client(tmp, hostile_corpus(tmp / "corpus.yaml"))


def title(text: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", text)
    assert found
    return found.group(1)


def meta(page: Html, key: str) -> str:
    found = page.find("meta", property=key) or page.find("meta", name=key)
    assert len(found) == 1, key
    return found[0]["content"]


# -- titles, canonical links, previews ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("", "24 aanpakken, pagina 1 – WijkWijzer"),
        (
            "doelgroep=jongeren&erkenningsniveau=goed-onderbouwd&page=2&per_page=1",
            "Jongeren, Goed onderbouwd – 2 aanpakken, pagina 2 – WijkWijzer",
        ),
        ("q=eenzame+ouderen&leeftijd=70&per_page=100", "‘eenzame ouderen’, 70 jaar – "),
        ("q=xyzzyqq&doelgroep=ouderen", "‘xyzzyqq’, Ouderen – 0 aanpakken – WijkWijzer"),
    ],
)
def test_page_titles_name_the_filters_the_count_and_the_page(
    client: TestClient, query: str, wanted: str
) -> None:
    shown = title(client.get(f"/?{query}").text)
    assert shown.startswith(wanted) or shown == wanted, shown
    if "pagina" not in wanted:
        assert "pagina" not in shown


@pytest.mark.parametrize(
    "variant",
    [
        "/?erkenningsniveau=goed-onderbouwd&doelgroep=jongeren",
        "/?doelgroep=jongeren&erkenningsniveau=goed-onderbouwd&page=1&per_page=20",
        "/?sort=naam&doelgroep=jongeren&erkenningsniveau=goed-onderbouwd&doelgroep=jongeren",
        "/?doelgroep=jongeren&vorm=onzin&erkenningsniveau=goed-onderbouwd&alleen_met_leeftijd=false",
        "/?utm_source=nieuwsbrief&erkenningsniveau=goed-onderbouwd&doelgroep=jongeren",
    ],
)
def test_a_listing_has_one_canonical_url_however_it_is_asked(
    client: TestClient, variant: str
) -> None:
    page = Html(client.get(variant).text)
    (link,) = page.find("link", rel="canonical")
    assert link["href"] == f"{BASE}/?doelgroep=jongeren&erkenningsniveau=goed-onderbouwd"
    assert meta(page, "og:url") == link["href"]


def test_canonical_keeps_what_changes_the_answer(client: TestClient) -> None:
    page = Html(client.get("/?q=buurt&sort=naam&page=2&per_page=5").text)
    (link,) = page.find("link", rel="canonical")
    assert link["href"] == f"{BASE}/?q=buurt&sort=naam&page=2&per_page=5"
    (plain,) = Html(client.get("/?q=buurt&sort=relevantie").text).find("link", rel="canonical")
    assert plain["href"] == f"{BASE}/?q=buurt"


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_opengraph_and_twitter_meta(client: TestClient, path: str) -> None:
    text = client.get(path).text
    page = Html(text)
    (canonical,) = page.find("link", rel="canonical")
    assert canonical["href"].startswith(BASE + "/")
    assert meta(page, "og:title") == title(text).removesuffix(" – WijkWijzer")
    assert meta(page, "og:description") == page.find("meta", name="description")[0]["content"]
    assert meta(page, "og:url") == canonical["href"]
    assert meta(page, "og:type") == ("article" if path.startswith("/aanpak/") else "website")
    assert meta(page, "og:site_name") == "WijkWijzer"
    assert meta(page, "twitter:card") == "summary"


def test_an_approach_page_is_its_own_canonical(client: TestClient) -> None:
    page = Html(client.get("/aanpak/buurtcirkel?utm_source=x").text)
    assert page.find("link", rel="canonical")[0]["href"] == f"{BASE}/aanpak/buurtcirkel"
    assert meta(page, "og:title") == "Buurtcirkel"


def test_an_error_page_has_no_canonical(client: TestClient) -> None:
    assert not Html(client.get("/bestaat-niet").text).find("link", rel="canonical")


# -- JSON-LD -----------------------------------------------------------------------------


def jsonld(text: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(found) == 1
    data: dict[str, object] = json.loads(found[0])
    return data


@pytest.mark.parametrize("slug", SLUGS)
def test_every_approach_page_describes_itself_in_schema_org(client: TestClient, slug: str) -> None:
    record = client.get(f"/api/v1/approaches/{slug}").json()
    data = jsonld(client.get(f"/aanpak/{slug}").text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == ("HowTo" if record["stappen"] else "CreativeWork")
    assert data["name"] == record["naam"]
    assert data["description"] == record["doel"]
    assert data["url"] == record["html_url"]
    audience = data["audience"]
    assert isinstance(audience, list)
    assert [a["audienceType"] for a in audience] == [d["label"] for d in record["doelgroepen"]]
    assert all(a["@type"] == "PeopleAudience" for a in audience)
    if record["leeftijd_min"] is not None:
        assert audience[0]["suggestedMinAge"] == record["leeftijd_min"]
    e = record["erkenning"]
    if e["termijn"] == "n.v.t.":
        assert "award" not in data
    else:
        assert data["award"].startswith(f"Erkenningsniveau {e['label']}")  # type: ignore[attr-defined]
        if e["databank"]:
            assert e["databank"] in data["award"]  # type: ignore[operator]
    if record["stappen"]:
        steps = data["step"]
        assert isinstance(steps, list)
        assert [s["name"] for s in steps] == [s["titel"] for s in record["stappen"]]
        assert [s["position"] for s in steps] == list(range(1, len(steps) + 1))


def test_jsonld_keeps_hostile_text_as_data_and_never_ends_its_element(
    hostile: TestClient,
) -> None:
    slug = yaml.safe_load(hostile_corpus_path(hostile).read_text("utf-8"))["aanpakken"][0]["slug"]
    text = hostile.get(f"/aanpak/{slug}").text
    block = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[0]
    assert "<" not in block
    assert ">" not in block
    assert "&" not in block
    data = json.loads(block)
    assert data["name"] == HOSTILE["naam"]  # the very text, as data
    assert data["description"] == HOSTILE["doel"]
    assert data["isBasedOn"]["name"] == HOSTILE["bron"]["titel"]


def hostile_corpus_path(client: TestClient) -> Path:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    corpus: Path = settings.corpus
    return corpus


# -- sitemap, robots.txt, OpenSearch -------------------------------------------------------


def test_sitemap_lists_the_main_pages_and_every_approach(client: TestClient) -> None:
    answer = client.get("/sitemap.xml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(answer.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    locs = [u.findtext(f"{SITEMAP}loc") for u in urls]
    assert locs[:3] == [f"{BASE}/", f"{BASE}/erkenning", f"{BASE}/over"]
    assert sorted(locs[3:]) == sorted(f"{BASE}/aanpak/{slug}" for slug in SLUGS)
    for loc in locs[:5]:
        assert loc is not None
        assert client.get(loc).status_code == 200
    for url, loc in zip(urls[3:], locs[3:], strict=True):
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is not None
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", lastmod), lastmod
        slug = str(loc).rsplit("/", 1)[1]
        record = client.get(f"/api/v1/approaches/{slug}").json()
        assert datetime.fromisoformat(lastmod) == datetime.fromisoformat(
            record["laatst_gewijzigd"]
        ).replace(microsecond=0)
    newest = max(str(u.findtext(f"{SITEMAP}lastmod")) for u in urls[3:])
    assert {u.findtext(f"{SITEMAP}lastmod") for u in urls[:3]} == {newest}


def test_sitemap_and_dcat_date_an_approach_by_its_own_last_change(
    tmp_path: Path, corpus_file: Path
) -> None:
    settings = make_settings(tmp_path, corpus_file)
    first, later = datetime(2026, 3, 1, 9, 30, tzinfo=UTC), datetime(2026, 6, 2, 14, 0, tzinfo=UTC)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire), now=first)
    with TestClient(create_app(settings)) as client:
        data = yaml.safe_load(corpus_file.read_text("utf-8"))
        changed = data["aanpakken"][1]["slug"]
        data["aanpakken"][1]["doel"] += " Nu ook in het weekend."
        corpus_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire), now=later)
        root = ET.fromstring(client.get("/sitemap.xml").content)
        dates = {
            str(u.findtext(f"{SITEMAP}loc")): u.findtext(f"{SITEMAP}lastmod")
            for u in root.findall(f"{SITEMAP}url")
        }
        assert dates.pop(f"{BASE}/aanpak/{changed}") == "2026-06-02T14:00:00+00:00"
        assert dates.pop(f"{BASE}/") == "2026-06-02T14:00:00+00:00"
        assert {dates[f"{BASE}/aanpak/{a['slug']}"] for a in data["aanpakken"][2:]} == {
            "2026-03-01T09:30:00+00:00"
        }
        dcat = client.get("/api/v1/catalog.jsonld").json()
        assert dcat["dct:modified"]["@value"] == "2026-06-02T14:00:00+00:00"
        assert dcat["dcat:dataset"][0]["dct:modified"]["@type"] == "xsd:dateTime"


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_the_frames(
    client: TestClient,
) -> None:
    answer = client.get("/robots.txt")
    assert answer.headers["content-type"].startswith("text/plain")
    lines = answer.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert {"Disallow: /embed", "Disallow: /oembed"} <= set(lines)
    assert "Disallow: /" not in lines


def test_opensearch_description_lets_a_browser_search_the_catalogue(client: TestClient) -> None:
    answer = client.get("/opensearch.xml")
    assert answer.headers["content-type"] == "application/opensearchdescription+xml"
    root = ET.fromstring(answer.content)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.findtext(f"{OPENSEARCH}ShortName") == "WijkWijzer"
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{OPENSEARCH}Url")}
    page = templates["text/html"]
    assert page == f"{BASE}/?q={{searchTerms}}"
    found = client.get(page.replace("{searchTerms}", "eenzame ouderen"))
    assert "‘eenzame ouderen’" in title(found.text)
    api = templates["application/json"]
    assert api is not None
    assert client.get(api.replace("{searchTerms}", "buurt")).json()["total"] > 0
    assert templates["application/opensearchdescription+xml"] == f"{BASE}/opensearch.xml"


@pytest.mark.parametrize("path", [*PAGES, "/bestaat-niet"])
def test_every_page_points_browsers_at_the_opensearch_description(
    client: TestClient, path: str
) -> None:
    (link,) = Html(client.get(path).text).find("link", rel="search")
    assert link["type"] == "application/opensearchdescription+xml"
    assert link["href"] == f"{BASE}/opensearch.xml"
