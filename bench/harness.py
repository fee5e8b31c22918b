"""Shared pieces of the benchmarks: servers, requests, load runs, statistics, tables.

Standard library only (runs in the bench venv). Every server is started in its own
process group on 127.0.0.1 and stopped by that group's id; use ``Servers`` as a
context manager so they stop on failure too.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
APP_BIN = ROOT / ".venv" / "bin"
BENCH_BIN = BENCH / ".venv" / "bin"
HOST = "127.0.0.1"
# Our app as production runs it: one worker, no access log; settings from the environment.
OUR_SERVER = [
    str(APP_BIN / "uvicorn"), "wijkwijzer.web.app:create_app", "--factory",
    "--workers", "1", "--no-access-log",
]  # fmt: skip


def say(text: str) -> None:
    print(text, flush=True)


# Generated corpora outgrow the app's default file limit (20 MB): 10k is 25 MB, 100k 256 MB.
CORPUS_LIMIT = {"WIJKWIJZER_MAX_CORPUS_MB": "1024"}


def app_env(state: Path, corpus: Path | None = None) -> dict[str, str]:
    """The environment for our app with its database and index in `state`."""
    env = {"WIJKWIJZER_STATE_DIR": str(state), **CORPUS_LIMIT}
    if corpus is not None:
        env["WIJKWIJZER_CORPUS"] = str(corpus)
    return env


def shown(path: Path) -> str:
    """`path` relative to the project when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- servers ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # its own group: only what we started
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


@dataclass
class Servers:
    """Starts servers and stops every one of them on exit, also after an error."""

    started: list[Server] = field(default_factory=list)

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()

    def stop_all(self) -> None:
        while self.started:
            self.started.pop().stop()

    def start(
        self,
        name: str,
        argv: Sequence[str],
        env: Mapping[str, str],
        log: Path,
        ready_path: str,
        timeout: float = 120,
    ) -> Server:
        port = free_port()
        argv = [*argv, "--host", HOST, "--port", str(port)]
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=ROOT,
            )
        server = Server(name, port, process, log)
        self.started.append(server)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not server.alive():
                raise RuntimeError(f"{name} stopte bij het starten; zie {log}")
            try:
                status, _, _ = get(server.base + ready_path, timeout=timeout)
                if status == 200:
                    return server
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} werd niet gereed binnen {timeout:.0f} s; zie {log}")


# --- single requests ----------------------------------------------------------------------


def get(
    url: str, timeout: float = 30, conn: http.client.HTTPConnection | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """One GET on loopback: (status, body, headers)."""
    match = re.match(r"http://(127\.0\.0\.1|localhost):(\d+)(/.*)", url)
    if not match:
        raise ValueError(f"alleen loopback-URL's: {url}")
    own = conn is None
    if conn is None:
        conn = http.client.HTTPConnection(match.group(1), int(match.group(2)), timeout=timeout)
    try:
        conn.request("GET", match.group(3))
        response = conn.getresponse()
        body = response.read()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        if own:
            conn.close()


# --- load runs ----------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse_wrk(text: str) -> dict[str, float]:
    def find(pattern: str) -> re.Match[str]:
        match = re.search(pattern, text)
        if not match:
            raise ValueError(f"wrk-uitvoer zonder {pattern!r}:\n{text}")
        return match

    result: dict[str, float] = {"rps": float(find(r"Requests/sec:\s+([\d.]+)").group(1))}
    result["requests"] = float(find(r"(\d+) requests in").group(1))
    for pct in ("50", "90", "99"):
        m = find(rf"\s{pct}%\s+([\d.]+)(us|ms|s|m)\b")
        result[f"p{pct}_ms"] = _ms(m.group(1), m.group(2))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    result["non_2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    result["socket_errors"] = float(sum(int(g) for g in errors.groups())) if errors else 0.0
    return result


def wrk_path() -> str | None:
    return shutil.which("wrk")


CYCLE_SCRIPT = BENCH / "cycle.lua"


def load_run(
    url: str, connections: int, duration: float, paths: Path | None = None
) -> dict[str, float]:
    """One closed-loop load run: wrk when there is one, else the asyncio generator.

    `url` is the whole URL, or with `paths` (a file of absolute paths, one a line)
    the server's base: every request then takes the next path, cycling through the file.
    """
    wrk = wrk_path()
    if wrk:
        argv = [wrk, "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s", "--latency"]
        if paths is not None:
            argv += ["-s", str(CYCLE_SCRIPT), url, "--", str(paths)]
        else:
            argv.append(url)
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=duration + 60, check=True
        )
        return parse_wrk(done.stdout)
    argv = [
        str(BENCH_BIN / "python"), str(BENCH / "loadgen.py"), url,
        "--connections", str(connections), "--duration", str(duration),
    ]  # fmt: skip
    if paths is not None:
        argv += ["--paths", str(paths)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def load_generator_name() -> str:
    wrk = wrk_path()
    if not wrk:
        return "bench/loadgen.py (asyncio + uvloop)"
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return version.strip() or "wrk"


# --- measuring a child process --------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return found


def _rss_mb(pids: Iterable[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(status.split("VmRSS:", 1)[1].split()[0])
    return total / 1024


def run_measured(
    argv: Sequence[str],
    env: Mapping[str, str],
    label: str,
    every: float = 10.0,
    check: bool = True,
    echo: bool = False,
) -> dict[str, Any]:
    """Run `argv`: wall time, peak memory, output; a memory line every `every` s.

    Peak memory twice: ``peak_rss_mb`` is wait4's ru_maxrss (the largest single
    process), ``peak_tree_rss_mb`` the largest sum over the process and its children,
    sampled every 0.25 s (what a multiprocess build really holds). With `echo`
    every line the child writes (stdout and stderr) is shown as it comes.
    """
    started = time.monotonic()
    process = subprocess.Popen(
        argv,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    stream = process.stdout
    lines: list[str] = []
    stop = threading.Event()
    peak = [0.0]

    def read() -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            lines.append(line)
            if echo:
                say(f"    │ {line}")

    def watch() -> None:
        last = time.monotonic()
        while not stop.wait(0.25):
            rss = _rss_mb(_tree(process.pid))
            peak[0] = max(peak[0], rss)
            if time.monotonic() - last >= every:
                last = time.monotonic()
                say(f"    … {label}: {last - started:.0f} s, geheugen {rss:.0f} MB")

    reader = threading.Thread(target=read, daemon=True)
    watcher = threading.Thread(target=watch, daemon=True)
    reader.start()
    watcher.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        stop.set()
        watcher.join()
        reader.join()
        stream.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    output = "\n".join(lines).strip()
    if check and process.returncode != 0:
        raise RuntimeError(f"{label} mislukte ({process.returncode}):\n{output}")
    return {
        "ok": process.returncode == 0,
        "returncode": process.returncode,
        "seconds": elapsed,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "peak_tree_rss_mb": peak[0],
        "output": output,
    }


# --- statistics and tables ----------------------------------------------------------------


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def pct(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """Cores, memory, Python and package versions, load: for the RESULTS."""
    info: dict[str, str] = {"cores": str(os.cpu_count())}
    try:
        mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
        info["memory"] = f"{int(mem) / 1024 / 1024:.1f} GiB"
        model = [
            ln
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ]
        info["cpu"] = model[0].split(":", 1)[1].strip() if model else "?"
        info["loadavg_start"] = Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        pass
    for venv, names in (
        (
            APP_BIN,
            "wijkwijzer fastapi starlette uvicorn whoosh-reloaded pydantic sqlmodel jinja2 "
            "uvloop httptools",
        ),
        (BENCH_BIN, "datasette sqlite-utils uvicorn uvloop httptools"),
    ):
        code = (
            "import importlib.metadata as m, sys, sqlite3\n"
            "out = {'python': sys.version.split()[0], 'sqlite': sqlite3.sqlite_version}\n"
            f"for n in {names.split()!r}:\n"
            "    try: out[n] = m.version(n)\n"
            "    except m.PackageNotFoundError: out[n] = '-'\n"
            "print(__import__('json').dumps(out))"
        )
        done = subprocess.run([str(venv / "python"), "-c", code], capture_output=True, text=True)
        if done.returncode == 0:
            prefix = "app" if venv == APP_BIN else "bench"
            for key, value in json.loads(done.stdout).items():
                info[f"{prefix}:{key}"] = value
    info["load generator"] = load_generator_name()
    # The app's source is edited while benchmarks run: name the exact version measured.
    info["app source sha256"] = source_digest(ROOT)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    info["git HEAD (+ uncommitted changes)"] = commit or "?"
    return info


def loadavg() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def source_digest(root: Path) -> str:
    """A short digest of the app's code and templates below `root` (a checkout or a copy)."""
    digest = hashlib.sha256()
    for path in sorted([*(root / "src").rglob("*.py"), *(root / "templates").rglob("*.html")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def snapshot_app(dest: Path) -> dict[str, str]:
    """Copy the app's code, templates and data to `dest`; the environment that runs the copy.

    Others edit the working tree while benchmarks run, and a running server reads a
    template (or imports a module) when it first needs it: a copy keeps one version for
    a whole part. ``PYTHONPATH`` puts the copy before the editable install's path, and
    the app finds its templates and data beside its package, as in a checkout.
    """
    shutil.rmtree(dest, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "templates", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return {"PYTHONPATH": str(dest / "src")}


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
