"""Dutch text analysis for the search index: tokens, folding, stems, compounds.

The analyzer built here is pickled into the index schema (so index and queries
always share it): its filter classes must stay in this module, under these
names, or an index written earlier no longer opens. The same analyzer serves
indexing, queries and highlighting:

    tokens -> lowercase -> accent folding -> stopwords -> compound parts -> stems

Compound splitting (``wijkwijzer.compounds``) keeps the whole word and adds its
parts at the same position ("burenruzie" -> burenruzie, buren, ruzie), using a
vocabulary of the corpus's own words plus the curated ``data/woorden.txt``.
``analyse_word`` and ``query_words`` give the stems of a query's words.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.filters import Filter
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer

from wijkwijzer.compounds import MAX_SPLIT_LENGTH, MIN_PART_LENGTH, SHORT_PARTS, CompoundSplitter
from wijkwijzer.paths import resource_dir

# Letters and digits; everything else separates words. Explicit, because
# whoosh-reloaded's default pattern keeps "*" inside tokens.
TOKEN_PATTERN = r"[^\W_]+"
_TOKEN_RE = re.compile(TOKEN_PATTERN)

MAX_WORD_LENGTH = 60  # longer tokens are noise, not words

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
    """Keep a compound and add its parts at the same position; undo diminutives.

    Splitting (see ``wijkwijzer.compounds``) uses the vocabulary this filter
    holds, and only that is pickled. A word is split into parts that are all in
    the vocabulary (each at least ``MIN_PART_LENGTH`` letters, or one of
    ``SHORT_PARTS``), also when the word itself is known. A diminutive of a
    known word becomes that word ("pleintje" -> plein). Tokens get a
    ``compound_part`` attribute (False for the word itself).
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if _is_part_length(w))
        self._splitter = CompoundSplitter(self.words)

    def __getstate__(self) -> dict[str, Any]:
        return {"words": self.words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.words = state["words"]
        self._splitter = CompoundSplitter(self.words)

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
            t.text = self._splitter.diminutive_base(t.text) or t.text
            parts = self.split(t.text)
            yield t
            for part in parts:
                t.text = part
                t.compound_part = True
                yield t
            t.compound_part = False

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of `word` (empty when it is no compound), outer parts first."""
        return self._splitter.split(word)


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
            if word.isalpha() and len(word) <= MAX_SPLIT_LENGTH and _is_part_length(word):
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


@cache
def curated_stems() -> frozenset[str]:
    """The stems of the curated vocabulary: real words, never "corrected" into others."""
    return frozenset(dutch_stem(w) for w in curated_words())


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
