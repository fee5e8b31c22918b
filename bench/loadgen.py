"""A closed-loop HTTP/1.1 load generator in asyncio: the fallback when wrk is missing.

N keep-alive connections each send one GET after another for a fixed duration,
like ``wrk -c N -d D``. With ``--paths FILE`` (one absolute path a line) every
request takes the next path of the file, cycling through it, like ``wrk -s
bench/cycle.lua``; URL then only names the server. Only loopback targets are
accepted. Prints one JSON object with requests/s and latency percentiles (the
same keys ``harness.parse_wrk`` returns).

Usage: ``python bench/loadgen.py URL --connections 32 --duration 10 [--paths FILE]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """Read one response; return (status, body bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        length = int(headers["content-length"])
        await reader.readexactly(length)
        return status, length
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, total
    return status, 0


class Requests:
    """The requests to send, in turn; shared by every connection (one event loop)."""

    def __init__(self, requests: list[bytes]) -> None:
        self.requests = requests
        self.position = -1

    def next(self) -> bytes:
        self.position = (self.position + 1) % len(self.requests)
        return self.requests[self.position]


def _request(host: str, port: int, target: str) -> bytes:
    return (
        f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: wijkwijzer-bench\r\n"
        "Accept: */*\r\n\r\n"
    ).encode()


async def _connection(
    host: str,
    port: int,
    requests: Requests,
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> int:
    """One connection sending requests until `deadline`; returns non-2xx/3xx count."""
    bad = 0
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(requests.next())
            try:
                status, _ = await asyncio.wait_for(_read_response(reader), timeout=10)
            except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                errors.append(1)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            latencies.append(time.perf_counter() - started)
            if not 200 <= status < 400:
                bad += 1
    finally:
        writer.close()
    return bad


async def _run(
    url: str, connections: int, duration: float, paths: list[str] | None = None
) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in LOOPBACK:
        raise SystemExit(f"alleen loopback-adressen, niet {host}")
    targets = paths or [(parts.path or "/") + (f"?{parts.query}" if parts.query else "")]
    requests = Requests([_request(host, port, target) for target in targets])
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    deadline = started + duration
    bad = await asyncio.gather(
        *(
            _connection(host, port, requests, deadline, latencies, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p90_ms": percentile(latencies, 0.90) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "non_2xx": sum(bad),
        "socket_errors": len(errors),
    }


def run(
    url: str, connections: int, duration: float, paths: list[str] | None = None
) -> dict[str, float]:
    try:
        import uvloop  # the bench venv has it (uvicorn[standard])
    except ImportError:
        return asyncio.run(_run(url, connections, duration, paths))
    return uvloop.run(_run(url, connections, duration, paths))


def main() -> int:
    parser = argparse.ArgumentParser(description="Closed-loop HTTP load generator (loopback).")
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument(
        "--paths", type=Path, help="file of absolute paths, one a line, sent in turn"
    )
    args = parser.parse_args()
    paths = None
    if args.paths is not None:
        paths = [line for line in args.paths.read_text("utf-8").splitlines() if line]
        if not paths:
            raise SystemExit(f"no paths in {args.paths}")
    print(json.dumps(run(args.url, args.connections, args.duration, paths)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
