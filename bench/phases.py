"""Where a load spends its time: each phase of ``wijkwijzer load`` timed on its own.

Runs in the project's venv with the app's own functions: reading and validating the
YAML, building the index with one process and with two (``build_index(..., procs=2)``,
which the loader does not use today), and replacing the database content. The builds
get the tempstore fix of ``bench/patched_load.py`` (without it the one-process build
fails from about 5-10k approaches). Also times parsing the YAML with libyaml's
``CSafeLoader`` against the pure-Python ``SafeLoader`` the loader uses. Prints one
JSON object.

Usage: ``.venv/bin/python bench/phases.py CORPUS.yaml WORK_DIR [--procs 1 2]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import yaml
from patched_load import fix_tempstore

from wijkwijzer.config import Settings
from wijkwijzer.corpus import load_corpus
from wijkwijzer.db import make_engine, replace_corpus
from wijkwijzer.search import build_index


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    fix_tempstore()
    settings = Settings()
    text = args.corpus.read_text("utf-8")
    result: dict[str, float] = {}
    _, result["yaml_compose_python_s"] = timed(yaml.compose, text, Loader=yaml.SafeLoader)
    if hasattr(yaml, "CSafeLoader"):
        _, result["yaml_compose_libyaml_s"] = timed(yaml.compose, text, Loader=yaml.CSafeLoader)
    corpus, result["load_corpus_s"] = timed(load_corpus, args.corpus, settings.vocabulaire)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    for procs in args.procs:
        version_dir, result[f"build_index_procs{procs}_s"] = timed(
            build_index, args.work / "index", corpus, procs=procs
        )
        shutil.rmtree(version_dir, ignore_errors=True)
    engine = make_engine(f"sqlite:///{args.work / 'db.sqlite'}")
    _, result["replace_corpus_s"] = timed(replace_corpus, engine, corpus)
    engine.dispose()
    shutil.rmtree(args.work, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
