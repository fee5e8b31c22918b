"""Where a load spends its time: each phase of ``wijkwijzer load`` timed on its own.

Runs in the project's venv with the app's own functions, in the order the loader
calls them: reading the YAML (``yamlsource.read_yaml``, libyaml when PyYAML has
it), reading and validating the corpus (``corpus.load_corpus``, which includes the
reading), building the index (``search.build_index``; ``--procs 1 2`` also times
Whoosh's multiprocess writer, which the loader does not use) and replacing the
database content (``db.replace_corpus``). Also what a server pays before its first
answer: reading the corpus back from the database (``db.read_corpus``). Prints
one JSON object.

Usage: ``.venv/bin/python bench/phases.py CORPUS.yaml WORK_DIR [--procs 1 2]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.corpus.yaml_source import read_yaml
from wijkwijzer.search import build_index
from wijkwijzer.store.database import make_engine, read_corpus, replace_corpus

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--procs", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    settings = Settings()
    result: dict[str, float] = {}
    limit = settings.max_corpus_mb  # WIJKWIJZER_MAX_CORPUS_MB (set by scale_bench.py)
    _, result["read_yaml_s"] = timed(lambda: read_yaml(args.corpus, limit))
    corpus, result["load_corpus_s"] = timed(
        lambda: load_corpus(args.corpus, settings.vocabulaire, max_mb=limit)
    )
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    for procs in args.procs:
        version_dir, result[f"build_index_procs{procs}_s"] = timed(
            partial(build_index, args.work / "index", corpus, procs=procs)
        )
        shutil.rmtree(version_dir, ignore_errors=True)
    engine = make_engine(f"sqlite:///{args.work / 'db.sqlite'}")
    _, result["replace_corpus_s"] = timed(lambda: replace_corpus(engine, corpus))
    _, result["read_corpus_s"] = timed(lambda: read_corpus(engine))
    engine.dispose()
    shutil.rmtree(args.work, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
