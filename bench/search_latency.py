"""In-process search latency: the catalogue's listing (text + filters + facets + highlights).

Runs in the project's venv against a loaded state directory. For every query of the
mix it times the full listing (what the API and the HTML page call) and, separately,
the text search alone, so a miss can be placed. Prints one JSON object.

Usage: ``.venv/bin/python bench/search_latency.py STATE_DIR QUERIES.json [--passes 3]
[--profile OUT.txt]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from wijkwijzer.catalogue.question import Zoekvraag, zoekvraag
from wijkwijzer.catalogue.service import open_catalogue
from wijkwijzer.config import Settings


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": pct(values, 0.5) * 1000,
        "p95_ms": pct(values, 0.95) * 1000,
        "max_ms": max(values) * 1000,
        "mean_ms": statistics.fmean(values) * 1000,
    }


def vraag(query: dict[str, Any]) -> Zoekvraag:
    filters = query.get("filters", {})
    return zoekvraag({"q": query["q"], **filters, "leeftijd": query.get("leeftijd")})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("state_dir", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--profile", type=Path, help="cProfile van één extra ronde naar dit bestand"
    )
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text("utf-8"))

    settings = Settings(state_dir=args.state_dir)
    catalogue = open_catalogue(settings)
    listing = catalogue.listing

    started = time.perf_counter()
    catalogue.versie()
    versie_s = time.perf_counter() - started
    started = time.perf_counter()
    catalogue.index.search("buurt")
    open_s = time.perf_counter() - started

    full: list[float] = []
    text: list[float] = []
    first_pass: list[float] = []
    totals: dict[str, int] = {}
    for number in range(args.passes):
        for query in queries:
            started = time.perf_counter()
            result = listing(vraag(query))
            elapsed = time.perf_counter() - started
            full.append(elapsed)
            if number == 0:
                first_pass.append(elapsed)
                totals[query["label"]] = result.total
            started = time.perf_counter()
            catalogue.index.search(query["q"])
            text.append(time.perf_counter() - started)

    profile_top = None
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for query in queries:
            listing(vraag(query))
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        args.profile.write_text(out.getvalue(), "utf-8")
        profile_top = str(args.profile)

    hits = sorted(totals.values())
    print(
        json.dumps(
            {
                "queries": len(queries),
                "passes": args.passes,
                "startup_versie_s": versie_s,
                "startup_open_index_s": open_s,
                "listing": summary(full),
                "listing_first_pass": summary(first_pass),
                "text_search_only": summary(text),
                "hits_median": statistics.median(hits),
                "hits_max": hits[-1],
                "totals": totals,
                "profile": profile_top,
            }
        )
    )
    catalogue.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
