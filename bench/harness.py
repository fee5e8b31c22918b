"""Shared pieces of the benchmarks: servers, requests, load runs, statistics, tables.

Standard library only (runs in the bench venv). Every server is started in its own
process group on 127.0.0.1 and stopped by that group's id; use ``Servers`` as a
context manager so they stop on failure too.
"""

from __future__ import annotations

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
import sys
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


def say(text: str) -> None:
    print(text, flush=True)


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


def get(url: str, timeout: float = 30, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes, dict[str, str]]:
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
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = float(sum(int(g) for g in errors.groups())) if errors else 0.0
    return result


def wrk_path() -> str | None:
    return shutil.which("wrk")


def load_run(url: str, connections: int, duration: float) -> dict[str, float]:
    """One closed-loop load run: wrk when there is one, else the asyncio generator."""
    wrk = wrk_path()
    if wrk:
        argv = [wrk, "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s", "--latency", url]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=True)
        return parse_wrk(done.stdout)
    argv = [
        str(BENCH_BIN / "python"), str(BENCH / "loadgen.py"), url,
        "--connections", str(connections), "--duration", str(duration),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=True)
    return json.loads(done.stdout)


def load_generator_name() -> str:
    wrk = wrk_path()
    if not wrk:
        return "bench/loadgen.py (asyncio + uvloop)"
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return version.strip() or "wrk"


# --- measuring a child process --------------------------------------------------------------


def _dir_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                pass
    return total


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(
    argv: Sequence[str],
    env: Mapping[str, str],
    label: str,
    phase: Any = None,
    every: float = 10.0,
) -> dict[str, float]:
    """Run `argv`; wall time and peak RSS (wait4's ru_maxrss); progress every `every` s.

    `phase` is a callable returning a short description of what the child is doing
    (read from the files it writes), shown with each progress line.
    """
    started = time.monotonic()
    process = subprocess.Popen(argv, env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stop = threading.Event()

    def progress() -> None:
        while not stop.wait(every):
            elapsed = time.monotonic() - started
            what = f", {phase()}" if phase else ""
            say(f"    … {label}: {elapsed:.0f} s, geheugen {_rss_mb(process.pid):.0f} MB{what}")

    watcher = threading.Thread(target=progress, daemon=True)
    watcher.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        stop.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{label} mislukte ({process.returncode}):\n{output}")
    return {"seconds": elapsed, "peak_rss_mb": usage.ru_maxrss / 1024, "output": output.strip()}  # type: ignore[dict-item]


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
        model = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")]
        info["cpu"] = model[0].split(":", 1)[1].strip() if model else "?"
        info["loadavg_start"] = Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        pass
    for venv, names in (
        (APP_BIN, "wijkwijzer fastapi starlette uvicorn whoosh-reloaded pydantic sqlmodel jinja2 uvloop httptools"),
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
    return info


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(1)
