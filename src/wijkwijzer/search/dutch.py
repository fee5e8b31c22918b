"""Dutch word rules of the analysis: what a word is, stopwords, stems.

Plain Python (Whoosh's Snowball stemmer and stopword list aside); the classes
Whoosh pickles into an index live in ``analysis`` and use these.
"""

import re
from collections.abc import Mapping

from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer

# Letters and digits; everything else separates words. Explicit, because
# whoosh-reloaded's default pattern keeps "*" inside tokens.
TOKEN_PATTERN = r"[^\W_]+"
TOKEN_RE = re.compile(TOKEN_PATTERN)

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
