"""Index versions on disk: build one aside, make it current atomically, clean up.

The index is written into a fresh directory per build and made current by
swapping a ``current`` symlink atomically, so readers never see a half-built
index::

    version_dir = build_index(root, corpus)    # complete, not yet visible
    ...                                        # e.g. the database transaction
    activate_index(root, version_dir)          # atomic swap; old versions cleaned

A version directory holds Whoosh's index, the postings arrays (``postings``),
the word files, a ``FORMAT`` stamp and, written last, ``VERSION`` (the hash of
the corpus). A version without the stamp of ``INDEX_FORMAT`` is never opened:
it counts as no index, and ``sync_index`` (catalogue) rebuilds it.
"""

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import whoosh.index
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.writing import SegmentWriter

from wijkwijzer.corpus.models import Corpus
from wijkwijzer.search.analysis import (
    DutchAnalyzer,
    curated_words,
    dutch_analyzer,
    plain_words,
)
from wijkwijzer.search.memo import Analysed, unstemmed_words
from wijkwijzer.search.names import name_keys
from wijkwijzer.search.postings import bm25f
from wijkwijzer.search.postings_build import PostingsCollector
from wijkwijzer.search.schema import (
    TAG_FIELDS,
    document,
    document_texts,
    make_schema,
    tags_of,
    word_forms,
)

CURRENT = "current"
VERSION_FILE = "VERSION"
FORMAT_FILE = "FORMAT"
# The layout of a version directory: bump it whenever a file of it changes, or a
# class pickled into Whoosh's schema (analyzer, field types) moves or is renamed.
INDEX_FORMAT = 4  # 3: documenten.json, evaluatie searched; 4: documenten.json by column
WORD_FORMS_FILE = "woordvormen.json"
SPELLING_FILE = "spelling.json"  # the words spelling suggestions come from
# What query time needs of each document, by document number: slug, tags, name keys.
DOCUMENTS_FILE = "documenten.json"
PROGRESS_EVERY = 1000
LIMIT_MB = 128  # memory for postings per process of Whoosh's multiprocess writer
SCRATCH_PREFIX = ".scratch-"  # a build's scratch files; a killed build leaves them behind


class IndexFormatError(ValueError):
    """A version directory of another index format (or without a stamp)."""


def build_index(
    index_root: Path,
    corpus: Corpus,
    procs: int = 1,
    limitmb: int = LIMIT_MB,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a complete index of `corpus` into a fresh directory; do not activate it.

    Every text is analysed once: Whoosh's writer indexes that analysis, and the
    postings arrays are written from it. One process (`procs` 1) writes the
    index in memory, keeping every posting there (``FreshSegmentWriter``), then
    writes the files. With `procs` > 1 Whoosh's multiprocess writer takes over
    (measured slower), with `limitmb` of memory for postings per process, beyond
    which it sorts on disk. `progress`, when given, is called with (approaches
    done, total) every ``PROGRESS_EVERY`` approaches and once when all are in
    (writing the files follows).
    """
    index_root.mkdir(parents=True, exist_ok=True)
    version_dir = index_root / f"v-{corpus.content_hash}-{time.time_ns()}"
    version_dir.mkdir()
    try:
        texts = [document_texts(a, corpus.vocabulaire) for a in corpus.aanpakken]
        all_texts = [t for doc in texts for t in doc.values()]
        analyzer = dutch_analyzer(plain_words(all_texts) | curated_words())
        schema = make_schema(analyzer)
        collector = PostingsCollector()
        known: dict[str, Analysed] = {}  # the analysis of each distinct token of the texts
        docs = _documents(corpus, texts, analyzer, collector, known)
        if procs > 1:  # worker processes write segments on disk themselves
            index = whoosh.index.create_in(str(version_dir), schema)
            _write(index.writer(procs=procs, limitmb=limitmb), docs, len(texts), progress)
        else:
            # Build in memory, then write the files: Whoosh's writer checks the disk for
            # files thousands of times per build, and each check lets other threads
            # (searches) hold the interpreter for a while.
            storage = MemoryStorage(index_root / f"{SCRATCH_PREFIX}{version_dir.name}")
            try:
                writer = FreshSegmentWriter(storage.create_index(schema))
                _write(writer, docs, len(texts), progress)
            finally:
                shutil.rmtree(storage.scratch, ignore_errors=True)
            for name in storage.list():
                if not name.endswith("_LOCK"):
                    (version_dir / name).write_bytes(storage.open_file(name).read())
        index = whoosh.index.open_dir(str(version_dir), readonly=True)
        with index.searcher(weighting=bm25f()) as searcher:
            docnums = _docnums(searcher, corpus) if procs > 1 else None
            collector.write(version_dir, searcher, docnums)
        forms = json.dumps(word_forms(all_texts), ensure_ascii=False, sort_keys=True)
        (version_dir / WORD_FORMS_FILE).write_text(forms, "utf-8")
        spelling = json.dumps(sorted(unstemmed_words(known.values())), ensure_ascii=False)
        (version_dir / SPELLING_FILE).write_text(spelling, "utf-8")
        _write_documents(version_dir, corpus, docnums)
        (version_dir / FORMAT_FILE).write_text(f"{INDEX_FORMAT}\n", "utf-8")
        (version_dir / VERSION_FILE).write_text(corpus.content_hash + "\n", "utf-8")
    except BaseException:
        shutil.rmtree(version_dir, ignore_errors=True)
        raise
    return version_dir


def _documents(
    corpus: Corpus,
    texts: list[dict[str, str]],
    analyzer: DutchAnalyzer,
    collector: PostingsCollector,
    known: dict[str, Analysed],
) -> Iterator[dict[str, Any]]:
    """Each approach's index document, its texts analysed (and kept for the arrays)."""
    for docnum, (aanpak, doc_texts) in enumerate(zip(corpus.aanpakken, texts, strict=True)):
        analysed = {name: analyzer.positions(text, known) for name, text in doc_texts.items()}
        collector.add(docnum, analysed)
        yield document(aanpak, analysed)


def _write_documents(version_dir: Path, corpus: Corpus, docnums: Sequence[int] | None) -> None:
    """What opening a version reads of its documents, in one file, by document number
    (Whoosh's stored fields take seconds to read at 100,000 approaches): slugs, tags,
    and the documents each name key finds (``names.py``)."""
    count = len(corpus.aanpakken)
    order = docnums or range(count)
    slugs: list[str] = [""] * count
    tags: list[list[str]] = [[]] * count
    named: dict[str, list[int]] = {}
    for aanpak, docnum in zip(corpus.aanpakken, order, strict=True):
        slugs[docnum] = aanpak.slug
        tags[docnum] = [f"{name}:{value}" for name in TAG_FIELDS for value in tags_of(aanpak, name)]
        for key in name_keys(aanpak.naam):
            named.setdefault(key, []).append(docnum)
    found = {"slugs": slugs, "tags": tags, "namen": named}
    (version_dir / DOCUMENTS_FILE).write_text(json.dumps(found, ensure_ascii=False), "utf-8")


def _docnums(searcher: Any, corpus: Corpus) -> list[int]:
    """Whoosh's document number of each approach (the multiprocess writer reorders them)."""
    number = {stored["slug"]: docnum for docnum, stored in searcher.reader().iter_docs()}
    return [number[a.slug] for a in corpus.aanpakken]


class MemoryStorage(RamStorage):  # type: ignore[misc]
    """A RamStorage whose scratch files go to a private directory of this build.

    Whoosh's RamStorage puts them in ``/tmp/<indexname>.tmp``, one directory
    shared by every build on the machine, which concurrent builds trample. They
    cannot stay in memory either: the external sort of Whoosh's posting pool
    (beyond ``limitmb``) writes its runs through raw files that a RamStorage
    never registers. (``FreshSegmentWriter`` sorts no runs, but every writer
    makes this storage.)
    """

    def __init__(self, scratch: Path) -> None:
        super().__init__()
        self.scratch = scratch

    def temp_storage(self, name: str | None = None) -> FileStorage:
        self.scratch.mkdir(parents=True, exist_ok=True)
        return FileStorage(tempfile.mkdtemp(dir=self.scratch)).create()


class FreshSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's writer for the one segment of a new index, with postings kept per term.

    Whoosh's own pool keeps every posting as a tuple and sorts them all at
    commit, on disk beyond ``limitmb``. Documents come in order here, so
    grouping the postings by term and sorting only the terms gives the same
    sequence, and the same index (a test compares it with Whoosh's own writer's),
    in a fraction of the time. Its per-document reader, which Whoosh asks for
    each posting's field length when it writes them, reads each field's lengths
    once.
    """

    def __init__(self, index: Any) -> None:
        super().__init__(index)
        self.pool = TermPool()

    def per_document_reader(self) -> Any:
        return FieldLengths(super().per_document_reader())


Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, docnum, weight, value


class TermPool:
    """The postings of a segment in memory, grouped by field and term (Whoosh's pool calls)."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list[Posting]]] = {}

    def add(self, item: Posting) -> None:
        terms = self.fields.get(item[0])
        if terms is None:
            terms = self.fields[item[0]] = {}
        postings = terms.get(item[1])
        if postings is None:
            terms[item[1]] = [item]
        else:
            postings.append(item)

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted (by field, term, then document)."""
        for fieldname in sorted(self.fields):
            terms = self.fields.pop(fieldname)
            for term in sorted(terms):
                postings = terms.pop(term)
                postings.sort()  # already in order when documents come in order
                yield from postings

    def cleanup(self) -> None:
        self.fields.clear()


class FieldLengths:
    """A segment's per-document reader whose field lengths are read once per field."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.count: int = reader.doc_count_all()
        self.by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.by_field.get(fieldname)
        if lengths is None:
            field_length = self.reader.doc_field_length
            lengths = [field_length(d, fieldname, default) for d in range(self.count)]
            self.by_field[fieldname] = lengths
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:  # everything else: the reader's own
        return getattr(self.reader, name)


def _write(
    writer: Any,
    docs: Iterable[dict[str, Any]],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    try:
        for done, doc in enumerate(docs, 1):
            writer.add_document(**doc)
            if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
                progress(done, total)
        if progress is not None:  # every document is in; writing the segment follows
            progress(total, total)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def index_format(version_dir: Path) -> int | None:
    """The format stamp of a version directory (None: none, or unreadable)."""
    try:
        return int((version_dir / FORMAT_FILE).read_text("utf-8").strip())
    except (OSError, ValueError):
        return None


def check_format(version_dir: Path) -> None:
    """Raise IndexFormatError unless `version_dir` is of this code's INDEX_FORMAT."""
    found = index_format(version_dir)
    if found != INDEX_FORMAT:
        raise IndexFormatError(
            f"{version_dir} heeft indexformaat {found or 'onbekend'}, verwacht {INDEX_FORMAT}"
        )


def usable(version_dir: Path) -> bool:
    """Whether `version_dir` is complete (``VERSION`` written) and of INDEX_FORMAT."""
    return (version_dir / VERSION_FILE).is_file() and index_format(version_dir) == INDEX_FORMAT


def outdated_index(index_root: Path) -> Path | None:
    """The current version when it is complete but of another format (or unstamped)."""
    target = current_target(index_root)
    if target is None:
        return None
    path = index_root / target
    if (path / VERSION_FILE).is_file() and index_format(path) != INDEX_FORMAT:
        return path
    return None


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
    """The directory `current` points at, or None (no index, a dangling link, another format)."""
    target = current_target(index_root)
    if target is None:
        return None
    path = index_root / target
    return path if usable(path) else None


def read_version(version_dir: Path) -> str:
    """The content hash a version was built from."""
    return (version_dir / VERSION_FILE).read_text("utf-8").strip()


def activate_index(index_root: Path, version_dir: Path) -> None:
    """Point `current` at `version_dir` atomically; remove versions older than the previous one."""
    if version_dir.parent.resolve() != index_root.resolve():
        raise ValueError(f"{version_dir} staat niet in {index_root}")
    if not (version_dir / VERSION_FILE).is_file():
        raise ValueError(f"{version_dir} is geen volledige index (geen {VERSION_FILE})")
    check_format(version_dir)
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


def scratch_dirs(index_root: Path) -> list[Path]:
    """The scratch folders of builds under `index_root`: running ones, or left by killed ones.

    Which is which only the caller knows (``catalogue.loading`` holds the load lock).
    """
    try:
        return sorted(p for p in index_root.glob(f"{SCRATCH_PREFIX}*") if p.is_dir())
    except OSError:
        return []


def discard_index(version_dir: Path) -> None:
    """Remove a version that was built but will not be activated."""
    if current_target(version_dir.parent) == version_dir.name:
        raise ValueError(f"{version_dir} is de actieve index")
    shutil.rmtree(version_dir, ignore_errors=True)
