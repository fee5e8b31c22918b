"""The committed JSON Schema is current and referenced from the corpus."""

import json

from tests.helpers.settings import REAL_CORPUS
from wijkwijzer.corpus.models import SCHEMA_FILENAME, json_schema_text

SCHEMA_FILE = REAL_CORPUS.parent / SCHEMA_FILENAME


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "data/approaches.schema.json is verouderd: draai 'make schema'"
    )


def test_corpus_references_schema_on_first_line() -> None:
    first = REAL_CORPUS.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILENAME}"


def test_schema_rejects_unknown_fields_and_lists_enums() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    aanpak = schema["$defs"]["Aanpak"]
    assert aanpak["additionalProperties"] is False
    assert {"slug", "naam", "doel", "doelgroep", "omschrijving", "uitvoerders", "vorm"} <= set(
        aanpak["required"]
    )
    assert "onbekend" in schema["$defs"]["Niveau"]["enum"]
