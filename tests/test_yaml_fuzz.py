"""Fuzzing the corpus reader: whatever the bytes, it ends within 2 s in a corpus or in problems.

Two kinds of input: mutated copies of the real corpus (tokens of YAML, hostile ones
among them, inserted; pieces deleted, doubled or replaced), and streams of YAML
tokens. Every input must end, within 2 seconds, in a valid corpus or in
``CorpusError`` whose every problem names the file, a line and a field, on one
line; any other exception (a RecursionError, a MemoryError, a ConstructorError)
fails the test.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.bounded import read_within
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.corpus.problems import CorpusError

REAL = REAL_CORPUS.read_text(encoding="utf-8")
TOKENS = [
    *("&a ", "*a", "&r [*r]", "*r", "<<: ", "<<: *a", "!!merge ", "&a\n  - *a", "? ", "?\n"),
    *("[", "]", "{", "}", ", ", ": ", ":", "- ", "-", "\n", "  ", "    ", "\t", "# ", "#"),
    *("'", '"', "|", ">", "|-\n", ">+\n", "!!str ", "!!int ", "!!binary ", "!!python/object "),
    *("!t ", "!!set ", "!!omap ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n"),
    *("\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\ufffe", "\u2028", "\r", "\r\n"),
    *('"\\0"', '"\\x07"', '"\\uFFFE"', '"\\N"', "~", "null", "1e9999", "0x1F", "2024-02-30"),
    *("aanpakken", "slug", "naam: x", "stappen:", "erkenning:", "é", "ë", "x" * 40, "[" * 50),
    *("]" * 50, "- " * 30, "{a: " * 20, "&a [&b [&c [", "*c, *c, *c, *c]"),
]
EXAMPLES = 250


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "corpus.yaml"


def ends_in_a_corpus_or_problems(path: Path, content: str) -> None:
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    outcome = read_within(2.0, lambda: load_corpus(path, VOCABULAIRE))
    if not isinstance(outcome, CorpusError):
        assert outcome.aanpakken
        return
    assert outcome.problems
    for problem in outcome.problems:
        assert problem.file == path
        assert isinstance(problem.line, int)
        assert problem.line >= 0
        assert problem.field
        assert problem.message
        assert "\n" not in str(problem), str(problem)
        assert "\r" not in str(problem), str(problem)


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    text = REAL
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        end = min(len(text), at + draw(st.integers(1, 400)))
        kind = draw(st.sampled_from(["token", "delete", "double", "character"]))
        if kind == "token":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[end:]
        elif kind == "double":
            text = text[:end] + text[at:end] + text[end:]
        else:
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at + 1 :]
    return text


token_streams = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), min_size=1, max_size=80
).map("".join)

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(text=mutated_corpus())
def test_a_mutated_real_corpus_ends_in_a_corpus_or_problems(fuzz_file: Path, text: str) -> None:
    ends_in_a_corpus_or_problems(fuzz_file, text)


@FUZZ
@given(text=token_streams)
def test_a_stream_of_yaml_tokens_ends_in_a_corpus_or_problems(fuzz_file: Path, text: str) -> None:
    ends_in_a_corpus_or_problems(fuzz_file, "aanpakken:\n" + text)


@pytest.mark.parametrize(
    "text",
    [
        "rec: &r [*r]\n",
        "a: &a [*a, *a]\nb: {<<: *a}\n",
        "x: !!binary 'niet base64'\n",
        "x: !!python/object:os.system ls\n",
        "aanpakken: " + "{a: " * 999 + "b" + "}" * 999 + "\n",
    ],
    ids=["recursief", "samenvoegen", "binair", "python-tag", "diep-999"],
)
def test_found_by_fuzzing(fuzz_file: Path, text: str) -> None:
    ends_in_a_corpus_or_problems(fuzz_file, text)
