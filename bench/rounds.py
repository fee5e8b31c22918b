"""What the server-against-server parts share: scenarios, varied queries, alternating rounds.

A scenario is one URL per side (ours, or the peer's: Datasette), or for the varied
queries one file of paths per side and slice: every request a different query of
1-3 words drawn from the real corpus's text. Each measured run of a server gets its
own slice of never-sent queries (slice 0 is for warming up), so a response cache can
only help where a run sends more requests than its slice holds ("herhaald").

``measure`` warms every server up, then runs the rounds, rotating which server goes
first, and keeps the median req/s, p50 and p99 per scenario and server.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import Server, get, load_run, median, say
from queries import corpus_words, varied_queries

PEER_DB_NAME = "wijkwijzer"  # Datasette names the database after the file
PEER_TABLE = f"/{PEER_DB_NAME}/approaches"
TEXT_COLUMNS = (
    "naam", "doel", "doelgroep", "trefwoorden", "omschrijving", "stappen", "uitvoerders",
)  # fmt: skip
SAMPLE = 40  # varied URLs checked per scenario and server before measuring


def side(kind: str) -> str:
    """Which URLs a server gets: the peer's (Datasette) or ours."""
    return "peer" if kind.startswith("peer") else "ours"


@dataclass
class Scenario:
    """What to request: one URL per side, or per slice a file of paths per side."""

    name: str
    title: str
    kind: str  # json, html or detail: which targets apply
    urls: dict[str, str] = field(default_factory=dict)
    slices: list[dict[str, Path]] = field(default_factory=list)
    per_run: int = 0  # distinct queries in each slice

    def run(
        self, server: Server, kind: str, connections: int, duration: float, number: int
    ) -> dict[str, Any]:
        """One load run; `number` picks the slice (0 warms up, 1.. are the rounds)."""
        if self.urls:
            return load_run(server.base + self.urls[side(kind)], connections, duration)
        result: dict[str, Any] = load_run(
            server.base, connections, duration, paths=self.slices[number][side(kind)]
        )
        result["distinct"] = self.per_run
        result["repeated"] = result["requests"] > self.per_run
        return result


def new_part(out: Path, name: str, args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """An empty work directory ``out/name`` and the start of the part's result."""
    work = out / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result: dict[str, Any] = {
        "scenarios": {},
        "rounds": args.rounds,
        "duration_s": args.duration,
        "connections": args.connections,
        "varied_per_run": args.varied,
    }
    return work, result


def varied_scenarios(
    work: Path,
    rows_file: Path,
    per_run: int,
    runs: int,
    peer_params: Sequence[tuple[str, str]] = (),
) -> list[Scenario]:
    """JSON and HTML with a different query on every request; `runs` slices + one to warm up.

    `peer_params` go on every peer URL after ``_search`` (Datasette's facets, for one).
    """
    rows = json.loads(rows_file.read_text("utf-8"))
    words = corpus_words(str(row[c] or "") for row in rows for c in TEXT_COLUMNS)
    queries = varied_queries(words, per_run * (runs + 1))
    say(
        f"  gevarieerde zoekvragen: {len(queries)} verschillende uit {len(words)} woorden van "
        f"het corpus; {per_run} per meting, geen vraag in twee metingen"
    )
    extra = list(peer_params)
    paths: dict[str, dict[str, Callable[[str], str]]] = {
        "gevarieerd-json": {
            "ours": lambda q: "/api/v1/approaches?" + urlencode({"q": q}),
            "peer": lambda q: f"{PEER_TABLE}.json?" + urlencode([("_search", q), *extra]),
        },
        "gevarieerd-html": {
            "ours": lambda q: "/?" + urlencode({"q": q}),
            "peer": lambda q: f"{PEER_TABLE}?" + urlencode([("_search", q), *extra]),
        },
    }
    directory = work / "gevarieerd"
    directory.mkdir(parents=True, exist_ok=True)
    scenarios = []
    for name, by_side in paths.items():
        slices = []
        for number in range(runs + 1):
            chunk = queries[number * per_run : (number + 1) * per_run]
            files = {}
            for which, path_of in by_side.items():
                files[which] = directory / f"{name}-{which}-{number}.txt"
                files[which].write_text("".join(path_of(q) + "\n" for q in chunk), "utf-8")
            slices.append(files)
        kind = name.split("-", 1)[1]
        title = f"gevarieerde zoekvragen, {kind.upper()}"
        scenarios.append(Scenario(name, title, kind, slices=slices, per_run=per_run))
    return scenarios


def check_varied(sc: Scenario, by_kind: Mapping[str, Server]) -> dict[str, str]:
    """A sample of the measured paths must answer 200 (not asked of "ons": its cache stays cold)."""
    rng = random.Random(5)
    picks = [(n, i) for n in range(1, len(sc.slices)) for i in range(sc.per_run)]
    sample = rng.sample(picks, min(SAMPLE, len(picks)))
    info = {}
    for kind, server in by_kind.items():
        if kind == "ours":
            continue
        lines_of = {n: sc.slices[n][side(kind)].read_text("utf-8").splitlines() for n, _ in sample}
        with_results, size = 0, 0
        for n, i in sample:
            path = lines_of[n][i]
            status, body, _ = get(server.base + path)
            if status != 200:
                raise RuntimeError(f"{kind} {path}: status {status}")
            size += len(body)
            if sc.kind == "json":
                data = json.loads(body)
                count = data["total"] if side(kind) == "ours" else len(data.get("rows", []))
                with_results += count > 0
        info[kind] = f"steekproef {len(sample)}× 200, gem. {size / len(sample) / 1024:.1f} KB"
        if sc.kind == "json":
            info[kind] += f", {with_results} met resultaten"
    if "ours" in by_kind:
        info["ours"] = info["ours-nocache"]
    return info


def measure(
    plan: Sequence[Scenario],
    by_kind: Mapping[str, Server],
    args: argparse.Namespace,
    scenarios: dict[str, Any],
    labels: Mapping[str, str],
    fixed_answer: Collection[str] = (),
) -> None:
    """Warm up, then `args.rounds` alternating rounds; runs and medians into `scenarios`.

    `scenarios[name]` must exist; it gets ``runs`` (every run per server) and per server
    the median ``rps``, ``p50_ms`` and ``p99_ms``, ``errors`` and ``repeated`` runs.
    Servers in `fixed_answer` give the same answer to every query: repeating a query
    cannot help them, so their runs are never counted as repeated.
    """
    for sc in plan:
        scenarios[sc.name]["runs"] = {kind: [] for kind in by_kind}
    say(f"  warm-up: {args.warmup:g} s per scenario en server")
    for sc in plan:
        for kind, server in by_kind.items():
            sc.run(server, kind, args.connections, args.warmup, 0)
    kinds = list(by_kind)
    for number in range(args.rounds):
        order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)]
        for sc in plan:
            for kind in order:
                server = by_kind[kind]
                if not server.alive():
                    raise RuntimeError(f"{kind} is gestopt; zie {server.log}")
                # A short warm-up right before: another server just ran for a while,
                # and idle worker threads (with their searchers) expire after 10 s.
                sc.run(server, kind, args.connections, min(2.0, args.warmup), 0)
                run = sc.run(server, kind, args.connections, args.duration, number + 1)
                if kind in fixed_answer:
                    run["repeated"] = False
                scenarios[sc.name]["runs"][kind].append(run)
                bad = int(run["non_2xx"] + run["socket_errors"])
                say(
                    f"  ronde {number + 1} {sc.name:15} {labels[kind]:16}: "
                    f"{run['rps']:8.1f} req/s  p50 {run['p50_ms']:7.1f} ms  "
                    f"p99 {run['p99_ms']:7.1f} ms"
                    + (f"  FOUTEN {bad}" if bad else "")
                    + (
                        f"  HERHAALD ({run['requests']:.0f} verzoeken, {sc.per_run} vragen)"
                        if run.get("repeated")
                        else ""
                    )
                )
    for sc in plan:
        data = scenarios[sc.name]
        for kind, runs in data["runs"].items():
            data[kind] = {key: median(r[key] for r in runs) for key in ("rps", "p50_ms", "p99_ms")}
            data[kind]["errors"] = sum(r["non_2xx"] + r["socket_errors"] for r in runs)
            data[kind]["repeated"] = sum(bool(r.get("repeated")) for r in runs)
