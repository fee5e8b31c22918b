"""The ``wijkwijzer`` command: validate, load, schema, serve."""

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from wijkwijzer.cli import faults
from wijkwijzer.cli import search as cli_search
from wijkwijzer.config import Settings, get_settings
from wijkwijzer.corpus.models import Corpus, json_schema_text, load_corpus
from wijkwijzer.corpus.problems import CorpusError


def _shown_path(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _read(
    settings: Settings, corpus_file: Path | None, report: Callable[[str], None] | None = None
) -> Corpus:
    corpus_path = _shown_path(corpus_file or settings.corpus)
    if report is not None:
        report(f"corpus lezen: {corpus_path}")
    vocabulaire = _shown_path(settings.vocabulaire)
    return load_corpus(corpus_path, vocabulaire, report, max_mb=settings.max_corpus_mb)


class ConsoleProgress:
    """Progress lines on a console stream, each with the seconds since the start."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        seconds = f"{time.monotonic() - self.started:.1f}".replace(".", ",")
        print(f"{seconds:>7} s  {message}", file=self.stream, flush=True)


def _progress(args: argparse.Namespace, stream: TextIO) -> ConsoleProgress | None:
    """Progress for `stream` when asked for, or by default when it is a terminal."""
    wanted: bool = stream.isatty() if args.progress is None else args.progress
    return ConsoleProgress(stream) if wanted else None


def _summary(corpus: Corpus) -> str:
    aantallen: dict[str, int] = {}
    for aanpak in corpus.aanpakken:
        aantallen[aanpak.categorie.value] = aantallen.get(aanpak.categorie.value, 0) + 1
    delen = ", ".join(
        f"{corpus.vocabulaire.label('categorieen', code).lower()}: {aantal}"
        for code, aantal in aantallen.items()
    )
    return f"{len(corpus.aanpakken)} aanpakken ({delen}), versie {corpus.content_hash}"


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    corpus = _read(settings, args.file)
    print(f"{_shown_path(args.file or settings.corpus)}: geldig: {_summary(corpus)}")
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from wijkwijzer.catalogue.loading import load_catalogue

    report = _progress(args, sys.stderr)
    corpus = load_catalogue(settings, _read(settings, args.file, report), report)
    if report is not None:
        report("klaar")
    print(f"Geladen: {_summary(corpus)} in {settings.database_url}")
    return 0


def cmd_schema(args: argparse.Namespace, _settings: Settings) -> int:
    text = json_schema_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Schema geschreven naar {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_index(_args: argparse.Namespace, settings: Settings) -> int:
    from wijkwijzer.catalogue.reloading import sync_index

    built = sync_index(settings)
    print(f"Zoekindex {built} gebouwd uit de database" if built else "Zoekindex is al actueel")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from wijkwijzer.cli.serve import serve

    return serve(settings, args.host, args.port, args.workers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkwijzer",
        description="WijkWijzer: catalogus van methodische aanpakken voor leefbare wijken.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    validate = commands.add_parser(
        "validate",
        help="controleer het corpus en meld elk probleem",
        description=(
            "Controleer het corpus (standaard WIJKWIJZER_CORPUS). Elk probleem komt op één "
            "regel: BESTAND:REGEL: veld: melding. Afsluitcode 1 bij problemen."
        ),
    )
    validate.add_argument("file", nargs="?", type=Path, help="het YAML-bestand")
    validate.set_defaults(handler=cmd_validate)

    load = commands.add_parser(
        "load",
        help="valideer en laad het corpus in de database",
        description="Valideer het corpus en vervang de inhoud van de database in één transactie.",
    )
    load.add_argument(
        "file", nargs="?", type=Path, help="het YAML-bestand (standaard uit de instellingen)"
    )
    shown = load.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress",
        action="store_const",
        const=True,
        help="meld de voortgang op stderr, ook als dat geen terminal is "
        "(standaard alleen op een terminal)",
    )
    shown.add_argument(
        "-q",
        "--quiet",
        dest="progress",
        action="store_const",
        const=False,
        help="meld geen voortgang",
    )
    load.set_defaults(handler=cmd_load)

    index = commands.add_parser(
        "index",
        help="bouw de zoekindex uit de database als die ontbreekt of verouderd is",
        description=(
            "Maak de zoekindex (WIJKWIJZER_INDEX_DIR) gelijk aan de database: voor een replica "
            "die de database deelt. 'wijkwijzer serve' doet dit ook bij het starten."
        ),
    )
    index.set_defaults(handler=cmd_index)

    schema = commands.add_parser(
        "schema",
        help="schrijf het JSON Schema van het corpus",
        description="Schrijf het JSON Schema van het corpus naar stdout of naar een bestand.",
    )
    schema.add_argument("-o", "--output", type=Path, help="bestand (standaard stdout)")
    schema.set_defaults(handler=cmd_schema)

    serve = commands.add_parser(
        "serve",
        help="start de webserver",
        description=(
            "Start de webserver (uvicorn). SIGHUP (kill -HUP) laadt het corpus opnieuw; "
            "een ongeldig corpus wordt geweigerd en de vorige versie blijft staan."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
    serve.add_argument("--workers", type=int, default=1, help="aantal werkprocessen (standaard 1)")
    serve.set_defaults(handler=cmd_serve)
    cli_search.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a setup fault is one line on stderr and its own exit code (faults.py)."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        settings = get_settings()
    except ValidationError as exc:
        return _say(faults.settings_fault(exc))
    try:
        return handler(args, settings)
    except CorpusError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} {'probleem' if count == 1 else 'problemen'} gevonden", file=sys.stderr)
        return faults.EXIT_CORPUS
    except faults.SETUP_FAULTS as exc:
        found = faults.fault(exc, settings)
        if found is None:
            raise
        return _say(found)


def _say(found: faults.Fault) -> int:
    print(found.line, file=sys.stderr)
    return found.code


if __name__ == "__main__":
    raise SystemExit(main())
