"""Part ``limits`` of ``make bench``: our uncached answers between two references.

Three servers on the real corpus, each one worker under the same uvicorn settings:

ons zonder cache   our app with ``WIJKWIJZER_RESPONSE_CACHE_MB=0``: every answer computed
grens              ``limit_app.py``: FastAPI under our app's own uvicorn command line,
                   returning the precomputed bytes of one of our real answers (the JSON
                   and the HTML of ``q=jongeren sport``, captured from "ons zonder cache"
                   at the start): what the framework and the server cost per request
peer met facetten  Datasette over FTS5 (``suggest_facets`` off), with our six facets on
                   every request: ``_facet`` categorie, vorm, erkenningsniveau and
                   ``_facet_array`` doelgroepen, kenmerken, werkzame_elementen

Scenarios: the varied queries of ``rounds.py`` (JSON and HTML, every request a different
1-3-word query from the corpus's words). Reported: median req/s, p50 and p99 per server,
the ratios ours/grens and ours/peer, and the targets of the speed issue.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import (
    BENCH,
    OUR_SERVER,
    Server,
    Servers,
    get,
    loadavg,
    say,
    shown,
    source_digest,
    table,
)
from peer_bench import PEER_SERVER, PEER_TUNED, prepare
from queries import QUERY
from rounds import PEER_TABLE, check_varied, measure, new_part, varied_scenarios

# Our facet (as the answer names it) → the peer's column and Datasette's facet type.
FACETS = {
    "categorie": ("_facet", "categorie"),
    "vorm": ("_facet", "vorm"),
    "erkenningsniveau": ("_facet", "erkenningsniveau"),
    "doelgroep": ("_facet_array", "doelgroepen"),
    "kenmerk": ("_facet_array", "kenmerken"),
    "werkzaam_element": ("_facet_array", "werkzame_elementen"),
}
# Our facets the peer has no column for (validity follows from a date).
OURS_ONLY = {"geldigheid"}
# Same executable and options as our app, only the application differs.
LIMIT_SERVER = [OUR_SERVER[0], "limit_app:create_app", *OUR_SERVER[2:], "--app-dir", str(BENCH)]
# The answers the limit server returns: its file name → our URL.
CAPTURED = {
    "json": "/api/v1/approaches?" + urlencode({"q": QUERY}),
    "html": "/?" + urlencode({"q": QUERY}),
}
TARGETS = {"json": (0.5, 3.0), "html": (0.4, 3.0)}  # ours/grens, ours/peer
P99_TARGET_MS = 50.0
LABELS = {"ours-nocache": "ons zonder cache", "limit": "grens", "peer-facets": "peer met facetten"}
DROPPED_HEADERS = {"date", "server", "content-length"}  # uvicorn and Starlette set these


def capture(ours: Server, directory: Path) -> dict[str, str]:
    """Store our real answers for the limit server; what each one is."""
    directory.mkdir(parents=True, exist_ok=True)
    info = {}
    for name, url in CAPTURED.items():
        status, body, headers = get(ours.base + url)
        if status != 200:
            raise RuntimeError(f"ons {url}: status {status}")
        kept = {k: v for k, v in headers.items() if k not in DROPPED_HEADERS}
        (directory / f"{name}.body").write_bytes(body)
        (directory / f"{name}.headers.json").write_text(json.dumps(kept), "utf-8")
        info[name] = f"{url} ({len(body) / 1024:.1f} KB)"
        if name == "json":
            facets = set(json.loads(body)["facets"])
            if facets != set(FACETS) | OURS_ONLY:
                say(f"  LET OP: onze facetten {sorted(facets)}; de peer krijgt {sorted(FACETS)}")
    return info


def check_peer_facets(peer: Server) -> str:
    """The peer's answer must carry all six facets (a facet that times out is left out)."""
    url = f"{PEER_TABLE}.json?" + urlencode([("_search", QUERY), *FACETS.values()])
    status, body, _ = get(peer.base + url)
    got = set(json.loads(body).get("facet_results", {})) if status == 200 else set()
    wanted = {column for _, column in FACETS.values()}
    if got != wanted:
        raise RuntimeError(f"peer {url}: status {status}, facetten {sorted(got)}")
    return url


def run_limits(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    work, result = new_part(out, "limits", args)
    say("== Grens en peer met facetten: gevarieerde zoekvragen, zonder antwoordcache ==")
    peer_db, env = prepare(work)
    result["app_source_sha256"] = source_digest(work / "app")
    plan = varied_scenarios(
        work, work / "rows.json", args.varied, args.rounds, peer_params=list(FACETS.values())
    )
    result["limit_server"] = " ".join(
        shown(Path(a)) if a.startswith("/") else a for a in LIMIT_SERVER
    )
    nocache = {**env, "WIJKWIJZER_RESPONSE_CACHE_MB": "0"}
    peer_env = {"BENCH_PEER_DB": str(peer_db), "BENCH_PEER_SETTINGS": PEER_TUNED}
    with Servers() as servers:
        ours = servers.start("ours-nocache", OUR_SERVER, nocache, work / "ours.log", "/healthz")
        result["limit_answers"] = capture(ours, work / "limit")
        by_kind = {
            "ours-nocache": ours,
            "limit": servers.start(
                "limit", LIMIT_SERVER, {"BENCH_LIMIT_DIR": str(work / "limit")},
                work / "limit.log", "/",
            ),
            "peer-facets": servers.start(
                "peer-facets", PEER_SERVER, peer_env, work / "peer-facets.log", "/"
            ),
        }  # fmt: skip
        result["peer_url"] = check_peer_facets(by_kind["peer-facets"])
        for sc in plan:
            info = check_varied(sc, by_kind)
            result["scenarios"][sc.name] = {"title": sc.title, "kind": sc.kind, "answer": info}
            say(f"  {sc.name}: " + "; ".join(f"{LABELS[k]} {v}" for k, v in info.items()))
        result["loadavg"] = [loadavg()]
        measure(plan, by_kind, args, result["scenarios"], LABELS, fixed_answer={"limit"})
        result["loadavg"].append(loadavg())
    for data in result["scenarios"].values():
        ours_rps = data["ours-nocache"]["rps"]
        data["ratio_limit"] = ours_rps / data["limit"]["rps"]
        data["ratio_peer"] = ours_rps / data["peer-facets"]["rps"]
        to_limit, to_peer = TARGETS[data["kind"]]
        data["met"] = {
            f"≥ {to_limit:g}× grens": data["ratio_limit"] >= to_limit,
            f"≥ {to_peer:g}× peer": data["ratio_peer"] >= to_peer,
            f"p99 ≤ {P99_TARGET_MS:g} ms": data["ours-nocache"]["p99_ms"] <= P99_TARGET_MS,
        }
    return result


def limits_summary(result: dict[str, Any]) -> list[str]:
    """The limits part's lines of summary.md."""

    def ms(server: dict[str, float]) -> str:
        return f"{server['p50_ms']:.1f} / {server['p99_ms']:.1f}"

    rows = []
    for data in result["scenarios"].values():
        ours, limit, peer = data["ours-nocache"], data["limit"], data["peer-facets"]
        met = "; ".join(f"{goal}: {'ja' if ok else 'nee'}" for goal, ok in data["met"].items())
        rows.append([
            data["title"], f"{ours['rps']:.0f}", f"{limit['rps']:.0f}", f"{peer['rps']:.0f}",
            f"**{data['ratio_limit']:.2f}×**", f"**{data['ratio_peer']:.2f}×**",
            ms(ours), ms(limit), ms(peer), met,
        ])  # fmt: skip
    headers = [
        "scenario", "ons zonder cache req/s", "grens req/s", "peer met facetten req/s",
        "ons/grens", "ons/peer", "ons p50/p99 ms", "grens p50/p99 ms", "peer p50/p99 ms",
        "doel gehaald",
    ]  # fmt: skip
    repeated = sum(d[kind]["repeated"] for d in result["scenarios"].values() for kind in d["runs"])
    errors = [
        f"{LABELS[kind]} {d[kind]['errors']:.0f} in {name}"
        for name, d in result["scenarios"].items()
        for kind in d["runs"]
        if d[kind]["errors"]
    ]
    answers = result["limit_answers"]
    return [
        f"### Tegen de grens en Datasette met facetten ({result['connections']} verbindingen, "
        f"{result['rounds']} × {result['duration_s']:g} s per server, mediaan, antwoordcache uit)",
        "",
        table(headers, rows),
        "",
        f"Ons: een kopie van de werkmap, broncode {result['app_source_sha256']}. Belasting van "
        f"de machine (1/5/15 min) {result['loadavg'][0]} → {result['loadavg'][1]}. "
        + (
            f"**Fouten (niet-2xx of socket): {'; '.join(errors)}**: die cijfers tellen niet."
            if errors
            else "Geen enkele meting had een fout (niet-2xx of socket)."
        ),
        "",
        f"Grens: `{result['limit_server']}` (de uvicorn en opties van ons), elke vraag "
        f"beantwoord met de bytes van ons antwoord op JSON {answers['json']}, "
        f"HTML {answers['html']}. "
        f"Peer: Datasette, `suggest_facets` uit, zoals `{result['peer_url']}`.",
        "",
        "Antwoorden: "
        + "; ".join(
            f"{d['kind']}: " + ", ".join(f"{LABELS[k]} {v}" for k, v in d["answer"].items())
            for d in result["scenarios"].values()
        ),
        "",
        f"{result['varied_per_run']} verschillende vragen per meting; "
        + (
            f"**{repeated} metingen van ons of de peer herhaalden vragen** (neem `--varied` "
            "groter)."
            if repeated
            else "geen meting van ons of de peer herhaalde een vraag."
        ),
        "",
    ]
