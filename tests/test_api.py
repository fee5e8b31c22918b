"""Contract tests of the public JSON API v1, against the real corpus."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.settings import REAL_CORPUS, make_settings
from wijkwijzer.catalogue.comparison import VERGELIJKING
from wijkwijzer.catalogue.errors import OngeldigeVraag
from wijkwijzer.catalogue.facets import FACET_NAMES
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.question import Filtervraag, Zoekvraag, zoekvraag
from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.corpus.vocabulary import Vorm
from wijkwijzer.web.app import create_app

API = "/api/v1"


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("api"), REAL_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    return settings


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as client:
        yield client


def slugs(response: object) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert body["title"]
    return body


def test_listing_without_query_shows_all_by_name(client: TestClient) -> None:
    response = client.get(f"{API}/approaches")
    body = response.json()
    assert response.status_code == 200
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (24, 1, 20, 2)
    assert body["sort"] == "naam"
    names = [item["naam"] for item in body["items"]]
    assert names[0] == "7 bouwstenen voor het opstellen van een buurtagenda"
    assert names == sorted(names, key=str.casefold)
    assert body["links"]["next"].endswith("page=2")
    assert body["links"]["prev"] is None
    item = body["items"][0]
    assert {
        "slug",
        "naam",
        "doel",
        "categorie",
        "vorm",
        "doelgroepen",
        "erkenning",
        "url",
        "html_url",
    } <= set(item)
    assert item["url"] == f"http://testserver{API}/approaches/{item['slug']}"
    assert item["html_url"] == f"http://testserver/aanpak/{item['slug']}"
    second = client.get(body["links"]["next"]).json()
    assert len(second["items"]) == 4
    assert second["links"]["prev"].endswith("page=1")


def test_recognition_carries_status_and_validity(client: TestClient) -> None:
    detail = {
        s: client.get(f"{API}/approaches/{s}").json()["erkenning"]
        for s in ("buurtcirkel", "thuis-op-straat", "goldensports", "abcd-methode")
    }
    assert detail["buurtcirkel"]["status"] == "actueel"
    assert detail["buurtcirkel"]["geldigheid"] == "geldig tot 2027"
    assert detail["thuis-op-straat"]["status"] == "verlopen"
    assert detail["thuis-op-straat"]["geldigheid"] == "verlopen sinds 2022"
    assert detail["goldensports"]["status"] == "onbekend"
    assert detail["abcd-methode"]["status"] == "n.v.t."


def test_filters_or_within_and_across_facets(client: TestClient) -> None:
    ouderen = set(slugs(client.get(f"{API}/approaches?doelgroep=ouderen&per_page=100")))
    kinderen = set(slugs(client.get(f"{API}/approaches?doelgroep=kinderen&per_page=100")))
    both = set(
        slugs(client.get(f"{API}/approaches?doelgroep=ouderen&doelgroep=kinderen&per_page=100"))
    )
    assert "goldensports" in ouderen
    assert "thuis-op-straat" in kinderen
    assert both == ouderen | kinderen
    interventies = set(
        slugs(
            client.get(
                f"{API}/approaches?doelgroep=ouderen&doelgroep=kinderen&categorie=interventie"
                "&per_page=100"
            )
        )
    )
    assert interventies
    assert interventies < both


def test_facet_counts_are_disjunctive(client: TestClient) -> None:
    plain = client.get(f"{API}/approaches").json()["facets"]["doelgroep"]
    chosen = client.get(f"{API}/approaches?doelgroep=ouderen").json()
    facet = chosen["facets"]["doelgroep"]
    assert [v["count"] for v in facet] == [v["count"] for v in plain]
    assert [v["value"] for v in facet if v["selected"]] == ["ouderen"]
    ouderen = next(v for v in facet if v["value"] == "ouderen")
    assert ouderen["count"] == chosen["total"]
    niveau = {v["value"]: v["count"] for v in chosen["facets"]["erkenningsniveau"]}
    assert sum(niveau.values()) == chosen["total"]


def test_age_filter_uses_stated_ranges(client: TestClient) -> None:
    strict = "alleen_met_leeftijd=true"
    assert sorted(slugs(client.get(f"{API}/approaches?leeftijd=10&{strict}"))) == [
        "futsal-chabbab",
        "thuis-op-straat",
    ]
    assert sorted(slugs(client.get(f"{API}/approaches?leeftijd=70&{strict}"))) == [
        "citytrainers",
        "goldensports",
        "studio-bruis",
    ]
    # Without the narrowing parameter, approaches that state no ages stay in.
    body = client.get(f"{API}/approaches?leeftijd=70&per_page=100").json()
    unstated = sorted(i["slug"] for i in body["items"] if not i["leeftijd_genoemd"])
    assert body["zonder_leeftijd"] == len(unstated) > 0
    assert sorted(slugs(client.get(f"{API}/approaches?leeftijd=70&per_page=100"))) == sorted(
        ["citytrainers", "goldensports", "studio-bruis", *unstated]
    )


def test_sort_by_recognition_puts_what_holds_first(client: TestClient) -> None:
    items = client.get(f"{API}/approaches?sort=erkenningsniveau&per_page=100").json()["items"]
    groups = {"actueel": 0, "verloopt-binnenkort": 0, "onbekend": 1, "verlopen": 2, "n.v.t.": 3}
    keys = [(groups[i["erkenning"]["termijn"]], -i["erkenning"]["rang"]) for i in items]
    assert keys == sorted(keys)
    assert items[0]["slug"] == "buurtcirkel"


def test_text_search_gives_highlights_and_relevance(client: TestClient) -> None:
    body = client.get(f"{API}/approaches", params={"q": "eenzaamheid"}).json()
    assert body["sort"] == "relevantie"
    top = {item["slug"]: item for item in body["items"][:3]}
    assert {"wijk-en-psychiatrie", "resto-vanharte"} <= set(top)
    assert "<mark>eenzaamheid</mark>" in top["wijk-en-psychiatrie"]["highlights"]["doel"].lower()


def test_api_and_service_return_the_same_order(client: TestClient) -> None:
    catalogue: Catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    for params in (
        {"q": "jongeren sport"},
        {"doelgroep": "ouderen", "sort": "erkenningsniveau"},
        {"q": "buren ruzie", "categorie": "methodische-aanpak"},
    ):
        via_api = slugs(client.get(f"{API}/approaches", params=params))
        filters = {k: [v] for k, v in params.items() if k not in ("q", "sort")}
        vraag = Zoekvraag(q=params.get("q", ""), sort=params.get("sort"), **filters)
        assert via_api == [i.slug for i in catalogue.listing(vraag).items]


def test_detail_has_every_field_and_related(client: TestClient) -> None:
    body = client.get(f"{API}/approaches/samen-lukt-het-zelf").json()
    assert [s["label"] for s in body["stappen"]] == [f"Fase {i}" for i in range(5)]
    assert body["stappen_soort"] == "fasen"
    for key in (
        "doelgroep",
        "omschrijving",
        "uitvoerders",
        "kenmerken",
        "werkzame_elementen",
        "bron",
        "herkomst",
    ):
        assert key in body
    related = [r["slug"] for r in body["related"]]
    assert 3 <= len(related) <= 5
    assert "samen-lukt-het-zelf" not in related


def test_unknown_slug_is_404_with_close_matches(client: TestClient) -> None:
    body = problem(client.get(f"{API}/approaches/buurtcirkle"), 404)
    assert "buurtcirkel" in body["suggesties"]  # type: ignore[operator]
    assert "buurtcirkle" in str(body["detail"])


def test_compare_aligns_fields(client: TestClient) -> None:
    body = client.get(f"{API}/compare?slug=buurtcirkel&slug=resto-vanharte").json()
    assert body["slugs"] == ["buurtcirkel", "resto-vanharte"]
    rows = {r["veld"]: r for r in body["rijen"]}
    assert rows["erkenningsniveau"]["waarden"] == ["Goed beschreven", "Goed beschreven"]
    assert rows["erkenningsniveau"]["verschillend"] is False
    assert rows["erkenning_geldigheid"]["waarden"] == [
        "Actueel · geldig tot 2027 · oordeel uit 2022",
        "Verlopen · verlopen sinds 2020 · oordeel uit 2015",
    ]
    assert rows["erkenning_geldigheid"]["verschillend"] is True


def test_compare_rows_are_the_comparison_fields_in_order(client: TestClient) -> None:
    body = client.get(f"{API}/compare?slug=buurtcirkel&slug=resto-vanharte").json()
    assert [(r["veld"], r["label"]) for r in body["rijen"]] == [
        (veld.key, veld.label) for veld in VERGELIJKING
    ]


@pytest.mark.parametrize("query", ["slug=buurtcirkel", "slug=a&slug=b&slug=c&slug=d&slug=e"])
def test_compare_needs_two_to_four(client: TestClient, query: str) -> None:
    body = problem(client.get(f"{API}/compare?{query}"), 422)
    assert "slug" in str(body["detail"])


def test_compare_unknown_slug_is_404_with_close_matches(client: TestClient) -> None:
    body = problem(client.get(f"{API}/compare?slug=buurtcirkel&slug=resto-vanhart"), 404)
    assert "geen aanpak 'resto-vanhart'" in str(body["detail"])
    assert body["suggesties"] == ["resto-vanharte"]


def test_ladder_in_order_with_counts(client: TestClient) -> None:
    ladder = client.get(f"{API}/erkenningsniveaus").json()
    assert [n["code"] for n in ladder][:5] == [
        "effectief-sterke-aanwijzingen",
        "effectief-goede-aanwijzingen",
        "effectief-eerste-aanwijzingen",
        "goed-onderbouwd",
        "goed-beschreven",
    ]
    assert sum(n["count"] for n in ladder) == 24
    onderbouwd = next(n for n in ladder if n["code"] == "goed-onderbouwd")
    assert set(onderbouwd["slugs"]) == {
        "futsal-chabbab",
        "goldensports",
        "pbs-in-de-wijk",
        "wijkacademie-opvoeden",
    }
    assert set(onderbouwd["verlopen"]) == {"futsal-chabbab", "wijkacademie-opvoeden"}
    assert all(n["definitie"] for n in ladder)


def test_csv_has_bom_and_all_matching_rows(client: TestClient) -> None:
    response = client.get(f"{API}/approaches.csv?categorie=methodische-aanpak")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 15
    abcd = next(r for r in rows if r["slug"] == "abcd-methode")
    assert abcd["erkenningsniveau"] == "Niet beoordeeld"
    assert "Buurtreminiscentie" in {r["naam"] for r in rows}
    everything = client.get(f"{API}/approaches.csv").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 24
    assert "Kan wél!" in everything


def test_export_is_the_whole_catalogue_with_licence(client: TestClient) -> None:
    body = client.get(f"{API}/export.json").json()
    assert len(body["aanpakken"]) == 24
    assert "EUPL-1.2" in body["licentie"]
    assert body["versie"] == client.get("/healthz").json()["corpus"]
    assert len(body["erkenningsniveaus"]) == 8


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("per_page=1000", "per_page: moet hoogstens 100 zijn"),
        ("page=0", "page: moet minstens 1 zijn"),
        ("q=" + "a" * 201, "q: te lang: hoogstens 200 tekens"),
        ("doelgroep=jeugd", "doelgroep.0: onbekende waarde 'jeugd'; toegestaan: 'kinderen'"),
        ("sort=willekeurig", "sort: onbekende waarde 'willekeurig'"),
        ("leeftijd=abc", "leeftijd: verwacht een geheel getal"),
        ("page=" + "9" * 40, "page: moet hoogstens 100000 zijn"),
        ("leeftijd=-1", "leeftijd: moet minstens 0 zijn"),
    ],
)
def test_invalid_parameters_are_specific_problems(
    client: TestClient, query: str, fragment: str
) -> None:
    body = problem(client.get(f"{API}/approaches?{query}"), 422)
    assert fragment in str(body["detail"]), body["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "q=%00%01%02",
        "q=%F0%9F%98%80%20ouderen",
        "q=%22%28%5B",
        "q=AND%20OR%20NOT",
        "q=*:*",
        "q=naam:buurtcirkel",
        "doelgroep=ouderen&" * 50 + "page=1",
        "q=ouderen&q=jongeren",
        "q=%E2%80%AE%E2%80%8B",
        "per_page=1&page=99999",
    ],
)
def test_strange_input_never_errors(client: TestClient, query: str) -> None:
    response = client.get(f"{API}/approaches?{query}")
    assert response.status_code == 200, response.text
    assert "items" in response.json()


def test_unknown_api_path_is_a_problem(client: TestClient) -> None:
    problem(client.get(f"{API}/bestaat-niet"), 404)
    response = client.post(f"{API}/approaches")
    problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_cors_allows_any_origin(client: TestClient) -> None:
    response = client.get(f"{API}/approaches", headers={"Origin": "https://gemeente.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        f"{API}/approaches",
        headers={"Origin": "https://gemeente.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_etag_and_304(client: TestClient) -> None:
    first = client.get(f"{API}/approaches?q=ouderen")
    etag = first.headers["etag"]
    assert etag.startswith('"')  # strong, not W/

    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(f"{API}/approaches?q=ouderen", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get(f"{API}/approaches?q=jongeren")
    assert other.headers["etag"] != etag


def test_reload_changes_etags(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        before = client.get(f"{API}/approaches").headers["etag"]
        changed = tmp_path / "corpus.yaml"
        changed.write_text(
            settings.corpus.read_text(encoding="utf-8").replace(
                "Een buurtcirkel komt wekelijks", "Een buurtcirkel komt elke week"
            ),
            encoding="utf-8",
        )
        load_catalogue(settings, load_corpus(changed, settings.vocabulaire))
        after = client.get(f"{API}/approaches")
        assert after.headers["etag"] != before
        assert client.get(f"{API}/approaches", headers={"If-None-Match": before}).status_code == 200


def test_the_listing_question_is_one_model_with_a_parameter_per_facet(
    client: TestClient,
) -> None:
    assert set(FACET_NAMES) <= set(Filtervraag.model_fields)
    schema = client.get("/openapi.json").json()
    parameters = schema["paths"][f"{API}/approaches"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == list(Zoekvraag.model_fields)


def test_a_question_built_from_plain_values_fails_in_dutch() -> None:
    assert zoekvraag({"q": " buurt ", "doelgroep": ["ouderen"]}).filters == {
        "doelgroep": ["ouderen"]
    }
    with pytest.raises(OngeldigeVraag) as wrong:
        zoekvraag({"vorm": ["folder"]})
    assert (wrong.value.parameter, str(wrong.value)) == (
        "vorm",
        "onbekende waarde 'folder' voor vorm",
    )
    assert wrong.value.allowed == [v.value for v in Vorm]
    with pytest.raises(OngeldigeVraag, match="de zoektekst is 201 tekens; het maximum is 200"):
        zoekvraag({"q": "a" * 201})
    with pytest.raises(OngeldigeVraag, match="leeftijd moet tussen 0 en 120 jaar liggen"):
        zoekvraag({"leeftijd": 121})


def test_openapi_documents_every_parameter(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path in (
        "/approaches",
        "/approaches/{slug}",
        "/compare",
        "/erkenningsniveaus",
        "/approaches.csv",
        "/export.json",
    ):
        operation = schema["paths"][API + path]["get"]
        assert operation.get("description") or operation.get("summary")
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
            assert (
                "examples" in parameter
                or "example" in parameter
                or "examples" in parameter.get("schema", {})
            ), (path, parameter["name"])
    assert client.get("/docs").status_code == 200
