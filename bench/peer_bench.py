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
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import (
    APP_BIN,
    BENCH,
    BENCH_BIN,
    OUR_SERVER,
    Server,
    Servers,
    app_env,
    get,
    run_measured,
    say,
    shown,
    snapshot_app,
    source_digest,
    table,
)
from queries import QUERY
from rounds import (
    PEER_DB_NAME,
    PEER_TABLE,
    Scenario,
    check_varied,
    measure,
    new_part,
    side,
    varied_scenarios,
)

DETAIL_SLUG = "buurtcirkel"
RATIO_TARGETS = {"json": 2.0, "html": 3.0}  # by kind of answer; the detail page has none
P99_TARGET_MS = 50.0

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


def fixed_scenarios() -> list[Scenario]:
    q_ours, q_peer = urlencode({"q": QUERY}), urlencode({"_search": QUERY})
    return [
        Scenario("json", f"JSON-zoekopdracht q={QUERY}", "json", urls={
            "ours": f"/api/v1/approaches?{q_ours}", "peer": f"{PEER_TABLE}.json?{q_peer}",
        }),
        Scenario("html", "HTML-resultatenpagina, zelfde vraag", "html", urls={
            "ours": f"/?{q_ours}", "peer": f"{PEER_TABLE}?{q_peer}",
        }),
        Scenario("detail", f"detailpagina {DETAIL_SLUG}", "detail", urls={
            "ours": f"/aanpak/{DETAIL_SLUG}", "peer": f"{PEER_TABLE}/{DETAIL_SLUG}",
        }),
    ]  # fmt: skip


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


def prepare(work: Path) -> tuple[Path, dict[str, str]]:
    """Copy the app, load the copy's corpus for us and build the peer's database from it.

    Returns the peer's database and the environment our app runs in: the copy
    (``harness.snapshot_app``) with its state in ``work/state``.
    """
    app = work / "app"
    env = {**app_env(work / "state"), **snapshot_app(app)}
    say(f"  app gekopieerd naar {shown(app)}: broncode {source_digest(app)}")
    corpus, vocab = app / "data" / "approaches.yaml", app / "data" / "vocabulaire.yaml"
    done = run_measured([str(APP_BIN / "wijkwijzer"), "load", str(corpus)], env, "load")
    say("  " + str(done["output"]).splitlines()[-1])
    rows = work / "rows.json"
    export = [str(APP_BIN / "python"), str(BENCH / "export_rows.py"), str(corpus), str(vocab)]
    run_measured([*export, str(rows)], env, "export")
    peer_db = work / f"{PEER_DB_NAME}.db"
    run_measured(
        [str(BENCH_BIN / "python"), str(BENCH / "peer_db.py"), str(rows), str(peer_db)],
        {},
        "peer-db",
    )
    return peer_db, env


def run_peer(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    work, result = new_part(out, "peer", args)
    say("== Tegen de peer: Datasette + SQLite FTS5, echt corpus ==")
    peer_db, env = prepare(work)
    result["app_source_sha256"] = source_digest(work / "app")
    plan = [sc for sc in fixed_scenarios() if sc.name in args.scenarios]
    if any(name.startswith("gevarieerd") for name in args.scenarios):
        varied = varied_scenarios(work, work / "rows.json", args.varied, args.rounds)
        plan += [sc for sc in varied if sc.name in args.scenarios]
    peer_env = {"BENCH_PEER_DB": str(peer_db)}
    servers_to_start = [
        ("ours", OUR_SERVER, env, "/healthz"),
        ("ours-nocache", OUR_SERVER, {**env, "WIJKWIJZER_RESPONSE_CACHE_MB": "0"}, "/healthz"),
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
            }  # fmt: skip
            say(f"  {sc.name}: ons {info['ours']}; peer {info['peer']}")
        measure(plan, by_kind, args, result["scenarios"], LABELS)
    profile(result, env, work)
    for data in result["scenarios"].values():
        for kind in data["runs"]:
            data[kind]["ratio"] = data[kind]["rps"] / data["peer"]["rps"]
            if "peer-tuned" in data:
                data[kind]["ratio_tuned"] = data[kind]["rps"] / data["peer-tuned"]["rps"]
    return result


def profile(result: dict[str, Any], env: dict[str, str], work: Path) -> None:
    """cProfile of one request of each fixed kind (response cache off)."""
    say("  profiel per verzoek (cProfile, één thread, zonder antwoordcache) …")
    urls = [sc.urls["ours"] for sc in fixed_scenarios()]
    script = [str(APP_BIN / "python"), str(BENCH / "profile_request.py")]
    state = env["WIJKWIJZER_STATE_DIR"]
    done = run_measured([*script, state, str(work), *urls], env, "profiel", every=30)
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
