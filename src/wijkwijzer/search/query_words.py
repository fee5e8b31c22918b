"""The words of a query: each analysed, with where it stands in the query text."""

from dataclasses import dataclass
from typing import Any

from wijkwijzer.search.analysis import Word, analyse_word
from wijkwijzer.search.dutch import TOKEN_RE


@dataclass(frozen=True)
class QueryWord:
    """A word of the user's query with where it stands in the query text."""

    text: str
    start: int
    end: int
    word: Word


def query_words(analyzer: Any, text: str, offset: int = 0) -> list[QueryWord]:
    """The non-stopword words of `text`, analysed, with their spans."""
    words: list[QueryWord] = []
    for match in TOKEN_RE.finditer(text):
        word = analyse_word(analyzer, match.group())
        if word is not None:
            words.append(
                QueryWord(match.group(), match.start() + offset, match.end() + offset, word)
            )
    return words
