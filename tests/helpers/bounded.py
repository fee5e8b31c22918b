"""Bounds for tests of hostile input: a time limit in this process, memory limits in a child."""

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TypeVar

import pytest

from wijkwijzer.config import resource_dir
from wijkwijzer.corpus.problems import CorpusError

T = TypeVar("T")


class TooSlow(Exception):
    """The block did not end within its time limit."""


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block when it takes longer than `seconds` (main thread only).

    The alarm interrupts Python code (a loop, a recursion), so code that would never
    end fails the test instead of hanging it.
    """

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TooSlow(f"niet klaar binnen {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_within(seconds: float, read: Callable[[], T]) -> T | CorpusError:
    """What `read` returns, or the CorpusError it raises, within `seconds`.

    Anything else (too slow, a RecursionError, a MemoryError) fails the test with one
    line: a traceback a thousand frames deep is what is being tested against.
    """
    try:
        with within(seconds):
            return read()
    except CorpusError as refused:
        return refused
    except Exception as exc:  # TooSlow, RecursionError, MemoryError, ...
        message = f"{type(exc).__name__} in plaats van een corpus of problemen: {str(exc)[:300]}"
    pytest.fail(message, pytrace=False)


_CLI = (
    "import resource, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "from wijkwijzer.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def cli_with_memory(
    memory_mb: int, *args: str, timeout: float = 30, **env: str
) -> subprocess.CompletedProcess[str]:
    """``wijkwijzer ARGS`` in a child with at most `memory_mb` of address space.

    Only the settings in `env` (names without the WIJKWIJZER_ prefix, e.g.
    ``MAX_CORPUS_MB="30"``) apply; the vocabulary is the package's own.
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WIJKWIJZER_")}
    clean["WIJKWIJZER_VOCABULAIRE"] = str(resource_dir("data") / "vocabulaire.yaml")
    clean.update({f"WIJKWIJZER_{name}": value for name, value in env.items()})
    return subprocess.run(
        [sys.executable, "-c", _CLI, str(memory_mb * 1024 * 1024), *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=Path(__file__).resolve().parent,
    )
