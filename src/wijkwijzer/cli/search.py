"""`wijkwijzer search`: how the catalogue answers a query, for editors checking it."""

import argparse
import logging
import sys

from wijkwijzer.catalogue import outage
from wijkwijzer.catalogue.answers import ZOEKSTAP_LABELS
from wijkwijzer.catalogue.errors import OngeldigeVraag
from wijkwijzer.catalogue.facets import FACET_NAMES
from wijkwijzer.catalogue.question import MAX_PER_PAGE, Sortering, zoekvraag
from wijkwijzer.catalogue.service import open_catalogue
from wijkwijzer.cli.faults import EXIT_USAGE
from wijkwijzer.config import Settings


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "search",
        help="zoek zoals de site zoekt en toon de rangorde",
        description="Toon de gevonden aanpakken in volgorde, met hun erkenningsniveau.",
    )
    parser.add_argument("query", nargs="?", default="", help="de zoektekst")
    for name in FACET_NAMES:
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            action="append",
            default=[],
            metavar="CODE",
            help=f"filter op {name} (herhaalbaar)",
        )
    parser.add_argument(
        "--leeftijd", type=int, help="een leeftijd in jaren (aanpakken zonder grens blijven erbij)"
    )
    parser.add_argument(
        "--alleen-met-leeftijd",
        action="store_true",
        help="met --leeftijd: laat aanpakken weg die geen leeftijdsgrens noemen",
    )
    parser.add_argument("--sort", choices=[s.value for s in Sortering], help="volgorde")
    parser.add_argument("-n", "--limit", type=int, default=10, help="hoeveel (standaard 10)")
    parser.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    try:
        vraag = zoekvraag(
            {
                "q": args.query,
                **{name: getattr(args, name) for name in FACET_NAMES},
                "leeftijd": args.leeftijd,
                "alleen_met_leeftijd": args.alleen_met_leeftijd,
                "sort": args.sort,
                "per_page": max(1, min(args.limit, MAX_PER_PAGE)),
            }
        )
    except OngeldigeVraag as exc:
        allowed = f" (toegestaan: {', '.join(exc.allowed)})" if exc.allowed else ""
        print(f"{exc.parameter}: {exc}{allowed}", file=sys.stderr)
        return EXIT_USAGE
    # an unreachable database is the command's one line (cli/faults.py), not a server's log line
    logging.getLogger(outage.LOGGER).setLevel(logging.CRITICAL)
    with open_catalogue(settings) as catalogue:
        resultaat = catalogue.listing(vraag)
    if resultaat.suggestion:
        print(f"Bedoelde u: {resultaat.suggestion}")
    print(f"{resultaat.total} aanpakken ({resultaat.mode}, volgorde: {resultaat.sort})")
    if resultaat.zoekstappen:
        print("Ook gezocht " + "; ".join(ZOEKSTAP_LABELS[s] for s in resultaat.zoekstappen))
    if resultaat.niet_gevonden:
        print(f"Niet gevonden: {', '.join(resultaat.niet_gevonden)}")
    for rank, item in enumerate(resultaat.items, start=1):
        e = item.erkenning
        print(f"{rank:>3}. {item.naam} — {e.label} ({e.geldigheid})")
    return 0
