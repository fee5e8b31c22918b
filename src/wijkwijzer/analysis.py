"""Dutch text analysis for the search index: tokens, folding, stems, compounds, synonyms.

The analyzer built here is pickled into the index schema (so index and queries
always share it): its filters must live in this importable module. The same
analyzer serves indexing, queries and highlighting:

    tokens -> lowercase -> accent folding -> stopwords -> compound parts -> stems

Compound splitting keeps the whole word and adds its parts at the same position
("burenruzie" -> burenruzie, buren, ruzie), using a vocabulary of the corpus's
own words plus the curated ``data/woorden.txt``.

The query side lives here too: a query becomes a ``QueryPlan`` of concepts (a
word, a multi-word synonym term, or a quoted phrase), each with its synonyms
from ``data/synoniemen.yaml`` and, for an unknown word, a spelling correction.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.filters import Filter
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer

from wijkwijzer.paths import resource_dir

# Letters and digits; everything else separates words. Explicit, because
# whoosh-reloaded's default pattern keeps "*" inside tokens.
TOKEN_PATTERN = r"[^\W_]+"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

MIN_PART_LENGTH = 4
# The few three-letter words allowed as a compound part (dagbesteding, taalles, buurman).
SHORT_PARTS = frozenset({"dag", "les", "man", "wet", "weg"})
MAX_WORD_LENGTH = 60  # longer tokens are noise, not words
_MAX_SPLIT_LENGTH = 40

# Snowball's Dutch list, less a few words that carry meaning here, plus query filler.
STOPWORDS = (frozenset(stopwords_for_language("nl")) - {"zelf", "wezen"}) | {
    "we", "wij", "jullie", "welke", "waar", "waarbij", "waarin", "zoals", "etc", "bijv",
}  # fmt: skip

# Irregular forms the Snowball stemmer does not bring together (or brings together
# wrongly: it stems both "ouders" and "ouderen" to "ouder").
STEM_OVERRIDES: Mapping[str, str] = {
    "ouderen": "oudere",
    "oudere": "oudere",
    "kinderen": "kind",
    "kinder": "kind",
    "buren": "buur",
    "buur": "buur",
    "leden": "lid",
    "steden": "stad",
}

_STEMMER = DutchStemmer()


def fold(text: str) -> str:
    """Remove accents: geëvalueerd -> geevalueerd, café -> cafe."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def dutch_stem(word: str) -> str:
    """Snowball's Dutch stem, with the overrides and f/v, s/z alternation folded."""
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if len(word) < 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 5:  # ruzies, families: plural of -ie
        word = word[:-1]
    stem: str = _STEMMER.stem(word)
    if len(stem) >= 4 and stem[-1] in "vz":  # initiatiev(en) -> initiatief, huiz(en) -> huis
        stem = stem[:-1] + ("f" if stem[-1] == "v" else "s")
    return stem


class FoldFilter(Filter):  # type: ignore[misc]
    """Accent folding; drops tokens that fold to nothing."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class DutchStemFilter(Filter):  # type: ignore[misc]
    """Dutch Snowball stemming (see ``dutch_stem``), cached per instance."""

    is_morph = True

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        cache_ = self._cache
        for t in tokens:
            if not t.stopped:
                text = t.text
                stem = cache_.get(text)
                if stem is None:
                    stem = dutch_stem(text)
                    if len(cache_) > 50_000:
                        cache_.clear()
                    cache_[text] = stem
                t.text = stem
            yield t


class CompoundFilter(Filter):  # type: ignore[misc]
    """Keep a compound and add its parts at the same position.

    A word is split into parts that are all in the vocabulary (each at least
    ``MIN_PART_LENGTH`` letters, or one of ``SHORT_PARTS``), also when the
    word itself is known. A non-final part may carry a linking -s-
    (gemeenschapshuis -> gemeenschap + huis) or be a plural stem without its
    -en (kinderopvang -> kinderen + opvang); -en- links need no rule because
    the plural is a word (jongerenwerk -> jongeren + werk). The split with the
    fewest parts wins; parts that are compounds are split again. Tokens get a
    ``compound_part`` attribute (False for the word itself).
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if _is_part_length(w))
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"words": self.words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.words = state["words"]
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompoundFilter) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for t in tokens:
            t.compound_part = False
            if t.stopped:
                yield t
                continue
            parts = self.split(t.text)
            yield t
            for part in parts:
                t.text = part
                t.compound_part = True
                yield t
            t.compound_part = False

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of `word` (empty when it is no compound), outer parts first."""
        found = self._cache.get(word)
        if found is not None:
            return found
        parts: tuple[str, ...] = ()
        if 2 * MIN_PART_LENGTH - 1 <= len(word) <= _MAX_SPLIT_LENGTH and word.isalpha():
            best = self._segment(word)
            if best:
                collected = list(best)
                for part in best:
                    collected += [p for p in self.split(part) if p not in collected]
                parts = tuple(p for p in collected if p != word)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[word] = parts
        return parts

    def _head_form(self, head: str) -> str | None:
        """The vocabulary word a non-final part stands for, if any."""
        if head in self.words:
            return head
        if head.endswith("s") and head[:-1] in self.words:
            return head[:-1]
        if head + "en" in self.words:
            return head + "en"
        return None

    def _segment(self, word: str) -> tuple[str, ...] | None:
        n = len(word)

        @cache
        def best(i: int, whole_allowed: bool) -> tuple[str, ...] | None:
            options: list[tuple[str, ...]] = []
            if whole_allowed and word[i:] in self.words:
                options.append((word[i:],))
            for j in range(i + 3, n - 2):
                form = self._head_form(word[i:j])
                if form is None:
                    continue
                rest = best(j, True)
                if rest:
                    options.append((form, *rest))
            if not options:
                return None
            return min(options, key=lambda o: (len(o), -min(len(p) for p in o)))

        return best(0, False)


def _is_part_length(word: str) -> bool:
    return (len(word) >= MIN_PART_LENGTH or word in SHORT_PARTS) and word not in STOPWORDS


def dutch_analyzer(words: Iterable[str] = ()) -> Any:
    """The analyzer for every text field; `words` feeds the compound splitter."""
    return (
        RegexTokenizer(expression=TOKEN_PATTERN)
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=2, maxsize=MAX_WORD_LENGTH)
        | CompoundFilter(words)
        | DutchStemFilter()
    )


def plain_words(texts: Iterable[str]) -> set[str]:
    """Lowercase, accent-folded words of `texts` usable as compound parts."""
    found: set[str] = set()
    for text in texts:
        for match in _TOKEN_RE.finditer(text.lower()):
            word = fold(match.group())
            if word.isalpha() and len(word) <= _MAX_SPLIT_LENGTH and _is_part_length(word):
                found.add(word)
    return found


def read_word_list(path: Path) -> set[str]:
    """The words of a word list file (one a line, '#' comments)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return plain_words(line for line in lines if line)


@cache
def curated_words() -> frozenset[str]:
    """The curated social-domain vocabulary shipped in ``data/woorden.txt``."""
    return frozenset(read_word_list(resource_dir("data") / "woorden.txt"))


# --- query side: words with their stems and parts -------------------------------------------


@dataclass(frozen=True)
class Word:
    """One analysed word: its stem and the stems of its compound parts."""

    stem: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryWord:
    """A word of the user's query with where it stands in the query text."""

    text: str
    start: int
    end: int
    word: Word


def analyse_word(analyzer: Any, text: str) -> Word | None:
    """Analyse one word; None for a stopword or noise."""
    stem: str | None = None
    parts: list[str] = []
    for t in analyzer(text):
        if not getattr(t, "compound_part", False):
            if stem is not None:  # a second word: cannot happen for one token
                break
            stem = t.text
        elif t.text != stem and t.text not in parts:
            parts.append(t.text)
    return None if stem is None else Word(stem, tuple(parts))


def query_words(analyzer: Any, text: str, offset: int = 0) -> list[QueryWord]:
    """The non-stopword words of `text`, analysed, with their spans."""
    words: list[QueryWord] = []
    for match in _TOKEN_RE.finditer(text):
        word = analyse_word(analyzer, match.group())
        if word is not None:
            words.append(
                QueryWord(match.group(), match.start() + offset, match.end() + offset, word)
            )
    return words


# --- synonyms -----------------------------------------------------------------------------------

MAX_SYNONYM_WORDS = 5
Term = tuple[Word, ...]  # a word or a multi-word phrase, analysed


@cache
def synonym_groups(path: Path | None = None) -> tuple[tuple[str, ...], ...]:
    """The synonym groups of ``data/synoniemen.yaml`` (or `path`), validated."""
    path = path or resource_dir("data") / "synoniemen.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    groups = data.get("groepen") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise ValueError(f"{path}: verwacht een lijst 'groepen'")
    result: list[tuple[str, ...]] = []
    for i, group in enumerate(groups):
        if not (isinstance(group, list) and len(group) >= 2):
            raise ValueError(f"{path}: groep {i + 1} moet een lijst van minstens twee termen zijn")
        if not all(isinstance(term, str) and term.strip() for term in group):
            raise ValueError(f"{path}: groep {i + 1} bevat een lege of ongeldige term")
        result.append(tuple(term.strip() for term in group))
    return tuple(result)


class Synonyms:
    """Synonym groups analysed with one analyzer, looked up by stems."""

    def __init__(self, analyzer: Any, groups: Iterable[Iterable[str]]) -> None:
        self._groups: list[list[Term]] = []
        self._by_key: dict[tuple[str, ...], set[int]] = {}
        for phrases in groups:
            terms = [t for t in (self._analyse(analyzer, p) for p in phrases) if t]
            index = len(self._groups)
            self._groups.append(terms)
            for term in terms:
                self._by_key.setdefault(_key(term), set()).add(index)
        self.max_words = max((len(k) for k in self._by_key), default=1)

    @staticmethod
    def _analyse(analyzer: Any, phrase: str) -> Term:
        words = [q.word for q in query_words(analyzer, phrase)]
        return tuple(words[:MAX_SYNONYM_WORDS])

    def __contains__(self, key: tuple[str, ...]) -> bool:
        return key in self._by_key

    def expand(self, key: tuple[str, ...]) -> list[Term]:
        """The other terms of every group holding `key`, without duplicates."""
        seen = {key}
        found: list[Term] = []
        for index in sorted(self._by_key.get(key, ())):
            for term in self._groups[index]:
                if _key(term) not in seen:
                    seen.add(_key(term))
                    found.append(term)
        return found


def _key(term: Term) -> tuple[str, ...]:
    return tuple(w.stem for w in term)


# --- query plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: a word, a known multi-word term, or a quoted phrase."""

    words: tuple[QueryWord, ...]
    phrase: bool = False
    synonyms: tuple[Term, ...] = ()
    correction: Word | None = None
    correction_synonyms: tuple[Term, ...] = ()
    # A multi-word synonym term also matches as its words, each with its own synonyms.
    each: tuple["Concept", ...] = ()


@dataclass(frozen=True)
class QueryPlan:
    """A query as concepts, with the "did you mean" text when words were corrected."""

    concepts: tuple[Concept, ...]
    suggestion: str | None = None
    phrases: tuple[tuple[str, ...], ...] = field(default=())


def _clean(text: str) -> str:
    """Control, format and unassigned characters become spaces (same length)."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _segments(text: str) -> list[tuple[str, int, bool]]:
    """Free text and quoted phrases, with their offsets; an unpaired quote is plain text."""
    segments: list[tuple[str, int, bool]] = []
    pos = 0
    for match in re.finditer(r'"([^"]*)"', text):
        segments.append((text[pos : match.start()], pos, False))
        segments.append((match.group(1), match.start(1), True))
        pos = match.end()
    segments.append((text[pos:], pos, False))
    return [s for s in segments if s[0].strip()]


def _free_concepts(words: Sequence[QueryWord], synonyms: Synonyms) -> list[Concept]:
    """Group words into concepts, the longest synonym term first (greedy)."""
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        for n in range(min(synonyms.max_words, len(words) - i), 0, -1):
            key = tuple(w.word.stem for w in words[i : i + n])
            if n == 1 or key in synonyms:
                group = tuple(words[i : i + n])
                each = tuple(
                    Concept((w,), synonyms=tuple(synonyms.expand((w.word.stem,)))) for w in group
                )
                concepts.append(
                    Concept(group, synonyms=tuple(synonyms.expand(key)), each=each if n > 1 else ())
                )
                i += n
                break
    return concepts


def edit_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def plan_query(
    text: str,
    analyzer: Any,
    synonyms: Synonyms,
    known: Callable[[Word], bool] | None = None,
    suggest: Callable[[str], str | None] | None = None,
    max_terms: int = 16,
) -> QueryPlan:
    """Split a query into concepts, with synonyms, and corrections of unknown words.

    Quoted text is a phrase; words of a multi-word synonym term ("ruzie met de
    buren") form one concept. A word for which `known` is false gets the
    correction `suggest` offers (when it has one), also as a "did you mean" string.
    """
    cleaned = _clean(text)
    concepts: list[Concept] = []
    for segment, offset, quoted in _segments(cleaned):
        words = query_words(analyzer, segment, offset)
        if quoted and len(words) > 1:
            concepts.append(Concept(tuple(words), phrase=True))
        elif quoted:
            concepts += [Concept((w,)) for w in words]
        else:
            concepts += _free_concepts(words, synonyms)
    concepts = concepts[:max_terms]
    phrases = tuple(tuple(w.word.stem for w in c.words) for c in concepts if c.phrase)
    if known is None or suggest is None:
        return QueryPlan(tuple(concepts), None, phrases)
    replacements: list[tuple[int, int, str]] = []
    for i, concept in enumerate(concepts):
        if len(concept.words) != 1 or concept.synonyms:
            continue
        word = concept.words[0]
        if (word.word.stem,) in synonyms or known(word.word):
            continue
        suggestion = suggest(word.text)
        corrected = analyse_word(analyzer, suggestion) if suggestion else None
        if suggestion is None or corrected is None:
            continue
        replacements.append((word.start, word.end, suggestion))
        if not concept.phrase:
            expanded = tuple(synonyms.expand((corrected.stem,)))
            concepts[i] = Concept(concept.words, False, (), corrected, expanded)
    suggestion_text = None
    if replacements:
        pieces, pos = [], 0
        for start, end, replacement in replacements:
            pieces += [cleaned[pos:start], replacement]
            pos = end
        pieces.append(cleaned[pos:])
        suggestion_text = " ".join("".join(pieces).split())
    return QueryPlan(tuple(concepts), suggestion_text, phrases)


def _all_concepts(plan: QueryPlan) -> list[Concept]:
    return [c for concept in plan.concepts for c in (concept, *concept.each)]


def highlight_terms(plan: QueryPlan) -> tuple[set[str], list[tuple[str, ...]]]:
    """The stems to mark in a text, and the stem sequences to mark only together."""
    terms: set[str] = set()
    for concept in _all_concepts(plan):
        # Typed words (and corrections) also match as their compound parts; synonyms do not.
        words = [q.word for q in concept.words] if not concept.phrase else []
        words += [concept.correction] if concept.correction else []
        for word in words:
            terms.add(word.stem)
            terms.update(word.parts)
        alternatives = (*concept.synonyms, *concept.correction_synonyms)
        terms.update(t[0].stem for t in alternatives if len(t) == 1)
    phrases = list(plan.phrases)
    for concept in _all_concepts(plan):
        for term in (*concept.synonyms, *concept.correction_synonyms):
            if len(term) > 1:
                phrases.append(tuple(w.stem for w in term))
    return terms, phrases
