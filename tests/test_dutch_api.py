"""The API speaks Dutch: its OpenAPI document, and every problem it answers with."""

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from tests.helpers.settings import MINI_CORPUS, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.catalogue.question import allowed_values, melding
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app

API = "/api/v1"

# Common English words that are no Dutch words. "of" and "is" are left out on purpose:
# both are everyday Dutch ("a, b of c"; "de zoektekst is te lang").
ENGLISH = frozenset(
    {
        *("the", "and", "with", "to", "for", "list", "get", "input", "should", "be", "or"),
        *("a", "an", "from", "this", "that", "which", "its", "are", "by", "on", "not"),
        *("must", "field", "required", "successful", "response", "error", "valid"),
    }
)
# What is no prose: `code`, 'values' and "values" as quoted, web addresses and paths.
NOT_PROSE = re.compile(r"`[^`]*`|(?<!\w)'[^']*'|\"[^\"]*\"|https?://\S+|(?<!\w)/\S*")
WORD = re.compile(r"[^\W\d_]+")


def english_words(text: str) -> set[str]:
    return {w for w in WORD.findall(NOT_PROSE.sub(" ", text)) if w.lower() in ENGLISH}


def test_the_stoplist_knows_english_from_dutch() -> None:
    assert english_words("Input should be 'a', 'b' or 'c'") == {"Input", "should", "be", "or"}
    assert english_words("List Approaches") == {"List"}
    assert not english_words("onbekende waarde 'xyz'; toegestaan: 'a', 'b' of 'c'")
    assert not english_words("Aantal gevonden aanpakken (alle pagina's); `and` of `or`.")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("dutch"), MINI_CORPUS)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with TestClient(create_app(settings)) as client:
        yield client


# -- the OpenAPI document ---------------------------------------------------------------

# Values, not prose: what is under these keys is data (examples, defaults, codes).
DATA_KEYS = frozenset({"examples", "example", "enum", "default", "const"})


def texts(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every summary and description in `node`, with where it is (titles are names)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description") and isinstance(value, str):
                yield f"{where}/{key}", value
            elif key not in DATA_KEYS:
                yield from texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{where}/{i}")


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    schema: dict[str, Any] = client.get("/openapi.json").json()
    return schema


def test_every_operation_has_a_dutch_summary(openapi: dict[str, Any]) -> None:
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]
    assert operations
    without = [name for name, operation in operations if not operation.get("summary")]
    assert not without, without
    # Without a summary of its own, FastAPI makes one of the function's name ("List Approaches"),
    # the name its operationId starts with.
    made = [
        name
        for name, operation in operations
        if operation["operationId"].startswith(operation["summary"].lower().replace(" ", "_"))
    ]
    assert not made, made
    english = {
        name: operation["summary"]
        for name, operation in operations
        if english_words(operation["summary"])
    }
    assert not english, english


def test_every_text_of_the_openapi_document_is_dutch(openapi: dict[str, Any]) -> None:
    english = {where: text for where, text in texts(openapi) if english_words(text)}
    assert not english, english


def test_fastapis_english_validation_schemas_are_gone(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas


# -- the problems -----------------------------------------------------------------------

BAD_REQUESTS = [
    f"{API}/approaches?doelgroep=xyz",
    f"{API}/approaches?sort=willekeurig",
    f"{API}/approaches?page=0",
    f"{API}/approaches?page=abc",
    f"{API}/approaches?per_page=1000",
    f"{API}/approaches?leeftijd=-1",
    f"{API}/approaches?leeftijd=1.5",
    f"{API}/approaches?q=" + "a" * 201,
    f"{API}/approaches?vorm=x&categorie=y&page=-3",
    f"{API}/approaches.csv?erkenningsniveau=xyz",
    f"{API}/approaches/bestaat-niet",
    f"{API}/approaches/" + "x" * 201,
    f"{API}/compare?slug=buurtcirkel",
    f"{API}/compare?slug=a&slug=b&slug=c&slug=d&slug=e",
    f"{API}/compare",
    f"{API}/compare?slug=buurtcirkel&slug=bestaat-niet",
]


@pytest.mark.parametrize("url", BAD_REQUESTS)
def test_every_problem_is_told_in_dutch(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    messages = [body["title"], body["detail"]]
    messages += [error["melding"] for error in body.get("errors", [])]
    assert all(messages), body
    english = [message for message in messages if english_words(message)]
    assert not english, english


def test_an_unknown_code_names_what_is_allowed_in_dutch(client: TestClient) -> None:
    *first, last = (f"'{code}'" for code in allowed_values("sort"))
    detail = client.get(f"{API}/approaches?sort=willekeurig").json()["detail"]
    assert detail == (
        f"sort: onbekende waarde 'willekeurig'; toegestaan: {', '.join(first)} of {last}"
    )


def test_an_unknown_kind_of_error_gets_a_general_dutch_sentence() -> None:
    error = {"type": "iets_nieuws", "msg": "Input should be nice", "input": "x", "loc": ("a",)}
    assert melding(error) == "ongeldige waarde 'x'"


class Alles(BaseModel):
    """A model with one of each kind of value, to provoke each kind of error."""

    vlag: bool
    getal: float
    geheel: int = Field(gt=0, lt=10)
    tekst: str = Field(min_length=2, pattern=r"^[a-z]+$")
    keuze: Literal["ja", "nee"]
    dag: date
    lijst: list[int]
    nodig: str


@pytest.mark.parametrize(
    "data",
    [
        {"vlag": "misschien", "getal": "veel", "geheel": 0, "tekst": "A", "keuze": "wellicht"},
        {"vlag": [], "getal": None, "geheel": 10, "tekst": "AB", "dag": "gisteren", "lijst": 3},
        {"geheel": 1.5, "tekst": 5, "dag": "2024-13-40", "lijst": ["x"], "nodig": {}},
    ],
)
def test_every_kind_of_validation_error_is_worded_in_dutch(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        Alles.model_validate(data)
    for error in caught.value.errors():
        text = melding(error)
        assert text, error
        assert not english_words(text), (error["type"], text)
        assert text != error["msg"], error


def test_a_422_names_ten_errors_and_counts_them_all(client: TestClient) -> None:
    answer = client.get(f"{API}/approaches?" + "&".join(["vorm=x"] * 150))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert len(problem["errors"]) == 10
    assert problem["aantal_fouten"] == 150
    assert problem["detail"].endswith("; en nog 140 (in totaal 150 fouten)")
    assert len(answer.content) < 8_000
    assert not english_words(problem["detail"])
    few = client.get(f"{API}/approaches?vorm=x&vorm=y").json()
    assert len(few["errors"]) == 2
    assert "aantal_fouten" not in few


def test_comparing_an_approach_with_itself_is_a_422(client: TestClient) -> None:
    for url in (
        f"{API}/compare?slug=buurtcirkel&slug=buurtcirkel",
        f"{API}/compare.csv?slug=a&slug=a",
    ):
        answer = client.get(url)
        assert answer.status_code == 422, url
        assert answer.headers["content-type"] == "application/problem+json"
    problem = client.get(f"{API}/compare?slug=buurtcirkel&slug=futsal-chabbab&slug=buurtcirkel")
    assert problem.json()["detail"] == (
        "slug: 'buurtcirkel' staat er meer dan eens in; vergelijk verschillende aanpakken"
    )
    page = client.get("/vergelijk?slug=buurtcirkel&slug=buurtcirkel&slug=futsal-chabbab")
    assert page.status_code == 200  # the page compares each approach once, and says so
    assert page.text.count('<th scope="col"><a href="/aanpak/') == 2
    assert "Meer dan eens gevraagd en één keer getoond: buurtcirkel." in page.text
