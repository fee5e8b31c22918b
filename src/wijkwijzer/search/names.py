"""Names written otherwise: "thuisopstraat", "city trainers", "right2challenge".

A name's key is its letters and digits, lower case and accent-folded, without
spaces, hyphens or punctuation. A query finds an approach by name when its key is
the key of the whole name, of the name without what stands in brackets, of the
abbreviation in brackets ("TOS"), or of the name's first words, at least two that
are no stopwords ("7 bouwstenen"). A digit that stands for a word ("2" for "to") is
tried as each word the synonym data gives it.
"""

import itertools
import re
from collections.abc import Iterable, Sequence

from wijkwijzer.corpus.text import fold
from wijkwijzer.search.dutch import STOPWORDS, TOKEN_RE

MIN_KEY = 3
MAX_VARIANTS = 16  # digit readings tried per query
_BRACKETS = re.compile(r"\(([^)]*)\)")


def name_key(text: str) -> str:
    """`text` as a name key: folded letters and digits only."""
    return "".join(TOKEN_RE.findall(fold(text.lower())))


def name_keys(name: str) -> set[str]:
    """Every key that finds an approach called `name`."""
    plain = _BRACKETS.sub(" ", name)
    keys = {name_key(name), name_key(plain)}
    keys |= {name_key(inside) for inside in _BRACKETS.findall(name)}
    words = TOKEN_RE.findall(fold(plain.lower()))
    meaningful = 0
    for n, word in enumerate(words, start=1):
        meaningful += word not in STOPWORDS
        if meaningful >= 2:
            keys.add("".join(words[:n]))
    return {k for k in keys if len(k) >= MIN_KEY}


class NameIndex:
    """The documents each name key finds, for one index version."""

    def __init__(
        self, by_key: dict[str, list[int]], digits: Sequence[tuple[str, Sequence[str]]]
    ) -> None:
        """`by_key`: the documents each name key finds (``name_keys``, made at build time)."""
        self.by_key = by_key
        self.digits = {digit: [name_key(w) for w in words] for digit, words in digits}

    def matching(self, query: str) -> list[int]:
        """The documents whose name `query` is, written in any of the ways above."""
        key = name_key(query)
        if len(key) < MIN_KEY:
            return []
        found: set[int] = set()
        for variant in self._variants(key):
            found.update(self.by_key.get(variant, ()))
        return sorted(found)

    def _variants(self, key: str) -> Iterable[str]:
        """`key`, and with each digit that stands for a word read as that word."""
        pieces: list[list[str]] = [
            [ch, *self.digits[ch]] if ch in self.digits else [ch] for ch in key
        ]
        return itertools.islice(("".join(p) for p in itertools.product(*pieces)), MAX_VARIANTS)
