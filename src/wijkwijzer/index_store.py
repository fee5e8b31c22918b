"""Index versions on disk: build one aside, make it current atomically, clean up.

The index is written into a fresh directory per build and made current by
swapping a ``current`` symlink atomically, so readers never see a half-built
index::

    version_dir = build_index(root, corpus)    # complete, not yet visible
    ...                                        # e.g. the database transaction
    activate_index(root, version_dir)          # atomic swap; old versions cleaned
"""

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import whoosh.index
from whoosh.filedb.filestore import FileStorage, RamStorage

from wijkwijzer.analysis import curated_words, dutch_analyzer, plain_words
from wijkwijzer.corpus import Corpus
from wijkwijzer.index_schema import document, document_texts, make_schema, word_forms

CURRENT = "current"
VERSION_FILE = "VERSION"
WORD_FORMS_FILE = "woordvormen.json"


def build_index(index_root: Path, corpus: Corpus, procs: int = 1, limitmb: int = 128) -> Path:
    """Write a complete index of `corpus` into a fresh directory; do not activate it.

    `limitmb` is the writer's memory for postings; beyond it Whoosh sorts on disk.
    """
    index_root.mkdir(parents=True, exist_ok=True)
    version_dir = index_root / f"v-{corpus.content_hash}-{time.time_ns()}"
    version_dir.mkdir()
    try:
        texts = [document_texts(a, corpus.vocabulaire) for a in corpus.aanpakken]
        all_texts = [t for doc in texts for t in doc.values()]
        analyzer = dutch_analyzer(plain_words(all_texts) | curated_words())
        schema = make_schema(analyzer)
        docs = [document(a, t) for a, t in zip(corpus.aanpakken, texts, strict=True)]
        if procs > 1:  # worker processes write segments on disk themselves
            index = whoosh.index.create_in(str(version_dir), schema)
            _write(index.writer(procs=procs, limitmb=limitmb), docs)
        else:
            # Build in memory, then write the files: Whoosh's writer checks the disk for
            # files thousands of times per build, and each check lets other threads
            # (searches) hold the interpreter for a while.
            storage = MemoryStorage(index_root / f".scratch-{version_dir.name}")
            try:
                _write(storage.create_index(schema).writer(limitmb=limitmb), docs)
            finally:
                shutil.rmtree(storage.scratch, ignore_errors=True)
            for name in storage.list():
                if not name.endswith("_LOCK"):
                    (version_dir / name).write_bytes(storage.open_file(name).read())
        forms = json.dumps(word_forms(all_texts), ensure_ascii=False, sort_keys=True)
        (version_dir / WORD_FORMS_FILE).write_text(forms, "utf-8")
        (version_dir / VERSION_FILE).write_text(corpus.content_hash + "\n", "utf-8")
    except BaseException:
        shutil.rmtree(version_dir, ignore_errors=True)
        raise
    return version_dir


class MemoryStorage(RamStorage):  # type: ignore[misc]
    """A RamStorage whose scratch files go to a private directory of this build.

    Whoosh's RamStorage puts them in ``/tmp/<indexname>.tmp``, one directory
    shared by every build on the machine, which concurrent builds trample. They
    cannot stay in memory either: the external sort (used once the postings
    exceed the writer's ``limitmb``) writes its runs through raw files that a
    RamStorage never registers.
    """

    def __init__(self, scratch: Path) -> None:
        super().__init__()
        self.scratch = scratch

    def temp_storage(self, name: str | None = None) -> FileStorage:
        self.scratch.mkdir(parents=True, exist_ok=True)
        return FileStorage(tempfile.mkdtemp(dir=self.scratch)).create()


def _write(writer: Any, docs: Iterable[dict[str, Any]]) -> None:
    try:
        for doc in docs:
            writer.add_document(**doc)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _built_at(path: Path) -> int:
    stamp = path.name.rsplit("-", 1)[-1]
    return int(stamp) if stamp.isdigit() else 0


def current_target(index_root: Path) -> str | None:
    """The name of the version directory `current` links to (None without a link)."""
    try:
        return os.readlink(index_root / CURRENT)
    except OSError:
        return None


def current_index(index_root: Path) -> Path | None:
    """The directory `current` points at, or None (no index, or a dangling link)."""
    target = current_target(index_root)
    if target is None:
        return None
    path = index_root / target
    return path if (path / VERSION_FILE).is_file() else None


def read_version(version_dir: Path) -> str:
    """The content hash a version was built from."""
    return (version_dir / VERSION_FILE).read_text("utf-8").strip()


def activate_index(index_root: Path, version_dir: Path) -> None:
    """Point `current` at `version_dir` atomically; remove versions older than the previous one."""
    if version_dir.parent.resolve() != index_root.resolve():
        raise ValueError(f"{version_dir} staat niet in {index_root}")
    if not (version_dir / VERSION_FILE).is_file():
        raise ValueError(f"{version_dir} is geen volledige index (geen {VERSION_FILE})")
    link = index_root / CURRENT
    previous = current_target(index_root)
    if link.exists() and not link.is_symlink():  # a plain directory left by hand: replace it
        shutil.rmtree(link)
    temp = index_root / f".{CURRENT}-{os.getpid()}-{time.time_ns()}"
    os.symlink(version_dir.name, temp)
    os.replace(temp, link)
    keep = {version_dir.name, previous}
    older = [p for p in index_root.glob("v-*") if p.is_dir() and p.name not in keep]
    if previous is None or not (index_root / previous).is_dir():
        # No usable previous version: keep the newest older one instead.
        older.sort(key=_built_at)
        older = older[:-1] if older else older
    for path in older:
        if _built_at(path) < _built_at(version_dir):
            shutil.rmtree(path, ignore_errors=True)


def discard_index(version_dir: Path) -> None:
    """Remove a version that was built but will not be activated."""
    if current_target(version_dir.parent) == version_dir.name:
        raise ValueError(f"{version_dir} is de actieve index")
    shutil.rmtree(version_dir, ignore_errors=True)
