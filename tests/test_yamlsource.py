"""Reading YAML: libyaml for speed, with exactly PyYAML's own reading and messages."""

import contextlib
import gc
from pathlib import Path

import pytest
import yaml

from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.problems import CorpusError
from wijkwijzer.corpus.yaml_source import Located, parse_yaml

MINI = MINI_CORPUS.read_text(encoding="utf-8")

Outcome = tuple[str, object, object, list[str]]


def outcome(raw: bytes) -> Outcome:
    """Everything a reader of the file gets: data, lines and problems, or the error."""
    try:
        located: Located = parse_yaml(Path("f.yaml"), raw)
    except CorpusError as exc:
        return ("fout", None, None, [str(p) for p in exc.problems])
    return ("gelezen", located.data, located.lines, [str(p) for p in located.problems])


def pure_python_outcome(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    with monkeypatch.context() as patch:
        patch.setattr(yaml, "__with_libyaml__", False)
        return outcome(raw)


@pytest.mark.parametrize("path", [MINI_CORPUS, REAL_CORPUS, VOCABULAIRE], ids=lambda p: p.name)
def test_libyaml_reads_the_corpus_as_pyyaml_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = path.read_bytes()
    assert outcome(raw) == pure_python_outcome(raw, monkeypatch)
    assert outcome(raw)[0] == "gelezen"


# Documents that libyaml accepts, or reads differently, where PyYAML does not.
DISAGREEMENTS = {
    "tab-na-dubbele-punt": MINI.replace("naam: Buurtcirkel", "naam:\tBuurtcirkel"),
    "tab-aan-het-eind": MINI.replace("naam: Buurtcirkel", "naam: Buurtcirkel\t"),
    "bom-midden-in": MINI.replace("    bron:\n      titel", "    bron:\n\ufeff     titel", 1),
    "commentaar-na-blokkop": MINI.replace(
        "doel: Deelnemers gaan zelfstandiger door het leven.",
        "doel: >#\n      Deelnemers gaan zelfstandiger door het leven.",
    ),
    "vraagteken-in-flow": MINI.replace("[kwetsbare-bewoners]", "[kwetsbare?bewoners]"),
    "vraagteken-na-spatie-in-flow": MINI.replace("[kwetsbare-bewoners]", "[kwetsbare ?b]"),
    "vraagteken-in-flow-mapping": MINI.replace("[kwetsbare-bewoners]", "{a?b: c}"),
}


@pytest.mark.parametrize("text", DISAGREEMENTS.values(), ids=list(DISAGREEMENTS))
def test_where_libyaml_disagrees_pyyaml_decides(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = text.encode("utf-8")
    assert outcome(raw) == pure_python_outcome(raw, monkeypatch)


def test_a_syntax_error_is_worded_by_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = MINI.replace("naam: Futsal Chabbab", "naam: [Futsal Chabbab").encode()
    kind, _, _, problems = outcome(raw)
    assert kind == "fout"
    assert problems == [
        "f.yaml:24: (yaml): syntaxfout: while parsing a flow sequence "
        "expected ',' or ']', but got ':'"
    ]
    assert outcome(raw) == pure_python_outcome(raw, monkeypatch)


def test_a_value_that_does_not_fit_its_type_is_a_located_problem() -> None:
    raw = b"aanpakken:\n  - slug: x\n    datum: 2024-02-30\n    leeftijd_min: !!int tien\n"
    kind, data, _, problems = outcome(raw)
    assert kind == "gelezen"
    assert data == {"aanpakken": [{"slug": "x", "datum": "2024-02-30", "leeftijd_min": "tien"}]}
    hint = "(is het tekst? zet het tussen aanhalingstekens)"
    assert problems == [
        f"f.yaml:3: aanpakken[0].datum: '2024-02-30' is geen geldige datum {hint}",
        f"f.yaml:4: aanpakken[0].leeftijd_min: 'tien' is geen geldig geheel getal {hint}",
    ]


def test_lines_point_at_every_field() -> None:
    located = parse_yaml(MINI_CORPUS, MINI_CORPUS.read_bytes())
    assert located.line_of(("aanpakken",)) == 3
    assert located.line_of(("aanpakken", 0, "doel")) == 8
    assert located.line_of(("aanpakken", 1, "doelgroepen", 1)) == 35
    assert located.line_of(("aanpakken", 2, "onbekend")) == 44


@pytest.mark.parametrize("raw", [MINI.encode(), b"aanpakken: [\n"], ids=["geldig", "kapot"])
def test_the_garbage_collector_is_on_again_afterwards(raw: bytes) -> None:
    assert gc.isenabled()
    with contextlib.suppress(CorpusError):
        parse_yaml(Path("f.yaml"), raw)
    assert gc.isenabled()


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    try:
        parse_yaml(Path("f.yaml"), MINI.encode())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pure_python_is_the_fallback_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[type] = []
    compose = yaml.compose
    expected_first = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

    def spying(text: str, Loader: type) -> yaml.Node | None:  # noqa: N803
        used.append(Loader)
        return compose(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", spying)
    parse_yaml(Path("f.yaml"), MINI.encode())
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    parse_yaml(Path("f.yaml"), MINI.encode())
    assert used == [expected_first, yaml.SafeLoader]
