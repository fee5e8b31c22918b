"""``make bench``: WijkWijzer against Datasette + SQLite FTS5, and at 1k-100k approaches.

Runs in the bench venv (``bench/setup.sh``); the app runs from the project's venv.
Three parts, all on 127.0.0.1 only, every server stopped at the end:

peer   our app (production defaults, and with the response cache off) and Datasette
       (defaults, and with suggest_facets off) on the real corpus: fixed URLs and
       varied queries, median req/s, p50 and p99, ratios ours/peer; and a cProfile
       of one request of each kind (bench/peer_bench.py).
limits our app with the response cache off between two references, on varied queries
       (JSON and HTML): the limit server (FastAPI returning one of our real answers
       precomputed) and Datasette with our six facets; ratios ours/limit and ours/peer
       against the speed issue's targets (bench/limits_bench.py). Only this part:
       ``make bench BENCH_ARGS="--parts limits"``.
scale  a generated corpus of N approaches: validate, ``wijkwijzer load`` (its own
       progress on the console, wall time, peak memory), index and database size,
       search latency in process and over HTTP, detail pages, first answer after
       start; optionally the load phases (bench/scale_bench.py).

Results: ``bench/out/<time>/results.json`` and ``summary.md`` (also printed). The exit
code is 1 when a load failed (its size has no search figures).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from harness import BENCH, machine, say, shown, write_json
from limits_bench import limits_summary, run_limits
from peer_bench import SCENARIOS, peer_summary, run_peer
from queries import query_mix
from scale_bench import run_scale, scale_summary


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parts = ["peer", "limits", "scale"]
    parser.add_argument("--parts", nargs="+", choices=parts, default=parts)
    peer = parser.add_argument_group("peer en limits")
    peer.add_argument(
        "--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS),
        help="welke scenario's van peer (standaard alle; limits meet alleen de gevarieerde)",
    )  # fmt: skip
    peer.add_argument("--rounds", type=int, default=3, help="afwisselende rondes per scenario")
    peer.add_argument("--duration", type=float, default=10.0, help="seconden per meting")
    peer.add_argument("--warmup", type=float, default=3.0, help="seconden opwarmen per scenario")
    peer.add_argument("--connections", type=int, default=32)
    peer.add_argument(
        "--varied", type=int, default=10_000, metavar="N",
        help="gevarieerde zoekvragen: verschillende vragen per meting (elke meting andere)",
    )  # fmt: skip
    peer.add_argument(
        "--no-peer-tuned", dest="peer_tuned", action="store_false",
        help="Datasette met suggest_facets uit (snellere tabelpagina's) niet ook meten",
    )  # fmt: skip
    scale = parser.add_argument_group("scale")
    scale.add_argument("--scales", type=int, nargs="+", default=[1000, 10_000])
    scale.add_argument("--passes", type=int, default=2, help="rondes door de vraagmix")
    scale.add_argument("--build-only", action="store_true", help="alleen bouwen, niet zoeken")
    scale.add_argument("--phases", action="store_true", help="ook de fasen van de load apart")
    scale.add_argument(
        "--breakdown-max", type=int, default=10_000, help="fasen apart tot deze grootte"
    )
    scale.add_argument("--profile", action="store_true", help="cProfile van de zoekmix per schaal")
    scale.add_argument("--seed", type=int, default=1, help="seed van de generator")
    parser.add_argument("--out", type=Path, help="uitvoermap (standaard bench/out/<tijd>)")
    args = parser.parse_args()
    if args.varied < 1 or args.rounds < 1:
        parser.error("--varied en --rounds moeten minstens 1 zijn")
    return args


def main() -> int:
    args = parse_args()
    out = args.out or BENCH / "out" / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    info = machine()
    say("== Machine ==")
    for key, value in info.items():
        say(f"  {key}: {value}")
    results: dict[str, Any] = {"machine": info, "argv": sys.argv[1:]}
    summary: list[str] = []
    if "peer" in args.parts:
        results["peer"] = run_peer(args, out)
        write_json(out / "results.json", results)
        summary += peer_summary(results["peer"])
    if "limits" in args.parts:
        results["limits"] = run_limits(args, out)
        write_json(out / "results.json", results)
        summary += limits_summary(results["limits"])
    failed: list[str] = []
    if "scale" in args.parts:
        mix = query_mix()
        mix_file = out / "queries.json"
        write_json(mix_file, mix)
        results["scale"] = []
        for size in args.scales:
            result = run_scale(size, args, out, mix_file, mix)
            results["scale"].append(result)
            write_json(out / "results.json", results)
            if "failed" in result:
                failed.append(f"{size}: {result['failed']}")
        summary += scale_summary(results["scale"], len(mix), args.passes)
    info["loadavg_end"] = str(Path("/proc/loadavg").read_text().split(" ", 3)[:3])
    info["total_minutes"] = f"{(time.monotonic() - started) / 60:.1f}"
    write_json(out / "results.json", results)
    text = "\n".join(summary)
    (out / "summary.md").write_text(text + "\n", "utf-8")
    latest = BENCH / "out" / "latest"
    if out.parent.resolve() == latest.parent.resolve():
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(out.name)
    say("\n" + text)
    say(
        f"Resultaten: {shown(out)} ({info['total_minutes']} min; "
        f"load {info['loadavg_start']} → {info['loadavg_end']})"
    )
    for line in failed:
        print(f"bench: MISLUKT bij {line}; die grootte heeft geen zoekcijfers", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
