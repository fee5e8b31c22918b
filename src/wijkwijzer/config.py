"""Settings, read from the environment (prefix ``WIJKWIJZER_``) in one place."""

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def resource_dir(name: str) -> Path:
    """Return the directory `name` (``data`` or ``templates``), installed or checkout."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _CHECKOUT_ROOT / name


def is_checkout() -> bool:
    """True when running from a source checkout (the corpus sits beside ``src/``)."""
    return (_CHECKOUT_ROOT / "pyproject.toml").is_file() and (_CHECKOUT_ROOT / "data").is_dir()


def default_state_dir() -> Path:
    """Default home of database and index: ``var/`` in a checkout, else the user's data dir."""
    if is_checkout():
        return _CHECKOUT_ROOT / "var"
    return Path.home() / ".local" / "share" / "wijkwijzer"


def normalise_database_url(url: str) -> str:
    """Map ``postgres://`` and ``postgresql://`` to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


_HOST_PATTERN = re.compile(r"(\*|(\*\.)?[a-z0-9_.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?")


def public_url_of(value: str) -> str:
    """`value` as a public base URL (no trailing slash), or ValueError in Dutch."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise ValueError(
            f"{value!r} is geen openbaar adres: gebruik http(s)://host[:poort][/pad], "
            "zoals https://wijkwijzer.example.nl"
        )
    try:
        parts.port  # noqa: B018  (raises ValueError for a port that is no number)
    except ValueError:
        raise ValueError(f"{value!r}: de poort is geen getal tussen 0 en 65535") from None
    if parts.query or parts.fragment:
        raise ValueError(f"{value!r}: een openbaar adres heeft geen ? of #")
    return value


def host_patterns(value: str) -> tuple[str, ...]:
    """The comma-separated host patterns in `value`, lowercased, or ValueError in Dutch."""
    patterns = tuple(p.strip().lower() for p in value.split(",") if p.strip())
    for pattern in patterns:
        match = _HOST_PATTERN.fullmatch(pattern)
        if not match or int((match.group(3) or ":0")[1:]) > 65535:
            raise ValueError(
                f"{pattern!r} is geen host: gebruik host, host:poort, *.domein of *, "
                "gescheiden door komma's"
            )
    return patterns


class Settings(BaseSettings):
    """Configuration of one catalogue instance; several can run side by side."""

    model_config = SettingsConfigDict(env_prefix="WIJKWIJZER_", extra="ignore")

    corpus: Annotated[Path, Field(description="Het YAML-bestand met de aanpakken.")] = (
        resource_dir("data") / "approaches.yaml"
    )
    vocabulaire: Annotated[
        Path, Field(description="Het YAML-bestand met erkenningsniveaus en vaste lijsten.")
    ] = resource_dir("data") / "vocabulaire.yaml"
    state_dir: Annotated[
        Path, Field(description="Map voor de standaard SQLite-database en de zoekindex.")
    ] = default_state_dir()
    database_url: Annotated[
        str,
        Field(description="SQLAlchemy-URL; standaard een SQLite-bestand in state_dir."),
    ] = ""
    index_dir: Annotated[
        Path | None, Field(description="Map van de zoekindex; standaard state_dir/index.")
    ] = None
    peildatum: Annotated[
        date | None,
        Field(description="Datum voor de geldigheid van erkenningen; standaard vandaag."),
    ] = None
    templates_dir: Annotated[Path, Field(description="Map met de Jinja2-sjablonen.")] = (
        resource_dir("templates")
    )
    worker_header: Annotated[
        bool,
        Field(description="Zet X-WijkWijzer-Worker (proces-id) op elk antwoord; voor diagnose."),
    ] = False
    gc_tuning: Annotated[
        bool,
        Field(
            description="Stem de garbage collector af op serveren (web/collector.py): na het "
            "inlezen bevriezen en minder vaak verzamelen.",
        ),
    ] = True
    response_cache_mb: Annotated[
        float,
        Field(
            ge=0,
            description="Geheugen per worker (MB) voor hele antwoorden van de laatste versie; "
            "0 zet de antwoordcache uit.",
        ),
    ] = 32
    search_cache_mb: Annotated[
        float,
        Field(
            ge=0,
            description="Geheugen per worker (MB) voor de scores van zoekwoorden en zinnen in de "
            "huidige index; groter maakt nieuwe zoekvragen op grote catalogi sneller.",
        ),
    ] = 128
    max_corpus_mb: Annotated[
        float,
        Field(
            gt=0,
            description="Grootste corpus- of vocabulairebestand (MB) dat gelezen wordt; een "
            "groter bestand wordt geweigerd voordat het helemaal gelezen is.",
        ),
    ] = 20  # corpus.yaml_guard.DEFAULT_MAX_MB
    reload_timeout_s: Annotated[
        float,
        Field(
            gt=0,
            description="Seconden die het herladen van een draaiende server (SIGHUP) mag duren; "
            "daarna wordt het afgebroken en blijft de vorige versie staan.",
        ),
    ] = 120
    reload_memory_mb: Annotated[
        float,
        Field(
            ge=0,
            description="Geheugen (MB adresruimte) van het proces dat bij het herladen het corpus "
            "leest, valideert en laadt; 0 zet de grens uit.",
        ),
    ] = 2048
    replica_check_s: Annotated[
        float,
        Field(
            gt=0,
            description="Seconden tussen twee vergelijkingen van de eigen versie met die van de "
            "database (PostgreSQL): een replica die een melding van een nieuwe versie mist, "
            "haalt die hiermee in.",
        ),
    ] = 30
    public_url: Annotated[
        str,
        Field(
            description="Het openbare adres (schema, host, eventueel een pad) waarmee elke "
            "absolute link begint, zoals https://wijkwijzer.example.nl; achter een proxy zetten.",
        ),
    ] = ""
    allowed_hosts: Annotated[
        str,
        Field(
            description="Komma-gescheiden hosts die de kop Host mag noemen (host, host:poort, "
            "*.domein of *); standaard het adres en de poort van de server, en localhost.",
        ),
    ] = ""

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        return public_url_of(value)

    @field_validator("allowed_hosts")
    @classmethod
    def _check_allowed_hosts(cls, value: str) -> str:
        return ",".join(host_patterns(value))

    @model_validator(mode="after")
    def _derive_defaults(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.state_dir / 'wijkwijzer.db'}"
        self.database_url = normalise_database_url(self.database_url)
        if self.index_dir is None:
            self.index_dir = self.state_dir / "index"
        return self

    def today(self) -> date:
        """The reference date for validity: `peildatum` when set, else today."""
        return self.peildatum or date.today()

    @property
    def index_path(self) -> Path:
        """The index directory, always set after validation."""
        assert self.index_dir is not None
        return self.index_dir


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings``)."""
    return Settings()
