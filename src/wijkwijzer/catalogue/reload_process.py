"""A reload of a running server, done by a child process with a time and a memory limit.

Reading a corpus is bounded (``corpus.yaml_guard``), but a server must not
trust that alone: whatever a new corpus does, it does it in a child process
(``python -m wijkwijzer.catalogue.reload_process``), which reads, validates
and loads it exactly as ``wijkwijzer load`` does, under ``RLIMIT_AS``
(``WIJKWIJZER_RELOAD_MEMORY_MB``). The server only waits, up to
``WIJKWIJZER_RELOAD_TIMEOUT_S``, then kills it. A load writes the database and
the index atomically and every worker follows the index's version, so the
child's load reaches the server by itself; a child that fails, is killed or
dies leaves the previous catalogue serving, and the server logs one line.

The settings reach the child as JSON on its standard input; the child answers
with one JSON object on its standard output.
"""

import json
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Any

from wijkwijzer.config import Settings

SHOWN_PROBLEMS = 5  # problems named in the one log line of a refused corpus
CPU_MARGIN_S = 10  # the child's CPU limit: the time limit plus this (should its parent die)


@dataclass(frozen=True)
class Outcome:
    """How a reload ended: whether the catalogue is as the corpus says, and the log line."""

    ok: bool
    line: str


class ChildReload:
    """Runs reloads in a child process, one at a time; ``kill()`` ends the running one for good."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._killed = False

    def kill(self) -> None:
        """Stop the running child (if any) and refuse to start another."""
        with self._lock:
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    def run(self) -> Outcome:
        timeout = self.settings.reload_timeout_s
        with self._lock:
            if self._killed:
                return Outcome(False, "herladen overgeslagen: de server stopt")
            process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            self._process = process
        try:
            out, err = process.communicate(self.settings.model_dump_json().encode(), timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return Outcome(
                False,
                f"herladen afgebroken: het duurde langer dan {timeout:g} s "
                "(WIJKWIJZER_RELOAD_TIMEOUT_S); de vorige versie blijft staan",
            )
        finally:
            with self._lock:
                self._process = None
        return _outcome(process.returncode, out, err, self.settings)


def _outcome(returncode: int, out: bytes, err: bytes, settings: Settings) -> Outcome:
    """The outcome the child reported, or what its end says when it reported nothing."""
    try:
        answer: dict[str, Any] = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError):
        if returncode < 0:
            how = f"gestopt door signaal {-returncode}"
        else:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            how = f"gestopt met afsluitcode {returncode} ({last[0][:200]})"
        return Outcome(False, f"herladen mislukt: het laadproces werd {how}; {_KEPT}")
    status = answer.get("status")
    if status == "geladen":
        return Outcome(True, f"herladen: versie {answer['version']} geladen")
    if status == "ongewijzigd":
        return Outcome(True, "herladen: het corpus is niet veranderd")
    if status == "geweigerd":
        count = int(answer["count"])
        shown = " | ".join(answer["problems"])
        more = f" | (en {count - SHOWN_PROBLEMS} meer)" if count > SHOWN_PROBLEMS else ""
        noun = "probleem" if count == 1 else "problemen"
        return Outcome(False, f"herladen geweigerd: {count} {noun}; {_KEPT}: {shown}{more}")
    if status == "geheugen":
        limit = f"{settings.reload_memory_mb:g} MB"
        return Outcome(
            False,
            f"herladen mislukt: geheugen op (grens {limit}, WIJKWIJZER_RELOAD_MEMORY_MB); {_KEPT}",
        )
    return Outcome(False, f"herladen mislukt: {answer.get('error', status)}; {_KEPT}")


_KEPT = "de vorige versie blijft staan"


def _limit(settings: Settings) -> None:
    """This process's limits: address space, and CPU time should the server be gone."""
    if settings.reload_memory_mb:
        memory = int(settings.reload_memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(settings.reload_timeout_s) + CPU_MARGIN_S
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def child_main() -> int:
    """The child: read the settings, reload, answer in one line of JSON."""
    from wijkwijzer.catalogue.reloading import reload_catalogue
    from wijkwijzer.corpus.problems import CorpusError

    settings = Settings.model_validate_json(sys.stdin.buffer.read())
    _limit(settings)
    answer: dict[str, Any]
    try:
        corpus = reload_catalogue(settings, only_if_changed=True)
    except CorpusError as exc:
        shown = [_one_line(str(p)) for p in exc.problems[:SHOWN_PROBLEMS]]
        answer = {"status": "geweigerd", "count": len(exc.problems), "problems": shown}
    except MemoryError:
        answer = {"status": "geheugen"}
    except Exception as exc:  # told to the server in one line
        answer = {"status": "mislukt", "error": _one_line(f"{type(exc).__name__}: {exc}")}
    else:
        if corpus is None:
            answer = {"status": "ongewijzigd"}
        else:
            answer = {"status": "geladen", "version": corpus.content_hash}
    print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(child_main())
