"""Real servers for tests: ``wijkwijzer serve`` or plain ``uvicorn`` as a subprocess on loopback.

Every server listens on 127.0.0.1 on a free port, runs in its own session (so the
test can stop it and every worker it started), and is stopped when the ``with``
block ends, whatever happened. Waits are bounded.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Container, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.helpers.pgserver import free_port
from wijkwijzer.config import Settings

BIN = Path(sys.executable).parent
_CAPS = "-dac_override,-dac_read_search,-fowner"
NO_OVERRIDE = ["setpriv", f"--bounding-set={_CAPS}", f"--inh-caps={_CAPS}", "--"]
START_TIMEOUT = 60.0


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that makes a subprocess see `settings` (and nothing else of ours)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKWIJZER_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"WIJKWIJZER_{name.upper()}"] = str(value)
    env.update(extra)
    return env


def run_cli(
    settings: Settings, *args: str, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the ``wijkwijzer`` command (as an operator would) with `settings`."""
    return subprocess.run(
        [str(BIN / "wijkwijzer"), *args],
        env=settings_env(settings, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Server:
    """A running server process: its url, pid and log."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 60) -> str:
        """Wait until `text` occurs `count` times in the log; return the log."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log_text()
            if log.count(text) >= count:
                return log
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(
                    f"{text!r} niet {count}x in het log binnen {timeout} s:\n{log}"
                )
            time.sleep(0.05)

    def workers(self) -> list[int]:
        """Pids of uvicorn's worker processes (the children it spawned to serve)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        found.append(int(pid))
        return sorted(found)


def _command(kind: str, port: int, workers: int) -> list[str]:
    if kind == "serve":
        return [
            str(BIN / "wijkwijzer"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "wijkwijzer.web.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-server-header",
        "--log-level",
        "warning",
    ]


@contextmanager
def running_server(
    settings: Settings,
    log_dir: Path,
    kind: str = "serve",
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    honour_permissions: bool = False,
    healthy: bool = True,
) -> Iterator[Server]:
    """Start `kind` ("serve": ``wijkwijzer serve``; "uvicorn") and wait until it answers.

    With `honour_permissions`, a server started by root loses the capabilities that
    let root write where file permissions forbid it (so ``chmod a-w`` binds it too).
    Without `healthy`, any answer of /healthz will do (a 503 while the database is down).
    """
    port = free_port()
    log = log_dir / f"server-{port}.log"
    prefix = NO_OVERRIDE if honour_permissions and os.geteuid() == 0 else []
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*prefix, *_command(kind, port, workers)],
            env=settings_env(settings, **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_up(server, healthy)
        yield server
    finally:
        _stop(process)


def _wait_until_up(server: Server, healthy: bool = True) -> None:
    alive = lambda: server.process.poll() is None  # noqa: E731
    if not wait_until_up(server.url, alive, START_TIMEOUT, (200,) if healthy else None):
        raise AssertionError(f"server kwam niet op:\n{server.log_text()}")


def wait_until_up(
    url: str,
    alive: Callable[[], bool],
    timeout: float,
    statuses: Container[int] | None = (200,),
) -> bool:
    """Poll `url`/healthz until it answers 200 (or one of `statuses`, or anything when None):
    True; False when the server dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status = httpx.get(f"{url}/healthz", timeout=5).status_code
            if statuses is None or status in statuses:
                return True
        except httpx.TransportError:
            pass
        if not alive() or time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's session (supervisor and workers), then SIGKILL what is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)
