"""The analyses an analyzer has made, shared by every analyzer with the same vocabulary.

Each thread opens the index and so unpickles an analyzer of its own; analyzers
with one compound vocabulary share one bounded memo (``memo_for``).
"""

import threading
import weakref
from collections.abc import Iterable

from wijkwijzer.search.caches import Memo as Filled
from wijkwijzer.search.compounds import CompoundSplitter

# What one token of the tokenizer becomes: None when it folds to nothing, else
# (stopped, unstemmed texts, stemmed texts); a word's own text comes first, its
# compound parts follow. A stopword has one text and is never stemmed.
Analysed = tuple[bool, tuple[str, ...], tuple[str, ...]] | None

MEMO_SIZE = 500_000  # distinct tokens; 10,000 approaches hold about 150,000


class AnalysedText(dict[str, list[int]]):
    """A text analysed: each term with its positions (``DutchAnalyzer.positions``).

    The build analyses every text once, for Whoosh and for its own arrays; given
    this instead of the text, the index schema's ``DutchText`` indexes the same.
    """


class Memo:
    """The analyses of words with one compound vocabulary, memoized."""

    def __init__(self, words: frozenset[str]) -> None:
        self.splitter = CompoundSplitter(words)
        # Filled once and kept: a word's analysis never changes for one vocabulary.
        self.analysed: Filled[str, Analysed] = Filled(MEMO_SIZE)
        # The stems of the vocabulary's words (compound parts recur in many words),
        # filled as they are asked: a table as large as the vocabulary at most.
        self.stems: dict[str, str] = {}


_MEMOS: "weakref.WeakValueDictionary[frozenset[str], Memo]" = weakref.WeakValueDictionary()
_MEMOS_LOCK = threading.Lock()


def memo_for(words: frozenset[str]) -> Memo:
    """The memo of analyzers with the compound vocabulary `words`."""
    with _MEMOS_LOCK:
        memo = _MEMOS.get(words)
        if memo is None:
            memo = _MEMOS[words] = Memo(words)
        return memo


def unstemmed_words(analyses: Iterable[Analysed]) -> set[str]:
    """The unstemmed forms of the analysed words that are no stopwords, parts included.

    Of all tokens of some texts: the words a field with Whoosh's ``spelling=True``
    would hold (what the analyzer yields with ``no_morph=True``).
    """
    words: set[str] = set()
    for found in analyses:
        if found is not None and not found[0]:
            words.update(found[1])
    return words
