"""The corpus: Pydantic models of an approach, and reading + validating the YAML.

``load_corpus`` returns a ``Corpus`` or raises ``CorpusError`` with every
problem found, each naming file, line and field.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from wijkwijzer.corpus.fields import Age, HttpUrl, Slug, StrictModel, Text, Year
from wijkwijzer.corpus.gcpause import gc_paused
from wijkwijzer.corpus.problems import CorpusError, Problem
from wijkwijzer.corpus.validation import problem_at, raise_if, validate_located
from wijkwijzer.corpus.vocabulary import (
    Categorie,
    Doelgroep,
    Kenmerk,
    Niveau,
    StappenSoort,
    Vocabulaire,
    Vorm,
    WerkzaamElement,
)
from wijkwijzer.corpus.yaml_guard import DEFAULT_MAX_MB
from wijkwijzer.corpus.yaml_source import Located, parse_yaml, read_source

SCHEMA_FILENAME = "approaches.schema.json"


class Stap(StrictModel):
    """One step, phase or track of an approach, in the seed's words."""

    titel: Text
    label: Text | None = Field(default=None, description="Bijvoorbeeld 'Fase 0' of 'Spoor 1'.")
    omschrijving: Text | None = None


class Erkenning(StrictModel):
    """The last known judgement of an approach by a databank (never guessed)."""

    niveau: Niveau
    databank: Text | None = None
    jaar: Year | None = Field(default=None, description="Jaar van het oordeel; leeg als onbekend.")
    bron: Text | None = Field(default=None, description="Waar het oordeel staat.")
    toelichting: Text | None = None


class Bronvermelding(StrictModel):
    """The seed's 'Lees meer op' link; a dead link keeps only its title."""

    titel: Text
    url: HttpUrl | None = None


class Aanpak(StrictModel):
    """One methodical approach or intervention, transcribed from its source document."""

    slug: Slug = Field(description="Stabiele, URL-veilige sleutel (kleine letters, cijfers, -).")
    naam: Text
    categorie: Categorie
    herkomst: Slug = Field(description="Code van het brondocument (vocabulaire: bronnen).")
    doel: Text
    doelgroep: Text
    omschrijving: Text
    uitvoerders: Text
    vorm: Vorm
    vorm_omschrijving: Text | None = Field(
        default=None, description="De woorden van de bron waar die meer zeggen dan de vorm."
    )
    stappen: list[Stap] = Field(default_factory=list)
    stappen_soort: StappenSoort | None = None
    doelgroepen: list[Doelgroep] = Field(min_length=1)
    leeftijd_min: Age | None = None
    leeftijd_max: Age | None = None
    kenmerken: list[Kenmerk] = Field(default_factory=list)
    werkzame_elementen: list[WerkzaamElement] = Field(default_factory=list)
    erkenning: Erkenning
    bron: Bronvermelding
    evaluatie: Text | None = None

    @property
    def leeftijd_genoemd(self) -> bool:
        """The source states an age limit (a lower or an upper bound)."""
        return self.leeftijd_min is not None or self.leeftijd_max is not None

    @model_validator(mode="after")
    def _consistent(self) -> "Aanpak":
        if self.stappen and self.stappen_soort is None:
            raise ValueError(
                "stappen_soort ontbreekt: zeg of de stappen stappen, fasen of sporen zijn"
            )
        for name in ("doelgroepen", "kenmerken", "werkzame_elementen"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise ValueError(f"{name}: een waarde staat er twee keer in")
        return self


class CorpusFile(StrictModel):
    """The top level of ``data/approaches.yaml``."""

    aanpakken: list[Aanpak] = Field(min_length=1)


@dataclass(frozen=True)
class Corpus:
    """A validated corpus with its vocabulary and a hash of both files' content."""

    aanpakken: tuple[Aanpak, ...]
    vocabulaire: Vocabulaire
    content_hash: str

    def by_slug(self, slug: str) -> Aanpak | None:
        return next((a for a in self.aanpakken if a.slug == slug), None)


def _cross_checks(located: Located, vocabulaire: Vocabulaire | None) -> list[Problem]:
    """Checks across records, on the raw data, so they run even when a record is invalid."""
    problems: list[Problem] = []
    records = located.data.get("aanpakken")
    if not isinstance(records, list):
        return problems
    seen: dict[tuple[str, str], int] = {}
    herkomsten = {b.code for b in vocabulaire.bronnen} if vocabulaire else None
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            continue
        for key in ("slug", "naam"):
            value = record.get(key)
            if not isinstance(value, str) or not value.strip():
                continue
            ident = (key, value.strip().casefold())
            if ident in seen:
                first = seen[ident]
                line = located.line_of(("aanpakken", first, key))
                message = f"{key} {value!r} komt al voor bij aanpakken[{first}] (regel {line})"
                problems.append(problem_at(located, ("aanpakken", i, key), message))
            else:
                seen[ident] = i
        low, high = record.get("leeftijd_min"), record.get("leeftijd_max")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            message = f"leeftijd_min ({low}) is groter dan leeftijd_max ({high})"
            problems.append(problem_at(located, ("aanpakken", i, "leeftijd_min"), message))
        herkomst = record.get("herkomst")
        if herkomsten is not None and isinstance(herkomst, str) and herkomst not in herkomsten:
            message = f"onbekende bron {herkomst!r}; toegestaan: {', '.join(sorted(herkomsten))}"
            problems.append(problem_at(located, ("aanpakken", i, "herkomst"), message))
    return problems


def load_vocabulaire(path: Path, raw: bytes | None = None) -> Vocabulaire:
    """Validate the vocabulary file (its bytes `raw` when already read)."""
    located = parse_yaml(path, read_source(path, DEFAULT_MAX_MB) if raw is None else raw)
    vocabulaire, problems = validate_located(Vocabulaire, located)
    raise_if(located.problems + problems)
    assert vocabulaire is not None
    return vocabulaire


def content_hash(*paths: Path) -> str:
    """A short stable hash of the files' bytes: the corpus version."""
    return _hash(*(path.read_bytes() for path in paths))


def _hash(*contents: bytes) -> str:
    digest = hashlib.sha256()
    for content in contents:
        digest.update(content)
    return digest.hexdigest()[:16]


def load_corpus(
    corpus_path: Path,
    vocabulaire_path: Path,
    report: Callable[[str], None] | None = None,
    *,
    max_mb: float = DEFAULT_MAX_MB,
) -> Corpus:
    """Read, validate and cross-check the corpus; raise CorpusError listing every problem.

    Each file is read once, into memory: validation and the version hash use those
    bytes, so a file that changes or vanishes meanwhile cannot mix two versions.
    A file over `max_mb` megabytes is refused unread (``WIJKWIJZER_MAX_CORPUS_MB``).
    `report`, when given, hears (in Dutch) when the parsed corpus is being checked.
    """
    problems: list[Problem] = []
    vocabulaire_raw = b""
    try:
        vocabulaire_raw = read_source(vocabulaire_path, max_mb)
        vocabulaire: Vocabulaire | None = load_vocabulaire(vocabulaire_path, vocabulaire_raw)
    except CorpusError as exc:
        vocabulaire, problems = None, list(exc.problems)
    corpus_raw = read_source(corpus_path, max_mb)
    located = parse_yaml(corpus_path, corpus_raw)
    if report is not None:
        records = located.data.get("aanpakken")
        count = f"{len(records)} aanpakken" if isinstance(records, list) else "het corpus"
        report(f"{count} controleren")
    with gc_paused():
        parsed, schema_problems = validate_located(CorpusFile, located)
    problems += located.problems + schema_problems + _cross_checks(located, vocabulaire)
    raise_if(problems)
    assert parsed is not None
    assert vocabulaire is not None
    return Corpus(
        aanpakken=tuple(parsed.aanpakken),
        vocabulaire=vocabulaire,
        content_hash=_hash(corpus_raw, vocabulaire_raw),
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the corpus file, for editors and for ``wijkwijzer schema``."""
    schema = CorpusFile.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILENAME,
        **schema,
        "title": "WijkWijzer-corpus",
        "description": "De aanpakken van de WijkWijzer-catalogus (data/approaches.yaml).",
    }


def json_schema_text() -> str:
    """The schema as committed: stable key order, UTF-8, trailing newline."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
