"""Synonyms and related terms for the search, from ``data/synoniemen.yaml``.

``groepen`` are synonyms: searching for one term also finds the others (the
typed term weighs more). ``verwant`` entries go one way: searching for one of
their ``termen`` also finds what is written under ``ook``, weighed less than a
synonym ("vergrijzing" finds approaches for ouderen, not the other way round).

A term is a word or a phrase ("ruzie met de buren": these words in this order),
or words joined by ``+`` that must all occur in an approach, anywhere
("overlast + jongeren"); each of those parts also matches as its synonyms.
Only words and phrases are looked up: a ``+`` term is what a search expands to.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from wijkwijzer.config import resource_dir
from wijkwijzer.search.analysis import Word
from wijkwijzer.search.query_words import query_words

MAX_SYNONYM_WORDS = 5
AND = "+"

Phrase = tuple[Word, ...]  # one word, or words in this order
Key = tuple[str, ...]  # the stems of a phrase


@dataclass(frozen=True)
class Term:
    """An alternative for what was asked: every part must match.

    A part lists a phrase and its synonyms (any of them matches); a plain word
    or phrase is one part without synonyms.
    """

    parts: tuple[tuple[Phrase, ...], ...]
    related: bool = False

    @property
    def phrase(self) -> Phrase | None:
        """The word or phrase this term is, when it is no ``+`` term."""
        return self.parts[0][0] if len(self.parts) == 1 else None


@dataclass(frozen=True)
class SynonymFile:
    """The terms of a synonym file, as written."""

    groups: tuple[tuple[str, ...], ...]
    related: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # (termen, ook)
    # A digit that stands for a word in a name ("right2challenge"): the words it may be.
    digits: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _terms(value: Any, where: str, minimum: int) -> tuple[str, ...]:
    if not (isinstance(value, list) and len(value) >= minimum):
        raise ValueError(f"{where} moet een lijst van minstens {minimum} termen zijn")
    for term in value:
        if not (isinstance(term, str) and all(p.strip() for p in term.split(AND))):
            raise ValueError(f"{where} bevat een lege of ongeldige term")
    return tuple(" + ".join(p.strip() for p in term.split(AND)) for term in value)


@cache
def read_synonyms(path: Path | None = None) -> SynonymFile:
    """The groups and related terms of ``data/synoniemen.yaml`` (or `path`), validated."""
    path = path or resource_dir("data") / "synoniemen.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    groups = data.get("groepen") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise ValueError(f"{path}: verwacht een lijst 'groepen'")
    related = data.get("verwant") or []
    if not isinstance(related, list):
        raise ValueError(f"{path}: 'verwant' moet een lijst zijn")
    entries = []
    for i, entry in enumerate(related):
        where = f"{path}: verwant {i + 1}"
        if not (isinstance(entry, dict) and set(entry) == {"termen", "ook"}):
            raise ValueError(f"{where} moet precies 'termen' en 'ook' hebben")
        termen = _terms(entry["termen"], f"{where}, termen", 1)
        if any(AND in term for term in termen):
            raise ValueError(f"{where}, termen: '{AND}' mag alleen onder 'ook'")
        entries.append((termen, _terms(entry["ook"], f"{where}, ook", 1)))
    return SynonymFile(
        tuple(_terms(g, f"{path}: groep {i + 1}", 2) for i, g in enumerate(groups)),
        tuple(entries),
        _digits(data.get("cijfers") or {}, f"{path}: cijfers"),
    )


def _digits(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ``cijfers`` section: one digit to the words it may stand for."""
    if not isinstance(value, dict):
        raise ValueError(f"{where} moet een tabel van cijfer naar woorden zijn")
    found = []
    for digit, words in value.items():
        digit = str(digit)
        if not (len(digit) == 1 and digit.isdigit()):
            raise ValueError(f"{where}: '{digit}' is geen cijfer")
        found.append((digit, _terms(words, f"{where}, {digit}", 1)))
    return tuple(found)


def phrase_key(phrase: Phrase) -> Key:
    """The stems of a phrase, as synonyms are looked up."""
    return tuple(w.stem for w in phrase)


class Synonyms:
    """Synonym groups and related terms analysed with one analyzer, looked up by stems."""

    def __init__(self, analyzer: Any, source: SynonymFile) -> None:
        self._analyzer = analyzer
        self._groups: list[list[Phrase]] = []
        self._group_of: dict[Key, list[int]] = {}
        for group in source.groups:
            phrases = [p for p in (self._phrase(t) for t in group if AND not in t) if p]
            self._add_group(phrases)
        # Made after all groups are known: a "+" term's parts match as their synonyms.
        and_terms = [[self._term(t) for t in group if AND in t] for group in source.groups]
        self._expansions = {
            key: [t for i in indexes for t in and_terms[i] if t]
            for key, indexes in self._group_of.items()
        }
        self._related: dict[Key, list[Term]] = {}
        for termen, ook in source.related:
            found = [t for t in (self._term(o, related=True) for o in ook) if t]
            for phrase in filter(None, map(self._phrase, termen)):
                self._related.setdefault(phrase_key(phrase), []).extend(found)
        keys = [*self._group_of, *self._related]
        self.max_words = max((len(k) for k in keys), default=1)

    def _add_group(self, phrases: list[Phrase]) -> None:
        index = len(self._groups)
        self._groups.append(phrases)
        for phrase in phrases:
            self._group_of.setdefault(phrase_key(phrase), []).append(index)

    def _phrase(self, text: str) -> Phrase:
        words = [q.word for q in query_words(self._analyzer, text)]
        return tuple(words[:MAX_SYNONYM_WORDS])

    def _term(self, text: str, related: bool = False) -> Term | None:
        parts = [self._phrase(p) for p in text.split(AND)]
        if not all(parts):
            return None
        if len(parts) == 1:
            return Term(((parts[0],),), related)
        return Term(tuple((p, *self.synonyms(phrase_key(p))) for p in parts), related)

    def __contains__(self, key: Key) -> bool:
        return key in self._group_of or key in self._related

    def synonyms(self, key: Key) -> list[Phrase]:
        """The other words and phrases of every group holding `key`, without duplicates."""
        seen = {key}
        found: list[Phrase] = []
        for index in self._group_of.get(key, ()):
            for phrase in self._groups[index]:
                if phrase_key(phrase) not in seen:
                    seen.add(phrase_key(phrase))
                    found.append(phrase)
        return found

    def expand(self, key: Key) -> list[Term]:
        """What a search for `key` also finds: synonyms first, then related terms."""
        terms = [Term(((p,),)) for p in self.synonyms(key)]
        terms += self._expansions.get(key, [])
        terms += self._related.get(key, [])
        return _unique(terms, exclude=key)


def _unique(terms: Sequence[Term], exclude: Key) -> list[Term]:
    """`terms` without repeats and `exclude` (by stems; a synonym beats a related term)."""
    seen: set[tuple[Key, ...]] = {(exclude,)}
    found: list[Term] = []
    for term in terms:
        if _term_key(term) not in seen:
            seen.add(_term_key(term))
            found.append(term)
    return found


def _term_key(term: Term) -> tuple[Key, ...]:
    return tuple(phrase_key(part[0]) for part in term.parts)


def all_phrases(terms: Iterable[Term]) -> Iterator[Phrase]:
    """Every word and phrase that can match in `terms` (parts and their synonyms)."""
    for term in terms:
        for part in term.parts:
            yield from part
