"""``make bench``: WijkWijzer against Datasette + SQLite FTS5, and at 1k-100k approaches.

Runs in the bench venv (``bench/setup.sh``); the app runs from the project's venv.
Two parts, both on 127.0.0.1 only, every server stopped at the end:

peer   our app and Datasette (same approaches, FTS5 over the same text fields), each
       under ``uvicorn --workers 1 --no-access-log``; one load generator (wrk, or
       bench/loadgen.py), the same connections and duration for both, alternating
       which server goes first each round; median req/s, p50 and p99 per scenario and
       the ratio ours/peer. Also Datasette with suggest_facets off ("peer-tuned"),
       optionally the proposed speed-ups of bench/experiments.py (--variants), and a
       cProfile of one request of each kind (bench/profile_request.py).
scale  a generated corpus of N approaches (bench/generate.py): validate, load (wall
       time, peak memory, progress on the console; on failure a load with the
       proposed fix), index and database size, search latency p50/p95 for a mix of
       1-3-word queries with filters (facets and highlights are always computed) in
       process and over HTTP, detail pages over HTTP; optionally the load phases
       (--phases), a load with every build change (--fast-load) and the search
       designs of bench/whoosh_micro.py (--micro).

Results: ``bench/out/<time>/results.json`` and ``summary.md`` (also printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import (
    APP_BIN,
    BENCH,
    BENCH_BIN,
    ROOT,
    Servers,
    get,
    load_run,
    machine,
    median,
    pct,
    run_measured,
    say,
    table,
    write_json,
)

QUERY = "jongeren sport"
DETAIL_SLUG = "buurtcirkel"
PEER_DB_NAME = "wijkwijzer"  # Datasette names the database after the file
TARGETS = {"json": 2.0, "html": 3.0}
P99_TARGET_MS = 50.0
SCALE_TARGETS = {10_000: (30.0, 50.0), 100_000: (None, 250.0)}  # build s, p95 ms

OUR_SERVER = [
    str(APP_BIN / "uvicorn"), "wijkwijzer.app:create_app", "--factory",
    "--workers", "1", "--no-access-log",
]  # fmt: skip
EXPERIMENT_SERVER = [
    str(APP_BIN / "uvicorn"), "experiments:create_app", "--factory", "--app-dir", str(BENCH),
    "--workers", "1", "--no-access-log",
]  # fmt: skip
PEER_TUNED = json.dumps({"suggest_facets": False})
PEER_SERVER = [
    str(BENCH_BIN / "uvicorn"), "peer_app:create_app", "--factory", "--app-dir", str(BENCH),
    "--workers", "1", "--no-access-log",
]  # fmt: skip


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def app_env(state: Path, corpus: Path | None = None) -> dict[str, str]:
    env = {"WIJKWIJZER_STATE_DIR": str(state)}
    if corpus is not None:
        env["WIJKWIJZER_CORPUS"] = str(corpus)
    return env


def wijkwijzer(*args: str, env: dict[str, str]) -> str:
    done = run_measured([str(APP_BIN / "wijkwijzer"), *args], env, f"wijkwijzer {args[0]}")
    return str(done["output"])


# --- part 1: against the peer -------------------------------------------------------------


def scenarios(slug: str) -> list[dict[str, str]]:
    q_ours = urlencode({"q": QUERY})
    q_peer = urlencode({"_search": QUERY})
    return [
        {
            "name": "json", "title": f"JSON-zoekopdracht q={QUERY}",
            "ours": f"/api/v1/approaches?{q_ours}",
            "peer": f"/{PEER_DB_NAME}/approaches.json?{q_peer}",
        },
        {
            "name": "html", "title": "HTML-resultatenpagina, zelfde vraag",
            "ours": f"/?{q_ours}",
            "peer": f"/{PEER_DB_NAME}/approaches?{q_peer}",
        },
        {
            "name": "detail", "title": f"detailpagina {slug}",
            "ours": f"/aanpak/{slug}",
            "peer": f"/{PEER_DB_NAME}/approaches/{slug}",
        },
    ]  # fmt: skip


def describe(kind: str, name: str, body: bytes) -> str:
    """What a response holds, to show both answer the same question."""
    if name != "json":
        return f"{len(body) / 1024:.1f} KB"
    data = json.loads(body)
    if kind == "ours":
        return f"{data['total']} resultaten ({data['mode']}), {len(body) / 1024:.1f} KB"
    count = data.get("filtered_table_rows_count", len(data.get("rows", [])))
    return f"{count} resultaten, {len(body) / 1024:.1f} KB"


def side(kind: str) -> str:
    """Which URL a server gets: the peer's (Datasette) or ours."""
    return "peer" if kind.startswith("peer") else "ours"


def run_peer(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    work = out / "peer"
    state = work / "state"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    say("== Tegen de peer: Datasette + SQLite FTS5, echt corpus ==")
    corpus = ROOT / "data" / "approaches.yaml"
    vocab = ROOT / "data" / "vocabulaire.yaml"
    say("  " + wijkwijzer("load", str(corpus), env=app_env(state)))
    rows = work / "rows.json"
    run_measured(
        [
            str(APP_BIN / "python"),
            str(BENCH / "export_rows.py"),
            str(corpus),
            str(vocab),
            str(rows),
        ],
        {},
        "export",
    )
    peer_db = work / f"{PEER_DB_NAME}.db"
    run_measured(
        [str(BENCH_BIN / "python"), str(BENCH / "peer_db.py"), str(rows), str(peer_db)],
        {},
        "peer-db",
    )
    result: dict[str, Any] = {
        "scenarios": {},
        "rounds": args.rounds,
        "duration_s": args.duration,
        "connections": args.connections,
        "variants": args.variants,
    }
    with Servers() as servers:
        by_kind = {
            "ours": servers.start(
                "ours", OUR_SERVER, app_env(state), work / "ours.log", "/healthz"
            ),
            "peer": servers.start(
                "peer", PEER_SERVER, {"BENCH_PEER_DB": str(peer_db)}, work / "peer.log", "/"
            ),
        }
        if args.peer_tuned:
            env = {"BENCH_PEER_DB": str(peer_db), "BENCH_PEER_SETTINGS": PEER_TUNED}
            by_kind["peer-tuned"] = servers.start(
                "peer-tuned", PEER_SERVER, env, work / "peer-tuned.log", "/"
            )
        for variant in args.variants:
            env = {**app_env(state), "BENCH_EXPERIMENT": variant.replace("+", ",")}
            by_kind[variant] = servers.start(
                variant, EXPERIMENT_SERVER, env, work / f"{variant}.log", "/healthz"
            )
        plan = scenarios(DETAIL_SLUG)
        for sc in plan:
            info = {}
            for kind, server in by_kind.items():
                url = sc[side(kind)]
                status, body, _ = get(server.base + url)
                if status != 200:
                    raise RuntimeError(f"{kind} {url}: status {status}")
                info[kind] = describe(side(kind), sc["name"], body)
            result["scenarios"][sc["name"]] = {
                "title": sc["title"], "urls": {"ours": sc["ours"], "peer": sc["peer"]},
                "answer": info, "runs": {kind: [] for kind in by_kind},
            }  # fmt: skip
            say(f"  {sc['name']}: ons {info['ours']}; peer {info['peer']}")
        say(f"  warm-up: {args.warmup:g} s per scenario en server")
        for sc in plan:
            for kind, server in by_kind.items():
                load_run(
                    server.base + sc[side(kind)],
                    args.connections,
                    args.warmup,
                )
        kinds = list(by_kind)
        for number in range(args.rounds):
            order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)]
            for sc in plan:
                for kind in order:
                    server = by_kind[kind]
                    url = server.base + sc[side(kind)]
                    if not server.alive():
                        raise RuntimeError(f"{kind} is gestopt; zie {server.log}")
                    # A short warm-up right before: another server just ran for a while,
                    # and idle worker threads (with their searchers) expire after 10 s.
                    load_run(url, args.connections, min(2.0, args.warmup))
                    run = load_run(url, args.connections, args.duration)
                    result["scenarios"][sc["name"]]["runs"][kind].append(run)
                    bad = int(run["non_2xx"] + run["socket_errors"])
                    say(
                        f"  ronde {number + 1} {sc['name']:6} {kind:13}: {run['rps']:8.1f} req/s  "
                        f"p50 {run['p50_ms']:7.1f} ms  p99 {run['p99_ms']:7.1f} ms"
                        + (f"  FOUTEN {bad}" if bad else "")
                    )
    say("  profiel per verzoek (cProfile, één thread) …")
    urls = [sc["ours"] for sc in scenarios(DETAIL_SLUG)]
    done = run_measured(
        [str(APP_BIN / "python"), str(BENCH / "profile_request.py"), str(state), str(work), *urls],
        {}, "profiel", every=30,
    )  # fmt: skip
    result["profile_table"] = done["output"][done["output"].index("| URL") :]
    for data in result["scenarios"].values():
        for kind, runs in data["runs"].items():
            data[kind] = {key: median(r[key] for r in runs) for key in ("rps", "p50_ms", "p99_ms")}
            data[kind]["errors"] = sum(r["non_2xx"] + r["socket_errors"] for r in runs)
        data["ratio"] = data["ours"]["rps"] / data["peer"]["rps"]
        for kind in data["runs"]:
            data[kind]["ratio"] = data[kind]["rps"] / data["peer"]["rps"]
    return result


def variants_table(result: dict[str, Any]) -> str:
    """Every extra server (proposed speed-ups, tuned Datasette) against ours and the peer."""
    rows = []
    for name, data in result["scenarios"].items():
        for kind in data["runs"]:
            if kind in ("ours", "peer"):
                continue
            v = data[kind]
            tuned = data.get("peer-tuned")
            rows.append([
                kind, name, f"{v['rps']:.0f}", f"{v['rps'] / data['ours']['rps']:.2f}×",
                f"**{v['ratio']:.2f}×**",
                f"{v['rps'] / tuned['rps']:.2f}×" if tuned and kind != "peer-tuned" else "—",
                f"{v['p50_ms']:.1f} / {v['p99_ms']:.1f}",
            ])  # fmt: skip
    headers = [
        "server", "scenario", "req/s", "t.o.v. ons", "t.o.v. peer", "t.o.v. peer-tuned",
        "p50 / p99 ms",
    ]  # fmt: skip
    return table(headers, rows)


def peer_table(result: dict[str, Any]) -> str:
    rows = []
    for name, data in result["scenarios"].items():
        target = TARGETS.get(name)
        ours, peer = data["ours"], data["peer"]
        met = (
            []
            if target is None
            else [f"ratio ≥ {target:g}×: {'ja' if data['ratio'] >= target else 'nee'}"]
        )
        met.append(
            f"p99 ≤ {P99_TARGET_MS:g} ms: {'ja' if ours['p99_ms'] <= P99_TARGET_MS else 'nee'}"
        )
        rows.append([
            data["title"], f"{ours['rps']:.0f}", f"{peer['rps']:.0f}", f"**{data['ratio']:.2f}×**",
            f"{ours['p50_ms']:.1f} / {ours['p99_ms']:.1f}",
            f"{peer['p50_ms']:.1f} / {peer['p99_ms']:.1f}",
            "; ".join(met),
        ])  # fmt: skip
    headers = [
        "scenario",
        "ons req/s",
        "peer req/s",
        "ons/peer",
        "ons p50/p99 ms",
        "peer p50/p99 ms",
        "doel gehaald",
    ]
    return table(headers, rows)


# --- part 2: scale ------------------------------------------------------------------------

COMMON = ["buurt", "gemeente", "bewoners"]
MIDDLE = [
    "jongeren", "sport", "vrijwilligers", "kinderen", "ontmoeting", "participatie", "theater",
    "talenten", "samenwerking", "buurtbewoners", "buurtbemiddeling", "eten", "ouders", "wijk",
]  # fmt: skip
RARE = [
    "eenzaamheid",
    "armoede",
    "veiligheid",
    "dementie",
    "opvoeding",
    "taal",
    "mantelzorg",
    "ouderen",
]
FILTERS = {
    "doelgroep": ["jongeren", "ouderen", "kinderen", "alle-bewoners", "kwetsbare-bewoners"],
    "erkenningsniveau": [
        "goed-beschreven",
        "goed-onderbouwd",
        "praktijkvoorbeeld",
        "niet-beoordeeld",
    ],
    "kenmerk": ["verbinding-en-sociale-contacten", "krachten-en-talenten"],
    "categorie": ["interventie", "methodische-aanpak"],
    "vorm": ["methodebeschrijving", "interventiebeschrijving"],
}


def query_mix(count: int = 60, seed: int = 7) -> list[dict[str, Any]]:
    """1-3-word queries (common, middling and rare words), half with a filter, some with an age."""
    rng = random.Random(seed)
    pool = COMMON + MIDDLE * 2 + RARE
    mix: list[dict[str, Any]] = [{"q": QUERY, "filters": {}, "leeftijd": None}]
    while len(mix) < count:
        words: list[str] = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3])):
            word = rng.choice(pool)
            if word not in words:
                words.append(word)
        filters: dict[str, list[str]] = {}
        if rng.random() < 0.5:
            name = rng.choice(sorted(FILTERS))
            filters[name] = [rng.choice(FILTERS[name])]
        leeftijd = rng.choice([8, 16, 70]) if rng.random() < 0.15 else None
        mix.append({"q": " ".join(words), "filters": filters, "leeftijd": leeftijd})
    for query in mix:
        params: list[tuple[str, Any]] = [("q", query["q"])]
        params += [(name, v) for name, values in query["filters"].items() for v in values]
        if query["leeftijd"] is not None:
            params.append(("leeftijd", query["leeftijd"]))
        query["url"] = "/api/v1/approaches?" + urlencode(params)
        query["label"] = query["url"].split("?", 1)[1]
    return mix


def corpus_for(size: int, seed: int) -> Path:
    """The generated corpus of `size` approaches, reused while generator and seed are the same."""
    directory = BENCH / "out" / "corpora"
    path = directory / f"corpus-{size}-seed{seed}.yaml"
    stamp = path.with_suffix(".stamp")
    sources = (
        BENCH / "generate.py",
        ROOT / "data" / "approaches.yaml",
        ROOT / "data" / "woorden.txt",
    )
    wanted = hashlib.sha256(b"".join(f.read_bytes() for f in sources)).hexdigest()
    if path.is_file() and stamp.is_file() and stamp.read_text() == wanted:
        say(f"  corpus {size}: hergebruikt {shown(path)}")
        return path
    say(f"  corpus {size}: genereren (seed {seed}) …")
    run_measured(
        [str(APP_BIN / "python"), str(BENCH / "generate.py"), "--count", str(size),
         "--seed", str(seed), "-o", str(path)],
        {}, f"genereren {size}", every=20,
    )  # fmt: skip
    stamp.write_text(wanted)
    return path


def phase_of(state: Path) -> str:
    """What `wijkwijzer load` is doing, read from the files it writes."""
    index = state / "index"
    if (index / "current").exists():
        return "index actief maken"
    db = state / "wijkwijzer.db"
    wal = state / "wijkwijzer.db-wal"
    if (wal.exists() and wal.stat().st_size > 0) or (db.exists() and db.stat().st_size > 100_000):
        return "database vullen"
    versions = sorted(index.glob("v-*")) if index.is_dir() else []
    if versions and any(versions[-1].iterdir()):
        size = sum(f.stat().st_size for f in versions[-1].iterdir() if f.is_file()) / 1e6
        return f"index schrijven ({size:.0f} MB)"
    if versions:
        return "index bouwen (in het geheugen)"
    return "YAML lezen en valideren"


def http_latency(base: str, mix: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=600)
    times: list[float] = []
    try:
        for _ in range(passes):
            for query in mix:
                started = time.perf_counter()
                status, _, _ = get(base + query["url"], conn=conn)
                times.append(time.perf_counter() - started)
                if status != 200:
                    raise RuntimeError(f"{query['url']}: status {status}")
    finally:
        conn.close()
    times.sort()
    return {
        "n": len(times),
        "p50_ms": pct(times, 0.5) * 1000,
        "p95_ms": pct(times, 0.95) * 1000,
        "max_ms": times[-1] * 1000,
    }


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure_load(label: str, argv: list[str], state: Path, corpus: Path) -> dict[str, Any]:
    """One load into a fresh `state`: time, memory, sizes; an error instead when it fails."""
    shutil.rmtree(state, ignore_errors=True)
    say(f"  {label} …")
    done = run_measured(
        argv, app_env(state, corpus), label, phase=lambda: phase_of(state), every=10, check=False
    )
    result = {k: done[k] for k in ("ok", "seconds", "peak_rss_mb", "peak_tree_rss_mb")}
    if not done["ok"]:
        lines = str(done["output"]).splitlines()
        result["error"] = lines[-1] if lines else "?"
        say(f"  {label}: MISLUKT na {done['seconds']:.1f} s: {result['error']}")
        return result
    current = (state / "index" / "current").resolve()
    result["index_mb"] = dir_size(current) / 1e6
    result["db_mb"] = sum(f.stat().st_size for f in state.glob("wijkwijzer.db*")) / 1e6
    say(
        f"  {label}: {done['seconds']:.1f} s, piekgeheugen {done['peak_rss_mb']:.0f} MB "
        f"(alle processen {done['peak_tree_rss_mb']:.0f} MB), index {result['index_mb']:.1f} MB, "
        f"database {result['db_mb']:.1f} MB"
    )
    return result


def run_scale(
    size: int, args: argparse.Namespace, out: Path, mix_file: Path, mix: list[dict[str, Any]]
) -> dict[str, Any]:
    say(f"== Schaal: {size} aanpakken ==")
    corpus = corpus_for(size, args.seed)
    work = out / f"scale-{size}"
    state = work / "state"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result: dict[str, Any] = {"size": size, "corpus_mb": corpus.stat().st_size / 1e6}
    wijkwijzer_bin = str(APP_BIN / "wijkwijzer")
    validate = run_measured([wijkwijzer_bin, "validate", str(corpus)], {}, "validate", every=15)
    result["validate_s"] = validate["seconds"]
    say(f"  validate: {validate['seconds']:.1f} s — {validate['output'].splitlines()[-1]}")
    patched = [str(APP_BIN / "python"), str(BENCH / "patched_load.py"), str(corpus)]
    if size in args.skip_app_load:
        say(f"  wijkwijzer load overgeslagen (--skip-app-load {size})")
        result["load"] = {"ok": False, "seconds": 0.0, "error": "overgeslagen (--skip-app-load)"}
    else:
        load_argv = [wijkwijzer_bin, "load", str(corpus)]
        result["load"] = measure_load("wijkwijzer load", load_argv, state, corpus)
    if not result["load"]["ok"]:
        # The search figures need a catalogue: load with the smallest fix (bench/patched_load.py).
        result["load_fixed"] = measure_load(
            "load met fix-tempstore", [*patched, "--fix-tempstore"], state, corpus
        )
        if not result["load_fixed"]["ok"]:
            raise RuntimeError(f"ook de load met fix mislukte: {result['load_fixed']['error']}")
    if args.fast_load:
        fast_state = work / "state-fast"
        result["load_fast"] = measure_load(
            "load met fix-tempstore + procs=2 + libyaml",
            [*patched, "--fix-tempstore", "--procs", "2", "--libyaml"], fast_state, corpus,
        )  # fmt: skip
        shutil.rmtree(fast_state, ignore_errors=True)
    if args.phases and size <= args.breakdown_max:
        say("  fasen van de load apart …")
        done = run_measured(
            [str(APP_BIN / "python"), str(BENCH / "phases.py"), str(corpus), str(work / "phases")],
            {}, "fasen", every=30,
        )  # fmt: skip
        result["phases"] = json.loads(str(done["output"]).splitlines()[-1])
        say("  fasen: " + ", ".join(f"{k} {v:.1f}" for k, v in result["phases"].items()))
    if args.micro:
        say("  zoekontwerpen naast elkaar (whoosh_micro.py) …")
        index_dir = (state / "index" / "current").resolve()
        argv = [str(APP_BIN / "python"), str(BENCH / "whoosh_micro.py"), str(index_dir)]
        done = run_measured([*argv, str(mix_file)], {}, "micro", every=30)
        result["micro"] = json.loads(str(done["output"]).splitlines()[-1])
        say("  micro: " + json.dumps(result["micro"]))
    if args.build_only:
        return result
    passes = args.passes if size < 100_000 else 1  # one pass through the mix takes minutes
    say(f"  zoeken in het proces: {len(mix)} vragen × {passes} rondes …")
    argv = [str(APP_BIN / "python"), str(BENCH / "search_latency.py"), str(state), str(mix_file)]
    argv += ["--passes", str(passes)]
    if args.profile:
        argv += ["--profile", str(work / "profile.txt")]
    done = run_measured(argv, {}, "zoeken in het proces", every=30)
    result["in_process"] = ip = json.loads(str(done["output"]).splitlines()[-1])
    listing, text = ip["listing"], ip["text_search_only"]
    say(
        f"  in het proces: p50 {listing['p50_ms']:.1f} ms, p95 {listing['p95_ms']:.1f} ms "
        f"(alleen tekst: p50 {text['p50_ms']:.1f}, p95 {text['p95_ms']:.1f}); "
        f"mediaan {ip['hits_median']:.0f} treffers"
    )
    with Servers() as servers:
        started = time.monotonic()
        server = servers.start(
            "ours", OUR_SERVER, app_env(state, corpus), work / "ours.log", "/healthz", timeout=600
        )
        get(server.base + mix[0]["url"], timeout=1200)  # the catalogue is read on first use
        result["http_first_request_s"] = first = time.monotonic() - started
        say(f"  HTTP: eerste antwoord na {first:.1f} s (start + catalogus inlezen)")
        result["http"] = http = http_latency(server.base, mix, passes)
        say(f"  over HTTP (1 verbinding): p50 {http['p50_ms']:.1f} ms, p95 {http['p95_ms']:.1f} ms")
        # Detail pages too: 'verwante aanpakken' compares one approach with all others.
        _, body, _ = get(server.base + "/api/v1/approaches?per_page=20&page=3", timeout=600)
        pages = [{"url": item["html_url"]} for item in json.loads(body)["items"]]
        result["http_detail"] = detail = http_latency(server.base, pages, passes)
    say(f"  detailpagina's over HTTP: p50 {detail['p50_ms']:.1f} ms, p95 {detail['p95_ms']:.1f} ms")
    return result


def _load_cell(load: dict[str, Any] | None) -> str:
    if load is None:
        return "—"
    if str(load.get("error", "")).startswith("overgeslagen"):
        return "overgeslagen"
    if not load["ok"]:
        return f"MISLUKT na {load['seconds']:.0f} s ({load['error'][:60]})"
    memory = f"{load['peak_rss_mb']:.0f}"
    if load["peak_tree_rss_mb"] > load["peak_rss_mb"] * 1.1:
        memory += f" (samen {load['peak_tree_rss_mb']:.0f})"
    return f"{load['seconds']:.1f} s, {memory} MB"


def _served_load(r: dict[str, Any]) -> dict[str, Any]:
    return r["load"] if r["load"]["ok"] else r["load_fixed"]


def build_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        target = SCALE_TARGETS.get(r["size"], (None, None))[0]
        goal = "—"
        if target is not None:
            seconds = r["load"]["seconds"] if r["load"]["ok"] else float("inf")
            goal = f"≤ {target:g} s: {'ja' if seconds <= target else 'nee'}"
        rows.append([
            f"{r['size']:,}".replace(",", "."), f"{r['corpus_mb']:.0f} MB",
            f"{r['validate_s']:.1f} s",
            _load_cell(r["load"]), _load_cell(r.get("load_fixed")), _load_cell(r.get("load_fast")),
            f"{_served_load(r)['index_mb']:.0f} MB", f"{_served_load(r)['db_mb']:.0f} MB", goal,
        ])  # fmt: skip
    headers = [
        "aanpakken", "YAML", "validate", "wijkwijzer load (tijd, piekgeheugen)",
        "load + fix-tempstore", "load + fix + procs=2 + libyaml", "index", "database", "doel bouw",
    ]  # fmt: skip
    return table(headers, rows)


def search_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        if "in_process" not in r:
            continue
        ip = r["in_process"]
        target = SCALE_TARGETS.get(r["size"], (None, None))[1]
        goal = "—"
        if target is not None:
            worst = max(ip["listing"]["p95_ms"], r["http"]["p95_ms"])
            goal = f"p95 ≤ {target:g} ms: {'ja' if worst <= target else 'nee'}"
        rows.append([
            f"{r['size']:,}".replace(",", "."),
            f"{ip['listing']['p50_ms']:.1f} / {ip['listing']['p95_ms']:.1f}",
            f"{ip['text_search_only']['p50_ms']:.1f} / {ip['text_search_only']['p95_ms']:.1f}",
            f"{r['http']['p50_ms']:.1f} / {r['http']['p95_ms']:.1f}",
            f"{r['http_detail']['p50_ms']:.1f} / {r['http_detail']['p95_ms']:.1f}"
            if "http_detail" in r
            else "—",
            f"{ip['hits_median']:.0f} (max {ip['hits_max']})",
            f"{r['http_first_request_s']:.1f} s", goal,
        ])  # fmt: skip
    headers = [
        "aanpakken", "in proces p50 / p95 ms", "waarvan tekst p50 / p95 ms",
        "HTTP p50 / p95 ms", "detailpagina HTTP p50 / p95 ms", "treffers mediaan",
        "1e antwoord na start", "doel zoeken",
    ]  # fmt: skip
    return table(headers, rows)


def micro_table(results: list[dict[str, Any]]) -> str:
    labels = {
        "score_all": "search(limit=None): elke treffer gescoord (zoals de app)",
        "top20": "search(limit=20) + docs_for_query voor het aantal",
        "match_only": "docs_for_query: alleen welke documenten, geen scores",
        "term_cache": "scores en bitmasker per term gecachet (warm)",
    }
    with_micro = [r for r in results if "micro" in r]
    rows = [
        [
            label,
            *(f"{r['micro'][k]['p50_ms']:.1f} / {r['micro'][k]['p95_ms']:.1f}" for r in with_micro),
        ]
        for k, label in labels.items()
    ]
    rows.append(["cache vullen (eenmalig per indexversie)",
                 *(f"{r['micro']['term_cache']['fill_s']:.1f} s voor "
                   f"{r['micro']['term_cache']['terms']} termen" for r in with_micro)])  # fmt: skip
    return table(["ontwerp (p50 / p95 ms)", *(f"{r['size']} aanpakken" for r in with_micro)], rows)


def phases_table(results: list[dict[str, Any]]) -> str:
    keys = [
        ("yaml_compose_python_s", "YAML compose (SafeLoader)"),
        ("yaml_compose_libyaml_s", "YAML compose (CSafeLoader)"),
        ("load_corpus_s", "load_corpus (lezen + valideren)"),
        ("build_index_procs1_s", "build_index procs=1"),
        ("build_index_procs2_s", "build_index procs=2"),
        ("replace_corpus_s", "replace_corpus (database)"),
    ]
    with_phases = [r for r in results if "phases" in r]
    rows = [
        [label, *(f"{r['phases'].get(key, float('nan')):.1f} s" for r in with_phases)]
        for key, label in keys
    ]
    return table(["fase", *(f"{r['size']} aanpakken" for r in with_phases)], rows)


# --- main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", nargs="+", choices=["peer", "scale"], default=["peer", "scale"])
    parser.add_argument("--scales", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--rounds", type=int, default=3, help="afwisselende rondes per scenario")
    parser.add_argument("--duration", type=float, default=10.0, help="seconden per meting")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconden opwarmen per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--no-peer-tuned", dest="peer_tuned", action="store_false",
        help="Datasette met suggest_facets uit (snellere tabelpagina's) niet ook meten",
    )  # fmt: skip
    parser.add_argument(
        "--build-only", action="store_true", help="schaal: alleen bouwen, niet zoeken"
    )
    parser.add_argument(
        "--micro", action="store_true",
        help="schaal: ook bench/whoosh_micro.py (zoekontwerpen naast elkaar)",
    )  # fmt: skip
    parser.add_argument(
        "--variants", nargs="*", default=[], choices=["cache", "threads", "cache+threads"],
        help="ook de voorgestelde versnellingen van bench/experiments.py meten",
    )  # fmt: skip
    parser.add_argument("--passes", type=int, default=2, help="rondes door de vraagmix (schaal)")
    parser.add_argument(
        "--fast-load", action="store_true",
        help="ook de load met alle voorgestelde bouw-aanpassingen meten (patched_load.py)",
    )  # fmt: skip
    parser.add_argument(
        "--skip-app-load", type=int, nargs="*", default=[], metavar="N",
        help="bij deze groottes 'wijkwijzer load' overslaan (faalt vanaf ~5-10k) en meteen "
        "met fix-tempstore laden",
    )  # fmt: skip
    parser.add_argument("--phases", action="store_true", help="ook de fasen van de load apart")
    parser.add_argument("--seed", type=int, default=1, help="seed van de generator")
    parser.add_argument(
        "--breakdown-max", type=int, default=10_000, help="fasen apart tot deze grootte"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile van de zoekmix per schaal")
    parser.add_argument("--out", type=Path, help="uitvoermap (standaard bench/out/<tijd>)")
    args = parser.parse_args()

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
        summary += [
            f"### Tegen Datasette ({args.connections} verbindingen, {args.rounds} × "
            f"{args.duration:g} s per server, mediaan)",
            "", peer_table(results["peer"]), "",
            "Antwoorden: " + "; ".join(
                f"{name}: ons {d['answer']['ours']}, peer {d['answer']['peer']}"
                for name, d in results["peer"]["scenarios"].items()
            ),
            "",
        ]  # fmt: skip
        summary += ["### Waar een verzoek van ons zijn tijd aan besteedt", "",
                    results["peer"]["profile_table"], ""]  # fmt: skip
        if args.variants or args.peer_tuned:
            summary += [
                "### Andere servers: Datasette getuned, voorgestelde versnellingen (zelfde meting)",
                "",
                variants_table(results["peer"]),
                "",
            ]
    if "scale" in args.parts:
        mix = query_mix()
        mix_file = out / "queries.json"
        write_json(mix_file, mix)
        results["scale"] = []
        for size in args.scales:
            results["scale"].append(run_scale(size, args, out, mix_file, mix))
            write_json(out / "results.json", results)
        summary += [
            f"### Schaal ({len(mix)} vragen × {args.passes} rondes; 1 ronde vanaf 100.000)",
            "",
            build_table(results["scale"]),
            "",
        ]
        if any("in_process" in r for r in results["scale"]):
            summary += [search_table(results["scale"]), ""]
        if any("micro" in r for r in results["scale"]):
            summary += ["### Zoekontwerpen in Whoosh", "", micro_table(results["scale"]), ""]
        if any("phases" in r for r in results["scale"]):
            summary += ["### Fasen van de load", "", phases_table(results["scale"]), ""]
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
