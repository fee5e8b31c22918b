"""Full-text search: the Whoosh schema, versioned index directories, and querying.

Every use of Whoosh in the application lives here (and in the analysis filters of
``wijkwijzer.analysis``, which the index schema pickles). The index is written
into a fresh directory per build and made current by swapping a ``current``
symlink atomically, so readers never see a half-built index::

    version_dir = build_index(root, corpus)    # complete, not yet visible
    ...                                        # e.g. the database transaction
    activate_index(root, version_dir)          # atomic swap; old versions cleaned

Queries never go through Whoosh's query parser: the query is built from the
analysed words, so no wildcard, field, range, boost or fuzzy syntax exists and
malformed input cannot raise.
"""

import html
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import whoosh.index
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.highlight import Formatter, Fragment, get_text
from whoosh.spelling import ListCorrector

from wijkwijzer.analysis import (
    Concept,
    QueryPlan,
    Synonyms,
    Word,
    analyse_word,
    curated_words,
    dutch_analyzer,
    edit_distance,
    fold,
    highlight_terms,
    plain_words,
    plan_query,
    synonym_groups,
)
from wijkwijzer.corpus import Aanpak, Corpus
from wijkwijzer.vocab import Vocabulaire

MAX_QUERY_LENGTH = 200
MIN_AND_RESULTS = 3  # fewer AND hits than this: fall back to a ranked OR
MAX_QUERY_TERMS = 16  # words beyond this are ignored
SYNONYM_BOOST = 0.6
TIEBREAK = 0.1  # share of the other alternatives' scores added to the best one
CORRECTION_BOOST = 0.8
SHORT_WORD = 6  # up to this length a correction may differ by one edit, beyond by two
RELATED_MIN = 3
RELATED_TERMS = 50  # key terms for more-like-this: few terms are all unique to the document
RELATED_TAG_WEIGHT = 0.5  # weight of shared doelgroepen/kenmerken against text similarity
_PLAN_CACHE_SIZE = 64

CURRENT = "current"
VERSION_FILE = "VERSION"
_WORD_FORMS_FILE = "woordvormen.json"

# Text fields searched, with their boosts (the name weighs most).
TEXT_FIELDS: Mapping[str, float] = MappingProxyType(
    {
        "naam": 5.0,
        "doel": 2.0,
        "doelgroep": 2.0,
        "trefwoorden": 1.5,
        "omschrijving": 1.0,
        "stappen": 1.0,
        "uitvoerders": 0.5,
    }
)
_RELATED_FIELD = "alles"  # every text field together, with term vectors

Mode = Literal["and", "or", "all"]


def _or(subqueries: Sequence[Any]) -> Any:
    """An Or matched by a tree of unions (Whoosh's array preloading is slower here)."""
    return wq.DefaultOr(list(subqueries))


def _best(alternatives: Sequence[Any]) -> Any:
    """Alternatives for one thing asked: the best match counts (a little of the rest)."""
    if len(alternatives) == 1:
        return alternatives[0]
    return wq.DisjunctionMax(list(alternatives), tiebreak=TIEBREAK)


class QueryTooLong(ValueError):
    """The query exceeds MAX_QUERY_LENGTH characters."""


@dataclass(frozen=True)
class TextResult:
    """All approaches matching a text query, best first (the caller pages and filters)."""

    ordered: tuple[str, ...]
    scores: Mapping[str, float]
    mode: Mode
    suggestion: str | None
    version: str | None


# --- schema and documents -----------------------------------------------------------------


def make_schema(analyzer: Any) -> Schema:
    """The index schema; `analyzer` is pickled into it."""
    text_fields = {
        name: TEXT(analyzer=analyzer, field_boost=boost, spelling=True)
        for name, boost in TEXT_FIELDS.items()
    }
    return Schema(
        slug=ID(stored=True, unique=True),
        **text_fields,
        alles=TEXT(analyzer=analyzer, phrase=False, vector=True),
        categorie=ID(stored=True),
        vorm=ID(stored=True),
        erkenningsniveau=ID(stored=True),
        doelgroepen=KEYWORD(stored=True, commas=True, lowercase=True),
        kenmerken=KEYWORD(stored=True, commas=True, lowercase=True),
        werkzame_elementen=KEYWORD(stored=True, commas=True, lowercase=True),
        leeftijd_min=NUMERIC(int, stored=True),
        leeftijd_max=NUMERIC(int, stored=True),
    )


def _texts(aanpak: Aanpak, vocabulaire: Vocabulaire) -> dict[str, str]:
    labels = [vocabulaire.label("doelgroepen", c) for c in aanpak.doelgroepen]
    labels += [vocabulaire.label("kenmerken", c) for c in aanpak.kenmerken]
    labels += [vocabulaire.label("werkzame_elementen", c) for c in aanpak.werkzame_elementen]
    labels += [
        vocabulaire.label("vormen", aanpak.vorm),
        vocabulaire.label("categorieen", aanpak.categorie),
    ]
    labels += [aanpak.vorm_omschrijving] if aanpak.vorm_omschrijving else []
    stappen = [" ".join(p for p in (s.label, s.titel, s.omschrijving) if p) for s in aanpak.stappen]
    return {
        "naam": aanpak.naam,
        "doel": aanpak.doel,
        "doelgroep": aanpak.doelgroep,
        "trefwoorden": "\n".join(labels),
        "omschrijving": aanpak.omschrijving,
        "stappen": "\n".join(stappen),
        "uitvoerders": aanpak.uitvoerders,
    }


def _document(aanpak: Aanpak, texts: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "slug": aanpak.slug,
        **texts,
        "alles": "\n".join(texts.values()),
        "categorie": aanpak.categorie.value,
        "vorm": aanpak.vorm.value,
        "erkenningsniveau": aanpak.erkenning.niveau.value,
        "doelgroepen": ",".join(aanpak.doelgroepen),
        "kenmerken": ",".join(aanpak.kenmerken),
        "werkzame_elementen": ",".join(aanpak.werkzame_elementen),
    }
    for name in ("leeftijd_min", "leeftijd_max"):
        if getattr(aanpak, name) is not None:
            doc[name] = getattr(aanpak, name)
    return doc


def _word_forms(texts: Iterable[str]) -> dict[str, str]:
    """Accent-folded word -> the form with accents as written (for suggestions)."""
    forms: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"[^\W\d_]+", text.lower()):
            word = match.group()
            if not word.isascii():
                forms.setdefault(fold(word), word)
    return forms


# --- building and activating versions -----------------------------------------------------


def build_index(index_root: Path, corpus: Corpus, procs: int = 1) -> Path:
    """Write a complete index of `corpus` into a fresh directory; do not activate it."""
    index_root.mkdir(parents=True, exist_ok=True)
    version_dir = index_root / f"v-{corpus.content_hash}-{time.time_ns()}"
    version_dir.mkdir()
    try:
        texts = [_texts(a, corpus.vocabulaire) for a in corpus.aanpakken]
        all_texts = [t for doc in texts for t in doc.values()]
        analyzer = dutch_analyzer(plain_words(all_texts) | curated_words())
        schema = make_schema(analyzer)
        docs = [_document(a, t) for a, t in zip(corpus.aanpakken, texts, strict=True)]
        if procs > 1:  # worker processes write segments on disk themselves
            _write(whoosh.index.create_in(str(version_dir), schema).writer(procs=procs), docs)
        else:
            # Build in memory, then write the files: Whoosh's writer checks the disk for
            # files thousands of times per build, and each check lets other threads
            # (searches) hold the interpreter for a while.
            storage = _MemoryStorage()
            _write(storage.create_index(schema).writer(), docs)
            for name in storage.list():
                if not name.endswith("_LOCK"):
                    (version_dir / name).write_bytes(storage.open_file(name).read())
        forms = json.dumps(_word_forms(all_texts), ensure_ascii=False, sort_keys=True)
        (version_dir / _WORD_FORMS_FILE).write_text(forms, "utf-8")
        (version_dir / VERSION_FILE).write_text(corpus.content_hash + "\n", "utf-8")
    except BaseException:
        shutil.rmtree(version_dir, ignore_errors=True)
        raise
    return version_dir


class _MemoryStorage(RamStorage):  # type: ignore[misc]
    """A RamStorage whose scratch files stay in memory as well.

    Whoosh's RamStorage puts them in ``/tmp/<indexname>.tmp``, one directory
    shared by every build on the machine, which concurrent builds trample.
    """

    def temp_storage(self, name: str | None = None) -> "_MemoryStorage":
        return _MemoryStorage()


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


def _current_target(index_root: Path) -> str | None:
    try:
        return os.readlink(index_root / CURRENT)
    except OSError:
        return None


def current_index(index_root: Path) -> Path | None:
    """The directory `current` points at, or None (no index, or a dangling link)."""
    target = _current_target(index_root)
    if target is None:
        return None
    path = index_root / target
    return path if (path / VERSION_FILE).is_file() else None


def activate_index(index_root: Path, version_dir: Path) -> None:
    """Point `current` at `version_dir` atomically; remove versions older than the previous one."""
    if version_dir.parent.resolve() != index_root.resolve():
        raise ValueError(f"{version_dir} staat niet in {index_root}")
    if not (version_dir / VERSION_FILE).is_file():
        raise ValueError(f"{version_dir} is geen volledige index (geen {VERSION_FILE})")
    link = index_root / CURRENT
    previous = _current_target(index_root)
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
    if _current_target(version_dir.parent) == version_dir.name:
        raise ValueError(f"{version_dir} is de actieve index")
    shutil.rmtree(version_dir, ignore_errors=True)


# --- query helpers ------------------------------------------------------------------------


def _intersect(hits: Sequence[dict[int, float]]) -> dict[int, float]:
    """Documents in every one of `hits`, scored by the sum."""
    if not hits:
        return {}
    return {d: sum(h[d] for h in hits) for d in hits[0] if all(d in h for h in hits[1:])}


def _max_edits(word: str) -> int:
    """How far a correction may be: short words are easily "corrected" into other words."""
    return 1 if len(word) <= SHORT_WORD else 2


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"zoekvraag is langer dan {MAX_QUERY_LENGTH} tekens")


# --- highlighting -------------------------------------------------------------------------


class _MarkFormatter(Formatter):  # type: ignore[misc]
    """Escapes every piece of text and wraps matches in <mark>."""

    between = "…"

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(get_text(text, token, replace))}</mark>"


def _cut(text: str, start: int, end: int, floor: int, ceiling: int) -> tuple[int, int]:
    """Move start forward and end backward to word boundaries, keeping [floor, ceiling]."""
    if start > 0 and not text[start - 1].isspace():
        space = re.search(r"\s", text[start:floor])
        if space:
            start += space.end()
    if end < len(text) and not text[end].isspace():
        spaces = [m.start() for m in re.finditer(r"\s", text[ceiling:end])]
        if spaces:
            end = ceiling + spaces[-1]
    return start, end


def highlight_text(
    analyzer: Any,
    text: str,
    terms: Iterable[str],
    phrases: Iterable[tuple[str, ...]] = (),
    max_chars: int = 300,
) -> str:
    """An HTML-safe snippet of `text` (at most `max_chars` of it) with matches in <mark>."""
    termset = frozenset(terms)
    slots: list[list[Any]] = []
    for token in analyzer(text, chars=True, removestops=False, mode="query"):
        if token.stopped:
            continue
        if not getattr(token, "compound_part", False) or not slots:
            slots.append([])
        slots[-1].append(token.copy())
    marked = {i for i, slot in enumerate(slots) if any(t.text in termset for t in slot)}
    for phrase in phrases:
        for i in range(len(slots) - len(phrase) + 1):
            if all(any(t.text == w for t in slots[i + k]) for k, w in enumerate(phrase)):
                marked.update(range(i, i + len(phrase)))
    matches = [slots[i][0] for i in sorted(marked)]
    start, end = 0, len(text)
    if len(text) > max_chars:
        anchor = _best_anchor(matches, max_chars)
        floor, ceiling = (anchor.startchar, anchor.endchar) if anchor else (0, 0)
        start = max(0, min(floor - max_chars // 5, len(text) - max_chars)) if anchor else 0
        start, end = _cut(text, start, min(len(text), start + max_chars), floor, ceiling)
        matches = [m for m in matches if m.startchar >= start and m.endchar <= end]
    if start >= end:  # one enormous word
        start, end = 0, max_chars
        matches = [m for m in matches if m.endchar <= end]
    snippet: str = _MarkFormatter().format_fragment(Fragment(text, matches, start, end)).strip()
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _best_anchor(matches: Sequence[Any], width: int) -> Any | None:
    """The match starting the window that holds the most distinct matched words."""
    best, best_count = None, 0
    for m in matches:
        window = {
            n.text
            for n in matches
            if m.startchar <= n.startchar and n.endchar <= m.startchar + width
        }
        if len(window) > best_count:
            best, best_count = m, len(window)
    return best


# --- reading ------------------------------------------------------------------------------


class _Opened:
    """One opened index version, used by one thread only."""

    def __init__(self, target: str, path: Path) -> None:
        self.target = target
        index = whoosh.index.open_dir(str(path), readonly=True)
        self.searcher = index.searcher()
        try:
            self.reader = self.searcher.reader()
            self.analyzer = index.schema["naam"].analyzer
            self.slugs: list[str] = [""] * self.reader.doc_count_all()
            self.tags: list[frozenset[str]] = [frozenset()] * len(self.slugs)
            for docnum, stored in self.reader.iter_docs():
                self.slugs[docnum] = stored["slug"]
                self.tags[docnum] = frozenset(
                    f"{name}:{value}"
                    for name in ("doelgroepen", "kenmerken")
                    for value in (stored.get(name) or "").split(",")
                    if value
                )
            self.docnums = {slug: i for i, slug in enumerate(self.slugs) if slug}
            self.synonyms = Synonyms(self.analyzer, synonym_groups())
            self.version = (path / VERSION_FILE).read_text("utf-8").strip()
            forms_file = path / _WORD_FORMS_FILE
            self.word_forms: dict[str, str] = (
                json.loads(forms_file.read_text("utf-8")) if forms_file.is_file() else {}
            )
            spelling = set()
            for name in TEXT_FIELDS:
                spelling.update(
                    self.reader.field_terms(index.schema[name].spelling_fieldname(name))
                )
            self.corrector = ListCorrector(sorted(spelling))
            self.plans: dict[str, QueryPlan] = {}  # this thread's recent queries
            self._fields: dict[str, tuple[str, ...]] = {}
        except BaseException:
            self.searcher.close()
            raise

    def close(self) -> None:
        self.searcher.close()

    # -- terms --

    def fields_with(self, stem: str) -> tuple[str, ...]:
        """The text fields holding `stem` (memoized: this version never changes)."""
        found = self._fields.get(stem)
        if found is None:
            found = tuple(name for name in TEXT_FIELDS if (name, stem) in self.reader)
            if len(self._fields) >= 100_000:
                self._fields.clear()
            self._fields[stem] = found
        return found

    def known(self, word: Word) -> bool:
        if self.fields_with(word.stem):
            return True
        return bool(word.parts) and all(self.fields_with(p) for p in word.parts)

    def suggest_word(self, text: str) -> str | None:
        """The closest indexed word to `text`, or None."""
        word = fold(text.lower())
        if not (3 <= len(word) <= 30 and word.isalpha()):
            return None
        allowed = _max_edits(word)
        ranked: list[tuple[int, int, str]] = []
        # Whoosh counts a swap of two letters as two edits; edit_distance as one.
        for maxdist in (1, 2):
            for candidate in self.corrector.suggest(word, limit=10, maxdist=maxdist, prefix=1):
                distance = edit_distance(word, candidate)
                analysed = analyse_word(self.analyzer, candidate)
                if distance > allowed or analysed is None or not self.fields_with(analysed.stem):
                    continue
                frequency = sum(self.reader.doc_frequency(f, analysed.stem) for f in TEXT_FIELDS)
                ranked.append((distance, -frequency, candidate))
            if ranked:
                break
        if not ranked:
            return None
        best = min(ranked)[2]
        return self.word_forms.get(best, best)

    # -- queries --

    def term_query(self, stem: str) -> wq.Query | None:
        """`stem` in any text field."""
        names = self.fields_with(stem)
        return _or([wq.Term(name, stem) for name in names]) if names else None

    def word_query(self, word: Word, parts: bool = True) -> wq.Query | None:
        """The word, or (a compound) all its parts, in any text field."""
        options = [self.term_query(word.stem)]
        if parts and word.parts:
            part_queries = [self.term_query(p) for p in word.parts]
            if all(q is not None for q in part_queries):
                options.append(wq.And(part_queries))
        found = [q for q in options if q is not None]
        return _best(found) if found else None

    def phrase_query(self, stems: Sequence[str]) -> wq.Query | None:
        """The words in this order within one text field."""
        names = [n for n in TEXT_FIELDS if all(n in self.fields_with(s) for s in stems)]
        return _or([wq.Phrase(n, list(stems)) for n in names]) if names else None

    def literal_hits(self, concept: Concept) -> dict[int, float]:
        """Documents matching the concept's own words (all of them), with scores."""
        words = [q.word for q in concept.words]
        if concept.phrase and len(words) > 1:
            q = self.phrase_query([w.stem for w in words])
            return self.run(q) if q is not None else {}
        if concept.each:
            return _intersect([self.concept_hits(c) for c in concept.each])
        q = self.word_query(words[0])
        return self.run(q) if q is not None else {}

    def concept_hits(self, concept: Concept) -> dict[int, float]:
        """Documents matching the concept or one of its alternatives, with scores.

        An alternative (synonym, correction) is scored on the scale of the literal
        words: a rare synonym would otherwise outweigh the word that was typed. A
        document counts its best alternative and a little (TIEBREAK) of the rest.
        """
        literal = self.literal_hits(concept)
        # (term, weight, whether a one-word term may match as its compound parts)
        weighted = [(t, SYNONYM_BOOST, False) for t in concept.synonyms]
        if concept.correction is not None:
            weighted.append(((concept.correction,), CORRECTION_BOOST, True))
            boost = SYNONYM_BOOST * CORRECTION_BOOST
            weighted += [(t, boost, False) for t in concept.correction_synonyms]
        scale = max(literal.values(), default=0.0)
        found: dict[int, list[float]] = {d: [score] for d, score in literal.items()}
        for term, weight, parts in weighted:
            if len(term) == 1:
                q = self.word_query(term[0], parts=parts)
            else:
                q = self.phrase_query([w.stem for w in term])
            hits = self.run(q) if q is not None else {}
            top = max(hits.values(), default=0.0)
            for d, score in hits.items():
                found.setdefault(d, []).append(weight * score * (scale / top if scale else 1.0))
        return {d: max(v) + TIEBREAK * (sum(v) - max(v)) for d, v in found.items()}

    def run(self, q: wq.Query) -> dict[int, float]:
        results = self.searcher.search(q, limit=None)
        return {docnum: float(score) for docnum, score in results.items()}


class SearchIndex:
    """Read access to the current index version; safe to share between threads.

    Each thread gets its own searcher, reused between calls and replaced (and
    closed, in that thread) when ``current`` points at a new version.
    """

    def __init__(self, index_root: Path) -> None:
        self.index_root = index_root
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[_Opened] = []

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every searcher opened so far; call when no thread searches any more."""
        with self._lock:
            opened, self._all = self._all, []
        for item in opened:
            item.close()
        self._local = threading.local()

    @property
    def version(self) -> str | None:
        """The content hash of the current index version (None without an index)."""
        path = current_index(self.index_root)
        if path is None:
            return None
        try:
            return (path / VERSION_FILE).read_text("utf-8").strip()
        except OSError:
            return None

    def _opened(self) -> _Opened | None:
        held: _Opened | None = getattr(self._local, "opened", None)
        for attempt in range(5):
            target = _current_target(self.index_root)
            if held is not None and held.target == target:
                return held
            if target is None:
                return held
            try:
                fresh = _Opened(target, self.index_root / target)
            except Exception:
                if attempt == 4:
                    if held is not None:
                        return held  # keep serving the version this thread has
                    raise
                time.sleep(0.01 * (attempt + 1))  # a swap or cleanup raced us: look again
                continue
            with self._lock:
                self._all.append(fresh)
                if held is not None and held in self._all:
                    self._all.remove(held)
            if held is not None:
                held.close()  # same thread that opened it
            self._local.opened = fresh
            return fresh
        return held

    def _plan(self, query: str) -> tuple[QueryPlan, _Opened | None, Any]:
        """The plan of `query` (cached per searcher: highlights repeat the query)."""
        _check_length(query)
        opened = self._opened()
        if opened is None:
            analyzer, synonyms = _default_analysis()
            return plan_query(query, analyzer, synonyms, max_terms=MAX_QUERY_TERMS), None, analyzer
        plan = opened.plans.get(query)
        if plan is None:
            plan = plan_query(
                query,
                opened.analyzer,
                opened.synonyms,
                known=opened.known,
                suggest=opened.suggest_word,
                max_terms=MAX_QUERY_TERMS,
            )
            if len(opened.plans) >= _PLAN_CACHE_SIZE:
                opened.plans.pop(next(iter(opened.plans)))
            opened.plans[query] = plan
        return plan, opened, opened.analyzer

    def search(self, query: str) -> TextResult:
        """Every approach matching `query`, best first; raises QueryTooLong."""
        plan, opened, _ = self._plan(query)
        if not plan.concepts:
            return TextResult(
                (), MappingProxyType({}), "all", None, opened.version if opened else None
            )
        if opened is None:
            return TextResult((), MappingProxyType({}), "and", None, None)
        # One run per concept gives both the AND result and the ranked OR fallback.
        per_concept = [opened.concept_hits(c) for c in plan.concepts]
        hits = _intersect(per_concept)
        mode: Mode = "and"
        coverage: dict[int, int] = {}
        if len(per_concept) > 1 and len(hits) < MIN_AND_RESULTS:
            mode, hits = "or", {}
            for found in per_concept:
                for d, score in found.items():
                    hits[d] = hits.get(d, 0.0) + score
                    coverage[d] = coverage.get(d, 0) + 1
        slugs = opened.slugs
        order = sorted(hits, key=lambda d: (-coverage.get(d, 0), -hits[d], slugs[d]))
        return TextResult(
            ordered=tuple(slugs[d] for d in order),
            scores=MappingProxyType({slugs[d]: hits[d] for d in order}),
            mode=mode,
            suggestion=plan.suggestion,
            version=opened.version,
        )

    def suggest(self, query: str) -> str | None:
        """'Bedoelde u …': the query with every unknown word corrected, or None."""
        return self._plan(query)[0].suggestion

    def highlight(self, query: str, text: str, max_chars: int = 300) -> str:
        """`text` escaped, at most `max_chars` long, with what `query` matches in <mark>."""
        plan, _, analyzer = self._plan(query)
        terms, phrases = highlight_terms(plan)
        return highlight_text(analyzer, text, terms, phrases, max_chars)

    def related(self, slug: str, limit: int = 5) -> list[str]:
        """Up to `limit` approaches like `slug`, best first (at least 3 when there are).

        Similar text (more-like-this on all text) plus shared doelgroepen and
        kenmerken; anything else fills up when that finds fewer than three.
        """
        opened = self._opened()
        if opened is None or slug not in opened.docnums or limit <= 0:
            return []
        docnum = opened.docnums[slug]
        similar = {
            hit.docnum: float(hit.score)
            for hit in opened.searcher.more_like(
                docnum, _RELATED_FIELD, top=None, numterms=RELATED_TERMS, normalize=True
            )
        }
        best = max(similar.values(), default=0.0) or 1.0
        own = opened.tags[docnum]
        scores: dict[int, float] = {}
        for other, tags in enumerate(opened.tags):
            shared = len(own & tags) / len(own | tags) if own | tags else 0.0
            score = similar.get(other, 0.0) / best + RELATED_TAG_WEIGHT * shared
            if other != docnum and opened.slugs[other] and score > 0:
                scores[other] = score
        ranked = sorted(scores, key=lambda d: (-scores[d], opened.slugs[d]))
        if len(ranked) < RELATED_MIN:  # last resort: any other approach
            ranked += [
                d for d, s in enumerate(opened.slugs) if s and d != docnum and d not in scores
            ]
        return [opened.slugs[d] for d in ranked[:limit]]


@cache
def _default_analysis() -> tuple[Any, Synonyms]:
    """Analysis without an index: the curated vocabulary only."""
    analyzer = dutch_analyzer(curated_words())
    return analyzer, Synonyms(analyzer, synonym_groups())


def highlight(query: str, text: str, max_chars: int = 300) -> str:
    """Highlight without an index (curated vocabulary); see ``SearchIndex.highlight``."""
    _check_length(query)
    analyzer, synonyms = _default_analysis()
    terms, phrases = highlight_terms(
        plan_query(query, analyzer, synonyms, max_terms=MAX_QUERY_TERMS)
    )
    return highlight_text(analyzer, text, terms, phrases, max_chars)
