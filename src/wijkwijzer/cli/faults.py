"""Setup faults of the ``wijkwijzer`` command: one Dutch line each, and an exit code of its own.

A fault of the setup (a setting, a folder, the database) is no bug: its user
gets one line on stderr that names the setting or path and says what to do, and
an exit code that tells the faults apart (README, "De opdrachtregel"). Anything
else is a bug and keeps its traceback.
"""

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from wijkwijzer.catalogue.errors import DatabaseOnbereikbaar, OngeldigeDatabaseUrl, shown_url
from wijkwijzer.catalogue.question import melding
from wijkwijzer.config import Settings

EXIT_CORPUS = 1  # the corpus has problems (one line each)
EXIT_USAGE = 2  # a wrong command line (argparse; a bad search parameter)
EXIT_SERVER = 3  # the server did not start (the port is taken, ...)
EXIT_SETTING = 4  # a WIJKWIJZER_ setting has a value that is no value of it
EXIT_DATABASE_URL = 5  # WIJKWIJZER_DATABASE_URL is no database URL
EXIT_DATABASE = 6  # the database cannot be reached
EXIT_NOT_A_FOLDER = 7  # a file stands where the state or index folder should be
EXIT_NO_PERMISSION = 8  # no right to write (or read) a path, such as a read-only index

# What `fault` always words (the server lets them through to the command).
SETUP_FAULTS = (
    NotADirectoryError,
    FileExistsError,
    PermissionError,
    DatabaseOnbereikbaar,
    OngeldigeDatabaseUrl,
)


@dataclass(frozen=True)
class Fault:
    code: int
    line: str


def settings_fault(exc: ValidationError) -> Fault:
    """Invalid settings: which variable, what is wrong with it (all on one line)."""
    parts = []
    for error in exc.errors():
        name = "WIJKWIJZER_" + "_".join(str(p) for p in error.get("loc", ())).upper()
        ctx = error.get("ctx") or {}
        text = str(ctx["error"]) if error.get("type") == "value_error" else melding(error)
        parts.append(f"{name}: {text}")
    return Fault(EXIT_SETTING, "; ".join(parts) + "; pas de instelling aan")


def fault(exc: BaseException, settings: Settings) -> Fault | None:
    """The one line for a setup fault of `settings`, or None when `exc` is no setup fault."""
    if isinstance(exc, OngeldigeDatabaseUrl):
        return Fault(
            EXIT_DATABASE_URL,
            f"WIJKWIJZER_DATABASE_URL: {shown_url(settings.database_url)!r} is geen bruikbare "
            "database-URL; gebruik bijvoorbeeld sqlite:///pad/wijkwijzer.db of "
            "postgresql://gebruiker@host/database",
        )
    if isinstance(exc, DatabaseOnbereikbaar):
        return Fault(
            EXIT_DATABASE,
            f"WIJKWIJZER_DATABASE_URL: de database {shown_url(settings.database_url)} is niet "
            f"bereikbaar ({exc}); start de database of pas de URL aan",
        )
    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    path = Path(exc.filename)
    if isinstance(exc, NotADirectoryError | FileExistsError):
        blocking = _file_in_the_way(path)
        return Fault(
            EXIT_NOT_A_FOLDER,
            f"{_setting_of(blocking, settings)}: {blocking} is een bestand, geen map; "
            "verplaats of verwijder het bestand, of kies een andere map",
        )
    if isinstance(exc, PermissionError):
        return Fault(
            EXIT_NO_PERMISSION,
            f"{_setting_of(path, settings)}: geen toegang tot {path} (alleen-lezen?); "
            "laad als de eigenaar van de index (docs/deploy.md) of geef deze gebruiker "
            "schrijfrecht",
        )
    return None


def _file_in_the_way(path: Path) -> Path:
    """The nearest of `path` and its parents that exists and is no folder."""
    for candidate in (path, *path.parents):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return path


def _setting_of(path: Path, settings: Settings) -> str:
    """The setting whose folder `path` is, or holds, or lies in."""
    for name, folder in (
        ("WIJKWIJZER_STATE_DIR", settings.state_dir),
        ("WIJKWIJZER_INDEX_DIR", settings.index_path),
    ):
        if path == folder or path in folder.parents:
            return name
    for name, folder in (
        ("WIJKWIJZER_INDEX_DIR", settings.index_path),
        ("WIJKWIJZER_STATE_DIR", settings.state_dir),
    ):
        if folder in path.parents:
            return name
    return "pad"
