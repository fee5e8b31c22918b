"""``wijkwijzer load`` with proposed fixes applied in this process only (src/ is untouched).

The benchmark uses this to measure what a change to the application would gain,
and to get a loaded catalogue when the unchanged loader fails. Each fix is one
flag and names the function it stands in for:

--fix-tempstore  ``MemoryStorage.temp_storage`` (index_store.py) returns a private on-disk
                 ``FileStorage`` (``tempfile.mkdtemp``) instead of a RamStorage.
                 Whoosh's external sort writes its runs with ``create_file(...).raw_file()``
                 and closes the raw file, so a RamStorage never registers them: as soon
                 as the postings exceed the writer's ``limitmb`` (128 MB, about 5-10k
                 approaches) the build fails with ``NameError: <name>.run``.
--procs N        ``loader.load_catalogue`` builds with ``build_index(..., procs=N)``
                 (Whoosh's multiprocess writer, on disk).
--libyaml        ``yamlsource.read_yaml`` composes with libyaml's ``CSafeLoader``
                 instead of the pure-Python ``SafeLoader`` (same nodes and marks).

Usage: ``.venv/bin/python bench/patched_load.py CORPUS.yaml [--fix-tempstore] [--procs 2]
[--libyaml]`` with WIJKWIJZER_STATE_DIR set, like ``wijkwijzer load``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import tempfile
import types
from pathlib import Path
from typing import Any

import yaml

import wijkwijzer.loader
import wijkwijzer.search
import wijkwijzer.yamlsource
from wijkwijzer.config import get_settings
from wijkwijzer.corpus import load_corpus


def fix_tempstore() -> None:
    from whoosh.filedb.filestore import FileStorage

    def temp_storage(self: Any, name: str | None = None) -> Any:
        return FileStorage(tempfile.mkdtemp(prefix="wijkwijzer-build-")).create()

    # The class moved from search.py to index_store.py once; patch wherever it is.
    for module, name in (
        ("wijkwijzer.index_store", "MemoryStorage"),
        ("wijkwijzer.search", "_MemoryStorage"),
    ):
        cls = getattr(importlib.import_module(module), name, None) if _exists(module) else None
        if cls is not None:
            cls.temp_storage = temp_storage
            return
    raise SystemExit("fix-tempstore: geen MemoryStorage gevonden in wijkwijzer")


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def use_procs(procs: int) -> None:
    wijkwijzer.loader.build_index = functools.partial(wijkwijzer.search.build_index, procs=procs)


def use_libyaml() -> None:
    shim = types.SimpleNamespace(
        **{k: getattr(yaml, k) for k in dir(yaml) if not k.startswith("__")}
    )
    shim.compose = lambda text, Loader=None: yaml.compose(text, Loader=yaml.CSafeLoader)  # noqa: N803
    wijkwijzer.yamlsource.yaml = shim


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--fix-tempstore", action="store_true")
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--libyaml", action="store_true")
    args = parser.parse_args()
    if args.fix_tempstore:
        fix_tempstore()
    if args.procs != 1:
        use_procs(args.procs)
    if args.libyaml:
        use_libyaml()
    settings = get_settings()
    corpus = load_corpus(args.corpus, settings.vocabulaire)
    wijkwijzer.loader.load_catalogue(settings, corpus)
    print(
        f"Geladen (met aanpassingen): {len(corpus.aanpakken)} aanpakken, "
        f"versie {corpus.content_hash}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
