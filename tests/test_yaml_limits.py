"""Reading a corpus is bounded, whatever the bytes (issue 13, points 2 and 3).

Anchors, aliases and merge keys are refused before anything is expanded; so are
nesting deeper than ten lists and mappings, control characters, a text over
20,000 characters and a file over the size limit. Each refusal names file, line
and field and says what to do, in time and memory that stay small: in this
process under an alarm, and through ``wijkwijzer validate`` in a child process
with little address space.
"""

import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.helpers.bounded import cli_with_memory, read_within, within
from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, VOCABULAIRE
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.corpus.problems import CorpusError

MINI = MINI_CORPUS.read_text(encoding="utf-8")
LINES = MINI.count("\n")
MAX_REPORTED = 20  # refusals of one kind named per file (yaml_guard.MAX_REPORTED)
ANCHOR = (
    "is niet toegestaan: het corpus gebruikt geen ankers, verwijzingen of samenvoegsleutels; "
    "schrijf de waarde voluit"
)
ALIAS = "is niet toegestaan: schrijf de waarde voluit op deze plek"
DEEP = (
    "te diep genest: meer dan 10 lijsten en mappings in elkaar; "
    "haal overbodige haakjes of inspringingen weg"
)
CONTROL = "is niet toegestaan (alleen regeleinde en tab): verwijder het"


def replaced(old: str, new: str) -> str:
    assert MINI.count(old) == 1, old
    return MINI.replace(old, new)


def bomb(levels: int, width: int = 10) -> str:
    """A billion laughs: `levels` anchored lists, each `width` times the one before."""
    lines = ["bom0: &bom0 [" + ", ".join(["ha"] * width) + "]"]
    lines += [
        f"bom{i}: &bom{i} [" + ", ".join([f"*bom{i - 1}"] * width) + "]" for i in range(1, levels)
    ]
    return MINI + "\n".join(lines) + "\n"


REST = " Een buurtcirkel komt wekelijks bij elkaar."  # after the long text, on its line
NESTED = "aanpakken[1].doelgroepen" + "[0]" * 7  # the eleventh list inside each other

# name: (content, the first problems expected, after "FILE:")
CASES: dict[str, tuple[str | bytes, list[str]]] = {
    "recursieve-alias-flow": (
        replaced("    kenmerken: [verbinding", "    rec: &r [*r]\n    kenmerken: [verbinding"),
        [
            f"14: aanpakken[0].rec: anker &r {ANCHOR}",
            f"14: aanpakken[0].rec[0]: verwijzing *r {ALIAS}",
        ],
    ),
    "recursieve-alias-blok": (
        replaced(
            "    erkenning:\n      niveau: goed-beschreven\n",
            "    erkenning: &e\n      niveau: goed-beschreven\n      zelf: *e\n",
        ),
        [
            f"15: aanpakken[0].erkenning: anker &e {ANCHOR}",
            f"17: aanpakken[0].erkenning.zelf: verwijzing *e {ALIAS}",
        ],
    ),
    "aliasbom-10-tot-de-7e": (
        bomb(7),
        [
            f"{LINES + 1}: bom0: anker &bom0 {ANCHOR}",
            f"{LINES + 2}: bom1: anker &bom1 {ANCHOR}",
            f"{LINES + 2}: bom1[0]: verwijzing *bom0 {ALIAS}",
        ],
    ),
    "samenvoegsleutel": (
        replaced("    naam: Buurtcirkel\n", "    <<: {naam: Buurtcirkel}\n"),
        ["5: aanpakken[0]: samenvoegsleutel << is niet toegestaan: schrijf de velden voluit"],
    ),
    "samenvoegsleutel-met-alias": (
        "basis: &b {naam: x}\n" + replaced("    naam: Buurtcirkel\n", "    <<: *b\n"),
        [
            f"1: basis: anker &b {ANCHOR}",
            "6: aanpakken[0]: samenvoegsleutel << is niet toegestaan: schrijf de velden voluit",
        ],
    ),
    "anker-alleen": (
        replaced("  - slug: buurtcirkel\n", "  - slug: &s buurtcirkel\n"),
        [f"4: aanpakken[0].slug: anker &s {ANCHOR}"],
    ),
    "diep-genest-20": (
        replaced("doelgroepen: [kinderen, jongeren]", "doelgroepen: " + "[" * 20 + "]" * 20),
        [f"35: {NESTED}: {DEEP}"],
    ),
    "diep-genest-100000-haken": (
        replaced(
            "doelgroepen: [kinderen, jongeren]", "doelgroepen: " + "[" * 100_000 + "]" * 100_000
        ),
        [f"35: {NESTED}: {DEEP}"],
    ),
    "diep-genest-blok": (
        replaced(
            "    doelgroepen: [kinderen, jongeren]\n",
            "    doelgroepen:\n" + "      " + "- " * 100_000 + "x\n",
        ),
        [f"36: {NESTED}: {DEEP}"],
    ),
    "nul-teken": (
        replaced("naam: Buurtcirkel", "naam: Buurt\x00cirkel"),
        [f"5: (bestand): stuurteken U+0000 in kolom 16 {CONTROL}"],
    ),
    "stuurteken-bel": (
        replaced("doel: Het vergroten", "doel: Het\x07 vergroten"),
        [f"26: (bestand): stuurteken U+0007 in kolom 14 {CONTROL}"],
    ),
    "stuurteken-nel": (
        replaced("doel: Het vergroten", "doel: Het\x85 vergroten"),
        [f"26: (bestand): stuurteken U+0085 in kolom 14 {CONTROL}"],
    ),
    "stuurteken-als-ontsnapping": (
        replaced("naam: Buurtcirkel", 'naam: "Buurt\\0cirkel"'),
        [f"5: aanpakken[0].naam: stuurteken U+0000 {CONTROL}"],
    ),
    "te-lange-tekst": (
        replaced(
            "omschrijving: Een buurtcirkel", "omschrijving: " + "x" * 20_001 + " Een buurtcirkel"
        ),
        [
            f"10: aanpakken[0].omschrijving: te lang: {20_001 + len(REST)} tekens, "
            "hoogstens 20000; kort de tekst in (aanpak 'Buurtcirkel')"
        ],
    ),
}


def write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "vijandig.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_yaml_is_refused_quickly_with_located_problems(case: str, tmp_path: Path) -> None:
    content, expected = CASES[case]
    path = write(tmp_path, content)
    tracemalloc.start()
    try:
        refused = read_within(2.0, lambda: load_corpus(path, VOCABULAIRE))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(refused, CorpusError), "aanvaard"
    problems = [str(p) for p in refused.problems]
    assert problems[: len(expected)] == [f"{path}:{want}" for want in expected]
    assert len(problems) <= MAX_REPORTED
    assert peak < 64 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_validate_prints_one_line_per_problem_without_traceback(case: str, tmp_path: Path) -> None:
    """The real command, in a child with 400 MB of address space: an expansion dies there."""
    content, expected = CASES[case]
    path = write(tmp_path, content)
    started = time.monotonic()
    result = cli_with_memory(400, "validate", str(path), timeout=20)
    assert time.monotonic() - started < 15
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    *problems, summary = result.stderr.splitlines()
    assert problems[: len(expected)] == [f"{path}:{want}" for want in expected]
    assert all(line.startswith(f"{path}:") for line in problems)
    assert summary in (f"{len(problems)} problemen gevonden", "1 probleem gevonden")


def test_an_aliasbom_of_nine_to_the_ninth_is_refused_in_a_small_child(tmp_path: Path) -> None:
    """9^9 copies took gigabytes until a MemoryError; refused, it needs no more than validate."""
    path = write(tmp_path, bomb(9, width=9))
    result = cli_with_memory(400, "validate", str(path), timeout=20)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == f"{path}:{LINES + 1}: bom0: anker &bom0 {ANCHOR}"


def test_only_a_real_anchor_is_refused_not_an_ampersand_or_star_in_text(tmp_path: Path) -> None:
    """``&`` and ``*`` in prose (and Windows line ends) are fine; the one anchor is not."""
    text = (
        replaced("naam: Buurtcirkel", "naam: Buurtcirkel & Co *ster* R&D")
        .replace(
            "doel: Deelnemers gaan zelfstandiger door het leven.",
            "doel: '&anker *alias <<: geen YAML: deelnemers gaan zelfstandiger door het leven.'",
        )
        .replace("  - slug: abcd-methode\n", "  - slug: &a abcd-methode\n")
        .replace("\n", "\r\n")
    )
    refused = read_within(2.0, lambda: load_corpus(write(tmp_path, text), VOCABULAIRE))
    assert isinstance(refused, CorpusError), "aanvaard"
    assert [str(p) for p in refused.problems] == [
        f"{tmp_path / 'vijandig.yaml'}:44: aanpakken[2].slug: anker &a {ANCHOR}"
    ]
    corpus = load_corpus(write(tmp_path, text.replace("&a abcd", "abcd")), VOCABULAIRE)
    assert corpus.aanpakken[0].naam == "Buurtcirkel & Co *ster* R&D"


def test_a_text_may_be_20000_characters_long_not_one_more(tmp_path: Path) -> None:
    old = "omschrijving: Een buurtcirkel komt wekelijks bij elkaar."
    longest = replaced(old, "omschrijving: " + "x" * 20_000)
    assert (
        len(load_corpus(write(tmp_path, longest), VOCABULAIRE).aanpakken[0].omschrijving) == 20_000
    )
    with pytest.raises(CorpusError, match="te lang: 20001 tekens, hoogstens 20000"):
        load_corpus(write(tmp_path, replaced(old, "omschrijving: " + "x" * 20_001)), VOCABULAIRE)


def big_file(tmp_path: Path, megabytes: float) -> Path:
    """The mini corpus and a comment, `megabytes` (MiB) in all: valid, only too big."""
    padding = int(megabytes * 1024 * 1024) - len(MINI.encode()) - 3
    return write(tmp_path, MINI + "#" + "x" * padding + "\n")


def test_a_file_over_the_size_limit_is_refused_and_the_setting_raises_it(tmp_path: Path) -> None:
    path = big_file(tmp_path, 21)
    result = cli_with_memory(400, "validate", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{path}:1: (bestand): bestand te groot: 21,0 MB, de grens is 20 MB; is het wel het "
        "corpus? Verhoog anders WIJKWIJZER_MAX_CORPUS_MB",
        "1 probleem gevonden",
    ]
    raised = cli_with_memory(400, "validate", str(path), MAX_CORPUS_MB="22")
    assert raised.returncode == 0, raised.stderr
    assert len(load_corpus(REAL_CORPUS, VOCABULAIRE, max_mb=0.1).aanpakken) == 24  # 58 kB
    assert Settings.model_fields["max_corpus_mb"].default == 20


def test_an_endless_stream_is_refused_after_the_limit(tmp_path: Path) -> None:
    """A pipe that never ends: the file is refused before it is read whole."""
    pipe = tmp_path / "eindeloos.yaml"
    os.mkfifo(pipe)
    stop = threading.Event()

    def feed() -> None:
        try:
            with pipe.open("wb") as out:
                while not stop.is_set():
                    out.write(b"# " + b"x" * 65_534 + b"\n")
        except BrokenPipeError:
            pass  # the reader stopped reading

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        with within(5.0), pytest.raises(CorpusError) as refused:
            load_corpus(pipe, VOCABULAIRE, max_mb=1)
    finally:
        stop.set()
        feeder.join(timeout=10)
    assert [str(p) for p in refused.value.problems] == [
        f"{pipe}:1: (bestand): bestand te groot: meer dan de grens van 1 MB; is het wel het "
        "corpus? Verhoog anders WIJKWIJZER_MAX_CORPUS_MB"
    ]
