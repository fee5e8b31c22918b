"""Part 1 of ``make bench``: our app against Datasette + SQLite FTS5 on the real corpus.

Servers, each under ``uvicorn --workers 1 --no-access-log`` on 127.0.0.1:

ons               our app with production defaults (the response cache on)
ons zonder cache  our app with ``WIJKWIJZER_RESPONSE_CACHE_MB=0``
peer              Datasette with its defaults, immutable, FTS5 over the same text fields
peer-tuned        Datasette with ``suggest_facets`` off (optional)

Scenarios: one JSON search, its HTML results page and one detail page, each the
same URL on every request; and "gevarieerde zoekvragen" (JSON and HTML): every
request a different query, 1-3 words drawn from the real corpus's text. Each
measured run of a server gets its own slice of never-sent queries (slice 0 is
for warming up), so a response cache can only help where a run sends more
requests than its slice holds (reported as "herhaald").

One load generator (wrk, or bench/loadgen.py), the same connections and duration
for every server; rounds alternate which server goes first. Reported: median
req/s, p50 and p99 per scenario and server, and the ratios ours/peer.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import (
    APP_BIN,
    BENCH,
    BENCH_BIN,
    OUR_SERVER,
    ROOT,
    Server,
    Servers,
    app_env,
    get,
    load_run,
    median,
    run_measured,
    say,
    table,
)
from queries import QUERY, corpus_words, varied_queries

DETAIL_SLUG = "buurtcirkel"
PEER_DB_NAME = "wijkwijzer"  # Datasette names the database after the file
RATIO_TARGETS = {"json": 2.0, "html": 3.0}  # by kind of answer; the detail page has none
P99_TARGET_MS = 50.0
TEXT_COLUMNS = (
    "naam", "doel", "doelgroep", "trefwoorden", "omschrijving", "stappen", "uitvoerders",
)  # fmt: skip
SAMPLE = 40  # varied URLs checked per scenario and server before measuring

PEER_SERVER = [
    str(BENCH_BIN / "uvicorn"), "peer_app:create_app", "--factory", "--app-dir", str(BENCH),
    "--workers", "1", "--no-access-log",
]  # fmt: skip
PEER_TUNED = json.dumps({"suggest_facets": False})
# Every server: its name in the tables.
LABELS = {
    "ours": "ons",
    "ours-nocache": "ons zonder cache",
    "peer": "peer",
    "peer-tuned": "peer-tuned",
}
SCENARIOS = ("json", "html", "detail", "gevarieerd-json", "gevarieerd-html")


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


def fixed_scenarios() -> list[Scenario]:
    q_ours, q_peer = urlencode({"q": QUERY}), urlencode({"_search": QUERY})
    table_path = f"/{PEER_DB_NAME}/approaches"
    return [
        Scenario("json", f"JSON-zoekopdracht q={QUERY}", "json", urls={
            "ours": f"/api/v1/approaches?{q_ours}", "peer": f"{table_path}.json?{q_peer}",
        }),
        Scenario("html", "HTML-resultatenpagina, zelfde vraag", "html", urls={
            "ours": f"/?{q_ours}", "peer": f"{table_path}?{q_peer}",
        }),
        Scenario("detail", f"detailpagina {DETAIL_SLUG}", "detail", urls={
            "ours": f"/aanpak/{DETAIL_SLUG}", "peer": f"{table_path}/{DETAIL_SLUG}",
        }),
    ]  # fmt: skip


def varied_scenarios(work: Path, rows_file: Path, per_run: int, runs: int) -> list[Scenario]:
    """JSON and HTML with a different query on every request; `runs` slices + one to warm up."""
    rows = json.loads(rows_file.read_text("utf-8"))
    words = corpus_words(str(row[c] or "") for row in rows for c in TEXT_COLUMNS)
    queries = varied_queries(words, per_run * (runs + 1))
    say(
        f"  gevarieerde zoekvragen: {len(queries)} verschillende uit {len(words)} woorden van "
        f"het corpus; {per_run} per meting, geen vraag in twee metingen"
    )
    table_path = f"/{PEER_DB_NAME}/approaches"
    paths: dict[str, dict[str, Callable[[str], str]]] = {
        "gevarieerd-json": {
            "ours": lambda q: "/api/v1/approaches?" + urlencode({"q": q}),
            "peer": lambda q: f"{table_path}.json?" + urlencode({"_search": q}),
        },
        "gevarieerd-html": {
            "ours": lambda q: "/?" + urlencode({"q": q}),
            "peer": lambda q: f"{table_path}?" + urlencode({"_search": q}),
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


def describe(kind: str, scenario: str, body: bytes) -> str:
    """What a response holds, to show both answer the same question."""
    if not scenario.endswith("json"):
        return f"{len(body) / 1024:.1f} KB"
    data = json.loads(body)
    if kind == "ours":
        return f"{data['total']} resultaten ({data['mode']}), {len(body) / 1024:.1f} KB"
    count = data.get("filtered_table_rows_count", len(data.get("rows", [])))
    return f"{count} resultaten, {len(body) / 1024:.1f} KB"


def check_fixed(sc: Scenario, by_kind: dict[str, Server]) -> dict[str, str]:
    info = {}
    for kind, server in by_kind.items():
        url = sc.urls[side(kind)]
        status, body, _ = get(server.base + url)
        if status != 200:
            raise RuntimeError(f"{kind} {url}: status {status}")
        info[kind] = describe(side(kind), sc.name, body)
    return info


def check_varied(sc: Scenario, by_kind: dict[str, Server]) -> dict[str, str]:
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
    info["ours"] = info["ours-nocache"]
    return info


def prepare(work: Path, state: Path) -> Path:
    """Load the real corpus for us and build the peer's database; the peer's file."""
    corpus = ROOT / "data" / "approaches.yaml"
    vocab = ROOT / "data" / "vocabulaire.yaml"
    done = run_measured([str(APP_BIN / "wijkwijzer"), "load", str(corpus)], app_env(state), "load")
    say("  " + str(done["output"]).splitlines()[-1])
    rows = work / "rows.json"
    export = [str(APP_BIN / "python"), str(BENCH / "export_rows.py"), str(corpus), str(vocab)]
    run_measured([*export, str(rows)], {}, "export")
    peer_db = work / f"{PEER_DB_NAME}.db"
    run_measured(
        [str(BENCH_BIN / "python"), str(BENCH / "peer_db.py"), str(rows), str(peer_db)],
        {},
        "peer-db",
    )
    return peer_db


def run_peer(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    work = out / "peer"
    state = work / "state"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say("== Tegen de peer: Datasette + SQLite FTS5, echt corpus ==")
    peer_db = prepare(work, state)
    plan = [sc for sc in fixed_scenarios() if sc.name in args.scenarios]
    if any(name.startswith("gevarieerd") for name in args.scenarios):
        varied = varied_scenarios(work, work / "rows.json", args.varied, args.rounds)
        plan += [sc for sc in varied if sc.name in args.scenarios]
    result: dict[str, Any] = {
        "scenarios": {},
        "rounds": args.rounds,
        "duration_s": args.duration,
        "connections": args.connections,
        "varied_per_run": args.varied,
    }
    peer_env = {"BENCH_PEER_DB": str(peer_db)}
    servers_to_start = [
        ("ours", OUR_SERVER, app_env(state), "/healthz"),
        ("ours-nocache", OUR_SERVER, {**app_env(state), "WIJKWIJZER_RESPONSE_CACHE_MB": "0"},
         "/healthz"),
        ("peer", PEER_SERVER, peer_env, "/"),
    ]  # fmt: skip
    if args.peer_tuned:
        tuned_env = {**peer_env, "BENCH_PEER_SETTINGS": PEER_TUNED}
        servers_to_start.append(("peer-tuned", PEER_SERVER, tuned_env, "/"))
    with Servers() as servers:
        by_kind = {
            kind: servers.start(kind, argv, env, work / f"{kind}.log", ready)
            for kind, argv, env, ready in servers_to_start
        }
        for sc in plan:
            info = check_varied(sc, by_kind) if sc.slices else check_fixed(sc, by_kind)
            result["scenarios"][sc.name] = {
                "title": sc.title, "kind": sc.kind, "urls": sc.urls, "answer": info,
                "runs": {kind: [] for kind in by_kind},
            }  # fmt: skip
            say(f"  {sc.name}: ons {info['ours']}; peer {info['peer']}")
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
                    result["scenarios"][sc.name]["runs"][kind].append(run)
                    bad = int(run["non_2xx"] + run["socket_errors"])
                    say(
                        f"  ronde {number + 1} {sc.name:15} {LABELS[kind]:16}: "
                        f"{run['rps']:8.1f} req/s  p50 {run['p50_ms']:7.1f} ms  "
                        f"p99 {run['p99_ms']:7.1f} ms"
                        + (f"  FOUTEN {bad}" if bad else "")
                        + (
                            f"  HERHAALD ({run['requests']:.0f} verzoeken, {sc.per_run} vragen)"
                            if run.get("repeated")
                            else ""
                        )
                    )
    profile(result, state, work)
    for data in result["scenarios"].values():
        for kind, runs in data["runs"].items():
            data[kind] = {key: median(r[key] for r in runs) for key in ("rps", "p50_ms", "p99_ms")}
            data[kind]["errors"] = sum(r["non_2xx"] + r["socket_errors"] for r in runs)
            data[kind]["repeated"] = sum(bool(r.get("repeated")) for r in runs)
        for kind in data["runs"]:
            data[kind]["ratio"] = data[kind]["rps"] / data["peer"]["rps"]
            if "peer-tuned" in data:
                data[kind]["ratio_tuned"] = data[kind]["rps"] / data["peer-tuned"]["rps"]
    return result


def profile(result: dict[str, Any], state: Path, work: Path) -> None:
    """cProfile of one request of each fixed kind (response cache off)."""
    say("  profiel per verzoek (cProfile, één thread, zonder antwoordcache) …")
    urls = [sc.urls["ours"] for sc in fixed_scenarios()]
    script = [str(APP_BIN / "python"), str(BENCH / "profile_request.py")]
    done = run_measured([*script, str(state), str(work), *urls], {}, "profiel", every=30)
    output = str(done["output"])
    for line in output[: output.index("| URL")].splitlines():
        say(f"  {line}")  # parts the code no longer has
    result["profile_table"] = output[output.index("| URL") :]


# --- tables -------------------------------------------------------------------------------


def _goal(data: dict[str, Any], kind: str) -> list[str]:
    """Which targets `kind` meets: "ja"/"nee" per target."""
    target = RATIO_TARGETS.get(data["kind"])
    server = data[kind]
    met = [] if target is None else [f"ratio ≥ {target:g}×", server["ratio"] >= target]
    return [*met, f"p99 ≤ {P99_TARGET_MS:g} ms", server["p99_ms"] <= P99_TARGET_MS]


def peer_table(result: dict[str, Any]) -> str:
    """The targets, judged for production (ons); the uncached configuration next to it."""
    rows = []
    for data in result["scenarios"].values():
        ours, bare, peer = data["ours"], data["ours-nocache"], data["peer"]
        goal, bare_goal = _goal(data, "ours"), _goal(data, "ours-nocache")
        met = "; ".join(
            f"{goal[i]}: {'ja' if goal[i + 1] else 'nee'} "
            f"(zonder cache: {'ja' if bare_goal[i + 1] else 'nee'})"
            for i in range(0, len(goal), 2)
        )
        rows.append([
            data["title"], f"{ours['rps']:.0f}", f"{bare['rps']:.0f}", f"{peer['rps']:.0f}",
            f"**{ours['ratio']:.2f}×**", f"{bare['ratio']:.2f}×",
            f"{ours['p50_ms']:.1f} / {ours['p99_ms']:.1f}",
            f"{bare['p50_ms']:.1f} / {bare['p99_ms']:.1f}",
            f"{peer['p50_ms']:.1f} / {peer['p99_ms']:.1f}", met,
        ])  # fmt: skip
    headers = [
        "scenario", "ons req/s", "ons zonder cache req/s", "peer req/s", "ons/peer",
        "zonder cache/peer", "ons p50/p99 ms", "zonder cache p50/p99 ms", "peer p50/p99 ms",
        "doel gehaald (ons; zonder cache)",
    ]  # fmt: skip
    return table(headers, rows)


def servers_table(result: dict[str, Any]) -> str:
    """Every server in every scenario, against the peer and the tuned peer."""
    rows = []
    for name, data in result["scenarios"].items():
        for kind in data["runs"]:
            server = data[kind]
            rows.append([
                LABELS[kind], name, f"{server['rps']:.0f}", f"{server['ratio']:.2f}×",
                f"{server['ratio_tuned']:.2f}×" if "ratio_tuned" in server else "—",
                f"{server['p50_ms']:.1f} / {server['p99_ms']:.1f}",
            ])  # fmt: skip
    headers = ["server", "scenario", "req/s", "t.o.v. peer", "t.o.v. peer-tuned", "p50 / p99 ms"]
    return table(headers, rows)


def peer_summary(result: dict[str, Any]) -> list[str]:
    """The peer part's lines of summary.md."""
    lines = [
        f"### Tegen Datasette ({result['connections']} verbindingen, {result['rounds']} × "
        f"{result['duration_s']:g} s per server, mediaan)",
        "",
        peer_table(result),
        "",
        "Antwoorden: "
        + "; ".join(
            f"{name}: ons {d['answer']['ours']}, peer {d['answer']['peer']}"
            for name, d in result["scenarios"].items()
        ),
        "",
    ]
    varied = [d for name, d in result["scenarios"].items() if name.startswith("gevarieerd")]
    if varied:
        repeated = sum(d[kind]["repeated"] for d in varied for kind in d["runs"])
        lines += [
            f"Gevarieerde zoekvragen: {result['varied_per_run']} verschillende vragen per meting, "
            "elke meting andere vragen; "
            + (
                f"**{repeated} metingen stuurden meer verzoeken dan vragen** (herhaald: daar kan "
                "de cache treffen; neem `--varied` groter)."
                if repeated
                else "geen meting herhaalde een vraag."
            ),
            "",
        ]
    lines += ["### Alle servers naast elkaar", "", servers_table(result), ""]
    lines += ["### Waar een verzoek van ons zijn tijd aan besteedt (zonder antwoordcache)", ""]
    lines += [result["profile_table"], ""]
    return lines
