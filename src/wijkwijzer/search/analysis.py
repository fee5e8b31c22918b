"""Dutch text analysis for the search index: tokens, folding, stems, compounds.

The analyzer built here is pickled into the index schema (so index and queries
always share it): its classes must stay in this module, under these names, or
an index written earlier no longer opens (a move bumps ``versions.INDEX_FORMAT``).
The same analyzer serves indexing, queries and highlighting:

    tokens -> lowercase -> accent folding -> stopwords -> compound parts -> stems

``DutchAnalyzer`` yields the tokens of that chain, analysing each distinct word
once; ``positions`` and ``spans`` give the same analysis without tokens, for
indexing and highlighting.

Word rules (token pattern, stopwords, stems) are in ``dutch``, the shared memo of
analyses in ``memo``. Compound splitting (``compounds``) keeps the whole word and adds its
parts at the same position ("burenruzie" -> burenruzie, buren, ruzie), using a
vocabulary of the corpus's own words plus the curated ``data/woorden.txt``.
``analyse_word`` gives the stems of a word (``query_words``: of a query).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.filters import Filter

from wijkwijzer.config import resource_dir
from wijkwijzer.corpus.text import fold
from wijkwijzer.search.compounds import (
    MAX_SPLIT_LENGTH,
    MIN_PART_LENGTH,
    SHORT_PARTS,
    CompoundSplitter,
)
from wijkwijzer.search.dutch import MAX_WORD_LENGTH, STOPWORDS, TOKEN_PATTERN, TOKEN_RE, dutch_stem
from wijkwijzer.search.memo import Analysed, AnalysedText, memo_for


class FoldFilter(Filter):  # type: ignore[misc]
    """Accent folding; drops tokens that fold to nothing."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for t in tokens:
            t.text = fold(t.text)
            if t.text:
                yield t


class DutchStemFilter(Filter):  # type: ignore[misc]
    """Dutch Snowball stemming (see ``dutch_stem``, which memoizes)."""

    is_morph = True

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for t in tokens:
            if not t.stopped:
                t.text = dutch_stem(t.text)
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


def filter_chain(words: Iterable[str] = ()) -> Any:
    """The analysis as a chain of Whoosh filters, one generator per step.

    ``DutchAnalyzer`` gives the same tokens faster; this chain is its
    reference (and what indexes written before it pickled).
    """
    return (
        RegexTokenizer(expression=TOKEN_PATTERN)
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=2, maxsize=MAX_WORD_LENGTH)
        | CompoundFilter(words)
        | DutchStemFilter()
    )


_UNSEEN: Any = object()


class DutchAnalyzer(CompositeAnalyzer):  # type: ignore[misc]
    """The chain of ``filter_chain`` with each distinct word analysed once.

    Yields exactly the tokens the chain yields (text, positions, characters,
    boosts, ``compound_part``, stopped tokens), for every option the chain
    takes, but analyses a word only the first time it meets it and then
    replays the memoized result, in one generator instead of six. ``items``
    holds the chain's filters (Whoosh asks them, e.g. ``has_morph``). Only
    the compound vocabulary is pickled; analyzers with the same vocabulary
    share their memo.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        super().__init__(*filter_chain(words).items)
        self._setup()

    def _setup(self) -> None:
        shared = memo_for(self.words)
        self._shared = shared  # keeps it alive as long as this analyzer
        self._splitter = shared.splitter
        self._memo = shared.analysed
        self._stems = shared.stems

    @property
    def words(self) -> frozenset[str]:
        """The compound vocabulary."""
        compounds: CompoundFilter = self.items[4]
        return compounds.words

    def __getstate__(self) -> dict[str, Any]:
        return {"words": self.words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["words"])  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchAnalyzer) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.words)} words)"

    def analyse(self, token: str) -> Analysed:
        """The memoized analysis of one token as the tokenizer found it."""
        found: Analysed = self._memo.get(token, _UNSEEN)
        if found is _UNSEEN:
            found = self._analyse(token)
            self._memo.put(token, found)
        return found

    def analyse_all(self, tokens: Iterable[str]) -> dict[str, Analysed]:
        """The analysis of each of `tokens`, with one visit to the shared memo for all."""
        wanted = set(tokens)
        found = self._memo.get_many(wanted)
        if len(found) < len(wanted):
            fresh = {t: self._analyse(t) for t in wanted if t not in found}
            self._memo.put_many(fresh)
            found.update(fresh)
        return found

    def _analyse(self, token: str) -> Analysed:
        text = fold(token.lower())
        if not text:
            return None
        if len(text) < 2 or len(text) > MAX_WORD_LENGTH or text in STOPWORDS:
            return True, (text,), (text,)
        text = self._splitter.diminutive_base(text) or text
        plain = (text, *self._splitter.split(text))
        return False, plain, tuple(self._stem(t) for t in plain)

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = dutch_stem(word)
            if word in self._splitter.words:
                self._stems[word] = stem
        return stem

    def spans(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Each token of `text` that is no stopword: start, end, stems (the word's first)."""
        matches = list(TOKEN_RE.finditer(text))
        known = self.analyse_all(m.group() for m in matches)
        found_spans = []
        for match in matches:
            found = known[match.group()]
            if found is not None and not found[0]:
                found_spans.append((match.start(), match.end(), found[2]))
        return found_spans

    def positions(self, text: str, known: dict[str, Analysed] | None = None) -> AnalysedText:
        """Each term of `text` with its positions, as the tokens index them.

        The same terms and positions as ``self(text, positions=True)`` yields
        (compound parts at their word's position), without the tokens. A caller
        analysing a whole corpus (a build) passes the same dict as `known` each
        time: the analyses of its tokens, filled here as they come and kept out
        of the shared memo.
        """
        found_at = AnalysedText()
        tokens = TOKEN_RE.findall(text)
        if known is None:
            known = self.analyse_all(tokens)
        pos = -1
        for i, token in enumerate(tokens):
            found = known.get(token, _UNSEEN)
            if found is _UNSEEN:
                found = known[token] = self._analyse(token)
            if found is None or found[0]:
                continue
            pos = i if pos < 0 else pos + 1
            for stem in found[2]:
                at = found_at.get(stem)
                if at is None:
                    found_at[stem] = [pos]
                else:
                    at.append(pos)
        return found_at

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Any]:
        if not tokenize:  # the whole value as one token: rare, leave it to the chain
            yield from super().__call__(
                value,
                no_morph=no_morph,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=False,
                mode=mode,
                **kwargs,
            )
            return
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        analyse = self.analyse
        pos = -1  # the position of the last word, counting no stopwords (as StopFilter does)
        for i, match in enumerate(TOKEN_RE.finditer(value)):
            found = analyse(match.group())
            if found is None:
                continue
            stopped = found[0]
            if stopped and removestops:
                continue
            texts = found[1] if no_morph else found[2]
            t.text = texts[0]
            t.boost = 1.0
            if keeporiginal:
                t.original = match.group()
            t.stopped = stopped
            t.compound_part = False
            if positions:
                if stopped:
                    t.pos = start_pos + i
                else:
                    pos = start_pos + i if pos < 0 else pos + 1
                    t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
            if len(texts) > 1:
                for part in texts[1:]:
                    t.text = part
                    t.compound_part = True
                    yield t
                t.compound_part = False


def dutch_analyzer(words: Iterable[str] = ()) -> DutchAnalyzer:
    """The analyzer for every text field; `words` feeds the compound splitter."""
    return DutchAnalyzer(words)


def plain_words(texts: Iterable[str]) -> set[str]:
    """Lowercase, accent-folded words of `texts` usable as compound parts."""
    tokens: set[str] = set()
    for text in texts:
        tokens.update(TOKEN_RE.findall(text.lower()))
    found: set[str] = set()
    for token in tokens:
        word = fold(token)
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
