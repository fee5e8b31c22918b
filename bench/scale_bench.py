"""Part 2 of ``make bench``: our app on a generated corpus of N approaches.

Per size: generate (bench/generate.py, reused while unchanged), ``wijkwijzer
validate``, ``wijkwijzer load --progress`` (its own progress lines shown as they
come; wall time and peak memory measured around it), index and database size;
then search latency for a fixed mix of 1-3-word queries with filters, in process
(bench/search_latency.py: ``Catalogue.listing`` and the text search alone) and
over HTTP on one keep-alive connection to the app with production settings (the
response cache on, so later passes of the mix may be cache hits: the first pass
is reported apart), detail pages over HTTP, and the time from starting the
server to its first answer. When validate or load fails, the failure is
reported and that size gets no search figures.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import (
    APP_BIN,
    BENCH,
    CORPUS_LIMIT,
    OUR_SERVER,
    ROOT,
    Servers,
    app_env,
    get,
    pct,
    run_measured,
    say,
    shown,
    table,
)

SCALE_TARGETS = {10_000: (30.0, 10.0), 100_000: (None, 50.0)}  # build s, search p95 ms
ONE_PASS_FROM = 100_000  # one pass through the mix takes minutes from here on


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


def _summary(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_ms": pct(ordered, 0.5) * 1000,
        "p95_ms": pct(ordered, 0.95) * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def http_latency(base: str, mix: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    """Each URL of `mix` `passes` times, one after another on one connection."""
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
    return {**_summary(times), "first_pass": _summary(times[: len(mix)])}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure_load(corpus: Path, state: Path) -> dict[str, Any]:
    """``wijkwijzer load`` into a fresh `state`: time, memory, sizes; the error when it fails."""
    shutil.rmtree(state, ignore_errors=True)
    say("  wijkwijzer load --progress …")
    argv = [str(APP_BIN / "wijkwijzer"), "load", "--progress", str(corpus)]
    done = run_measured(argv, app_env(state, corpus), "wijkwijzer load", check=False, echo=True)
    result = {
        k: done[k] for k in ("ok", "returncode", "seconds", "peak_rss_mb", "peak_tree_rss_mb")
    }
    if not done["ok"]:
        lines = [line for line in str(done["output"]).splitlines() if line.strip()]
        result["error"] = lines[-1] if lines else "?"
        result["output_tail"] = lines[-30:]
        return result
    result["index_mb"] = dir_size((state / "index" / "current").resolve()) / 1e6
    result["db_mb"] = sum(f.stat().st_size for f in state.glob("wijkwijzer.db*")) / 1e6
    say(
        f"  wijkwijzer load: {done['seconds']:.1f} s, piekgeheugen {done['peak_rss_mb']:.0f} MB "
        f"(alle processen {done['peak_tree_rss_mb']:.0f} MB), index {result['index_mb']:.1f} MB, "
        f"database {result['db_mb']:.1f} MB"
    )
    return result


def _failed(result: dict[str, Any], what: str, done: dict[str, Any]) -> dict[str, Any]:
    result["failed"] = f"{what} mislukte (exitcode {done['returncode']}) na {done['seconds']:.1f} s"
    say(f"  !! {result['failed']}: {done.get('error', '')}")
    say(f"  !! geen zoekcijfers voor {result['size']} aanpakken")
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
    validate_argv = [str(APP_BIN / "wijkwijzer"), "validate", str(corpus)]
    validate = run_measured(validate_argv, CORPUS_LIMIT, "validate", every=15, check=False)
    result["validate_s"] = validate["seconds"]
    last = (str(validate["output"]).splitlines() or ["?"])[-1]
    if not validate["ok"]:
        result["validate_error"] = last
        return _failed(result, "wijkwijzer validate", {**validate, "error": last})
    say(f"  validate: {validate['seconds']:.1f} s — {last}")
    result["load"] = load = measure_load(corpus, state)
    if not load["ok"]:
        return _failed(result, "wijkwijzer load", load)
    if args.phases and size <= args.breakdown_max:
        say("  fasen van de load apart …")
        done = run_measured(
            [str(APP_BIN / "python"), str(BENCH / "phases.py"), str(corpus), str(work / "phases")],
            CORPUS_LIMIT, "fasen", every=30,
        )  # fmt: skip
        result["phases"] = json.loads(str(done["output"]).splitlines()[-1])
        say("  fasen: " + ", ".join(f"{k} {v:.1f}" for k, v in result["phases"].items()))
    if args.build_only:
        return result
    passes = args.passes if size < ONE_PASS_FROM else 1
    say(f"  zoeken in het proces: {len(mix)} vragen × {passes} rondes …")
    argv = [str(APP_BIN / "python"), str(BENCH / "search_latency.py"), str(state), str(mix_file)]
    argv += ["--passes", str(passes)]
    if args.profile:
        argv += ["--profile", str(work / "profile.txt")]
    done = run_measured(argv, {}, "zoeken in het proces", every=30)
    result["in_process"] = ip = json.loads(str(done["output"]).splitlines()[-1])
    listing, first, text = ip["listing"], ip["listing_first_pass"], ip["text_search_only"]
    say(
        f"  in het proces: p50 {listing['p50_ms']:.1f} ms, p95 {listing['p95_ms']:.1f} ms "
        f"(1e ronde p95 {first['p95_ms']:.1f}; alleen tekst: p50 {text['p50_ms']:.1f}, "
        f"p95 {text['p95_ms']:.1f}); mediaan {ip['hits_median']:.0f} treffers"
    )
    with Servers() as servers:
        started = time.monotonic()
        server = servers.start(
            "ours", OUR_SERVER, app_env(state, corpus), work / "ours.log", "/healthz", timeout=600
        )
        get(server.base + mix[0]["url"], timeout=1200)
        result["http_first_request_s"] = first_answer = time.monotonic() - started
        say(f"  HTTP: eerste antwoord na {first_answer:.1f} s (start + catalogus inlezen)")
        result["http"] = http = http_latency(server.base, mix, passes)
        say(
            f"  over HTTP (1 verbinding): p50 {http['p50_ms']:.1f} ms, p95 {http['p95_ms']:.1f} ms "
            f"(1e ronde p95 {http['first_pass']['p95_ms']:.1f})"
        )
        _, body, _ = get(server.base + "/api/v1/approaches?per_page=20&page=3", timeout=600)
        # html_url is absolute (on the server's base); the load generator takes paths
        pages = [{"url": urlsplit(item["html_url"]).path} for item in json.loads(body)["items"]]
        result["http_detail"] = detail = http_latency(server.base, pages, passes)
    say(
        f"  detailpagina's over HTTP: p50 {detail['p50_ms']:.1f} ms, p95 {detail['p95_ms']:.1f} ms "
        f"(1e ronde p95 {detail['first_pass']['p95_ms']:.1f})"
    )
    return result


# --- tables -------------------------------------------------------------------------------


def _size(r: dict[str, Any]) -> str:
    return f"{r['size']:,}".replace(",", ".")


def _load_cell(r: dict[str, Any]) -> str:
    load = r.get("load")
    if load is None:
        return "niet gedaan (validate mislukte)" if "validate_error" in r else "—"
    if not load["ok"]:
        error = load["error"][:80]
        return f"**MISLUKT** na {load['seconds']:.0f} s (exitcode {load['returncode']}: {error})"
    memory = f"{load['peak_rss_mb']:.0f}"
    if load["peak_tree_rss_mb"] > load["peak_rss_mb"] * 1.1:
        memory += f" (samen {load['peak_tree_rss_mb']:.0f})"
    return f"{load['seconds']:.1f} s, {memory} MB"


def build_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        target = SCALE_TARGETS.get(r["size"], (None, None))[0]
        load = r.get("load") or {"ok": False}
        goal = "—"
        if target is not None:
            seconds = load["seconds"] if load["ok"] else float("inf")
            goal = f"≤ {target:g} s: {'ja' if seconds <= target else 'nee'}"
        validate = f"{r['validate_s']:.1f} s" + (" **MISLUKT**" if "validate_error" in r else "")
        rows.append([
            _size(r), f"{r['corpus_mb']:.0f} MB", validate, _load_cell(r),
            f"{load['index_mb']:.0f} MB" if load["ok"] else "—",
            f"{load['db_mb']:.0f} MB" if load["ok"] else "—", goal,
        ])  # fmt: skip
    headers = [
        "aanpakken", "YAML", "validate", "wijkwijzer load (tijd, piekgeheugen)", "index",
        "database", "doel bouw",
    ]  # fmt: skip
    return table(headers, rows)


def _p(summary: dict[str, Any]) -> str:
    return f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f}"


def worst_p95(r: dict[str, Any]) -> float:
    """The search target is judged on the worst p95: in process or HTTP, all or first pass."""
    ip, http = r["in_process"], r["http"]
    return float(
        max(
            ip["listing"]["p95_ms"],
            ip["listing_first_pass"]["p95_ms"],
            http["p95_ms"],
            http["first_pass"]["p95_ms"],
        )
    )


def search_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        target = SCALE_TARGETS.get(r["size"], (None, None))[1]
        if "in_process" not in r:
            skipped = "niet gemeten: " + r.get("failed", "alleen bouwen (--build-only)")
            rows.append([_size(r), *["—"] * 8, skipped if target or "failed" in r else "—"])
            continue
        ip, http, detail = r["in_process"], r["http"], r["http_detail"]
        goal = "—"
        if target is not None:
            goal = f"p95 ≤ {target:g} ms: {'ja' if worst_p95(r) <= target else 'nee'}"
        rows.append([
            _size(r), _p(ip["listing"]), _p(ip["listing_first_pass"]),
            _p(ip["text_search_only"]), _p(http), _p(http["first_pass"]),
            f"{_p(detail)} (1e ronde p95 {detail['first_pass']['p95_ms']:.1f})",
            f"{ip['hits_median']:.0f} (max {ip['hits_max']})",
            f"{r['http_first_request_s']:.1f} s", goal,
        ])  # fmt: skip
    headers = [
        "aanpakken", "in proces p50 / p95 ms", "in proces 1e ronde p50 / p95 ms",
        "waarvan tekst p50 / p95 ms", "HTTP p50 / p95 ms", "HTTP 1e ronde p50 / p95 ms",
        "detailpagina HTTP p50 / p95 ms", "treffers mediaan", "1e antwoord na start",
        "doel zoeken (slechtste p95)",
    ]  # fmt: skip
    return table(headers, rows)


PHASES = (
    ("read_yaml_s", "YAML lezen (yamlsource.read_yaml)"),
    ("load_corpus_s", "load_corpus (lezen + valideren)"),
    ("build_index_procs1_s", "build_index"),
    ("build_index_procs2_s", "build_index procs=2"),
    ("replace_corpus_s", "replace_corpus (database)"),
    ("read_corpus_s", "read_corpus (database → catalogus, bij de start)"),
)


def phases_table(results: list[dict[str, Any]]) -> str:
    with_phases = [r for r in results if "phases" in r]
    rows = [
        [label, *(f"{r['phases'][key]:.1f} s" if key in r["phases"] else "—" for r in with_phases)]
        for key, label in PHASES
        if any(key in r["phases"] for r in with_phases)
    ]
    return table(["fase", *(f"{_size(r)} aanpakken" for r in with_phases)], rows)


def scale_summary(results: list[dict[str, Any]], queries: int, passes: int) -> list[str]:
    """The scale part's lines of summary.md."""
    lines = [
        f"### Schaal ({queries} vragen × {passes} rondes; 1 ronde vanaf "
        f"{_size({'size': ONE_PASS_FROM})})",
        "",
        build_table(results),
        "",
        search_table(results),
        "",
        "HTTP: de app met productie-instellingen (antwoordcache aan): vanaf de 2e ronde kunnen "
        "antwoorden uit de cache komen; de 1e ronde is koud. Het zoekdoel telt de slechtste "
        "p95 (in proces of HTTP, alle rondes of de 1e).",
        "",
    ]
    if any("phases" in r for r in results):
        lines += ["### Fasen van de load", "", phases_table(results), ""]
    return lines
