"""`wijkwijzer validate`: every broken-corpus case gives its exact, located message."""

from datetime import date
from pathlib import Path

import pytest

from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS
from wijkwijzer.cli.main import main

MINI = MINI_CORPUS.read_text(encoding="utf-8")
THIS_YEAR = date.today().year


def run_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, err.splitlines()[:-1] if code else [], out


def broken(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "kapot.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def replace_once(old: str, new: str) -> str:
    assert MINI.count(old) >= 1, old
    return MINI.replace(old, new, 1)


def test_real_corpus_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, problems, out = run_validate(REAL_CORPUS, capsys)
    assert (code, problems) == (0, [])
    assert "geldig: 24 aanpakken (interventie: 9, methodische aanpak: 15)" in out


def test_valid_mini_corpus_prints_one_line_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, out = run_validate(broken(tmp_path, MINI), capsys)
    assert code == 0
    assert out.count("\n") == 1
    assert "geldig: 3 aanpakken (interventie: 2, methodische aanpak: 1)" in out


CASES = {
    "yaml-syntax": (
        replace_once("naam: Futsal Chabbab", "naam: [Futsal Chabbab"),
        [
            "24: (yaml): syntaxfout: while parsing a flow sequence expected ',' or ']', but got ':'",
        ],
    ),
    "leeg": (
        "",
        [
            "1: (bestand): het bestand is leeg",
        ],
    ),
    "alleen-commentaar": (
        "# niets\n",
        [
            "1: (bestand): het bestand is leeg",
        ],
    ),
    "geen-mapping": (
        "- buurtcirkel\n- abcd\n",
        [
            "1: (bestand): verwacht een mapping met sleutels bovenaan, kreeg list",
        ],
    ),
    "verplicht-veld-ontbreekt": (
        replace_once("    doel: Deelnemers gaan zelfstandiger door het leven.\n", ""),
        [
            "4: aanpakken[0].doel: verplicht veld ontbreekt (aanpak 'Buurtcirkel')",
        ],
    ),
    "leeg-veld": (
        replace_once("doel: Deelnemers gaan zelfstandiger door het leven.", 'doel: ""'),
        [
            "8: aanpakken[0].doel: mag niet leeg zijn (aanpak 'Buurtcirkel')",
        ],
    ),
    "onbekend-veld": (
        replace_once("    doelgroep: Mensen", "    doelgroup: Mensen"),
        [
            "4: aanpakken[0].doelgroep: verplicht veld ontbreekt (aanpak 'Buurtcirkel')",
            "9: aanpakken[0].doelgroup: onbekend veld 'doelgroup' (bedoelde u 'doelgroep'?) (aanpak 'Buurtcirkel')",
        ],
    ),
    "verkeerd-type": (
        replace_once("leeftijd_min: 8", "leeftijd_min: acht"),
        [
            "36: aanpakken[1].leeftijd_min: verwacht een geheel getal, kreeg tekst 'acht' (aanpak 'Futsal Chabbab')",
        ],
    ),
    "lijst-verwacht": (
        replace_once("doelgroepen: [alle-bewoners]", "doelgroepen: alle-bewoners"),
        [
            "53: aanpakken[2].doelgroepen: verwacht een lijst, kreeg tekst 'alle-bewoners' (aanpak 'ABCD-methode')",
        ],
    ),
    "dubbele-slug": (
        replace_once("slug: abcd-methode", "slug: buurtcirkel"),
        [
            "44: aanpakken[2].slug: slug 'buurtcirkel' komt al voor bij aanpakken[0] (regel 4) (aanpak 'ABCD-methode')",
        ],
    ),
    "dubbele-naam": (
        replace_once("naam: ABCD-methode", "naam: buurtcirkel"),
        [
            "45: aanpakken[2].naam: naam 'buurtcirkel' komt al voor bij aanpakken[0] (regel 5) (aanpak 'buurtcirkel')",
        ],
    ),
    "onbekende-waarde": (
        replace_once("vorm: methodebeschrijving", "vorm: folder"),
        [
            "52: aanpakken[2].vorm: onbekende waarde 'folder'; toegestaan: interventiebeschrijving, methodebeschrijving, handreiking, praktijkhandboek, inspiratiegids, publicatie, verkenning, training, werkwijze (aanpak 'ABCD-methode')",
        ],
    ),
    "onbekende-doelgroep": (
        replace_once("doelgroepen: [kinderen, jongeren]", "doelgroepen: [kinderen, jeugd]"),
        [
            "35: aanpakken[1].doelgroepen[1]: onbekende waarde 'jeugd'; toegestaan: kinderen, jongeren, ouders, ouderen, kwetsbare-bewoners, sociaal-geisoleerden, mensen-met-een-psychische-beperking, buren-met-een-conflict, alle-bewoners, actieve-bewoners, professionals, beleidsmakers (aanpak 'Futsal Chabbab')",
        ],
    ),
    "url-zonder-http": (
        replace_once(
            "url: https://www.movisie.nl/interventie/buurtcirkel",
            "url: javascript:alert(1)",
        ),
        [
            "21: aanpakken[0].bron.url: ongeldige URL 'javascript:alert(1)': alleen http:// of https:// is toegestaan (aanpak 'Buurtcirkel')",
        ],
    ),
    "url-zonder-host": (
        replace_once("url: https://www.movisie.nl/interventie/buurtcirkel", "url: https:/movisie"),
        [
            "21: aanpakken[0].bron.url: ongeldige URL 'https:/movisie': geen geldige host (aanpak 'Buurtcirkel')",
        ],
    ),
    "leeftijden-omgedraaid": (
        replace_once("leeftijd_max: 18", "leeftijd_max: 6"),
        [
            "36: aanpakken[1].leeftijd_min: leeftijd_min (8) is groter dan leeftijd_max (6) (aanpak 'Futsal Chabbab')",
        ],
    ),
    "jaar-in-de-toekomst": (
        replace_once("jaar: 2022", "jaar: 2999"),
        [
            f"18: aanpakken[0].erkenning.jaar: jaar 2999 ligt in de toekomst (het is nu {THIS_YEAR}) (aanpak 'Buurtcirkel')",
        ],
    ),
    "datum-bestaat-niet": (
        replace_once("jaar: 2022", "jaar: 2022-02-30"),
        [
            "18: aanpakken[0].erkenning.jaar: '2022-02-30' is geen geldige datum (is het tekst? zet het tussen aanhalingstekens)",
            "18: aanpakken[0].erkenning.jaar: verwacht een geheel getal, kreeg tekst '2022-02-30' (aanpak 'Buurtcirkel')",
        ],
    ),
    "onbekend-niveau": (
        replace_once("niveau: goed-beschreven", "niveau: erkend"),
        [
            "16: aanpakken[0].erkenning.niveau: onbekende waarde 'erkend'; toegestaan: goed-beschreven, goed-onderbouwd, effectief-eerste-aanwijzingen, effectief-goede-aanwijzingen, effectief-sterke-aanwijzingen, praktijkvoorbeeld, niet-beoordeeld, onbekend (aanpak 'Buurtcirkel')",
        ],
    ),
    "dubbele-sleutel": (
        replace_once(
            "    vorm: interventiebeschrijving\n",
            "    vorm: interventiebeschrijving\n    vorm: training\n",
        ),
        [
            "13: aanpakken[0].vorm: sleutel staat twee keer",
        ],
    ),
    "geen-aanpakken": (
        "aanpakken: []\n",
        [
            "1: aanpakken: mag niet leeg zijn",
        ],
    ),
    "niet-utf8": (
        MINI.replace("één", "EEN")
        .encode("utf-8")
        .replace(b"Deelnemers", "Deëlnemers".encode("latin-1")),
        [
            "8: (bestand): geen geldige UTF-8 (byte 0xeb); sla het bestand op als UTF-8",
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_corpus_reports_exact_problem(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = CASES[case]
    code, problems, _ = run_validate(broken(tmp_path, text), capsys)
    assert code == 1
    assert len(problems) == len(expected), problems
    assert problems == [f"{tmp_path / 'kapot.yaml'}:{want}" for want in expected]


def test_every_problem_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        MINI.replace("vorm: methodebeschrijving", "vorm: folder")
        .replace("leeftijd_max: 18", "leeftijd_max: 6")
        .replace("    doelgroep: Mensen", "    doelgroup: Mensen")
    )
    code, problems, _ = run_validate(broken(tmp_path, text), capsys)
    assert code == 1
    fields = [line.split(": ")[1] for line in problems]
    assert fields == [
        "aanpakken[0].doelgroep",
        "aanpakken[0].doelgroup",
        "aanpakken[1].leeftijd_min",
        "aanpakken[2].vorm",
    ]


def test_summary_line_counts_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", str(broken(tmp_path, "aanpakken: []\n"))])
    assert capsys.readouterr().err.splitlines()[-1] == "1 probleem gevonden"
    main(["validate", str(broken(tmp_path, MINI.replace("vorm: ", "vorm: x")))])
    assert capsys.readouterr().err.splitlines()[-1] == "3 problemen gevonden"


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(tmp_path / "weg.yaml")])
    assert code == 1
    assert (
        "weg.yaml:0: (bestand): kan niet lezen: No such file or directory"
        in capsys.readouterr().err
    )
