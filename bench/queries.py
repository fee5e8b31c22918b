"""The queries the benchmarks send: a fixed mix for the scale part, varied ones for the peer.

Standard library only (runs in the bench venv).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

QUERY = "jongeren sport"

# --- the scale part: 60 queries over the generated corpora ------------------------------

COMMON = ["buurt", "gemeente", "bewoners"]
MIDDLE = [
    "jongeren", "sport", "vrijwilligers", "kinderen", "ontmoeting", "participatie", "theater",
    "talenten", "samenwerking", "buurtbewoners", "buurtbemiddeling", "eten", "ouders", "wijk",
]  # fmt: skip
RARE = [
    "eenzaamheid",
    "armoede",
    "veiligheid",
    "dementie",
    "opvoeding",
    "taal",
    "mantelzorg",
    "ouderen",
]
FILTERS = {
    "doelgroep": ["jongeren", "ouderen", "kinderen", "alle-bewoners", "kwetsbare-bewoners"],
    "erkenningsniveau": [
        "goed-beschreven",
        "goed-onderbouwd",
        "praktijkvoorbeeld",
        "niet-beoordeeld",
    ],
    "kenmerk": ["verbinding-en-sociale-contacten", "krachten-en-talenten"],
    "categorie": ["interventie", "methodische-aanpak"],
    "vorm": ["methodebeschrijving", "interventiebeschrijving"],
}


def query_mix(count: int = 60, seed: int = 7) -> list[dict[str, Any]]:
    """1-3-word queries (common, middling and rare words), half with a filter, some with an age."""
    rng = random.Random(seed)
    pool = COMMON + MIDDLE * 2 + RARE
    mix: list[dict[str, Any]] = [{"q": QUERY, "filters": {}, "leeftijd": None}]
    while len(mix) < count:
        words: list[str] = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3])):
            word = rng.choice(pool)
            if word not in words:
                words.append(word)
        filters: dict[str, list[str]] = {}
        if rng.random() < 0.5:
            name = rng.choice(sorted(FILTERS))
            filters[name] = [rng.choice(FILTERS[name])]
        leeftijd = rng.choice([8, 16, 70]) if rng.random() < 0.15 else None
        mix.append({"q": " ".join(words), "filters": filters, "leeftijd": leeftijd})
    for query in mix:
        params: list[tuple[str, Any]] = [("q", query["q"])]
        params += [(name, v) for name, values in query["filters"].items() for v in values]
        if query["leeftijd"] is not None:
            params.append(("leeftijd", query["leeftijd"]))
        query["url"] = "/api/v1/approaches?" + urlencode(params)
        query["label"] = query["url"].split("?", 1)[1]
    return mix


# --- the peer part: every request a different query -------------------------------------

# Words of four letters or more that say nothing on their own.
STOPWORDS = frozenset({
    "alle", "andere", "deze", "door", "elkaar", "heeft", "hebben", "hier", "kunnen", "maar",
    "meer", "naar", "niet", "omdat", "onder", "over", "tussen", "voor", "waar", "waarbij",
    "waarin", "welke", "worden", "wordt", "zijn", "zelf", "zich", "zoals", "zodat",
})  # fmt: skip
WORD = re.compile(r"[^\W\d_]{4,}")


def corpus_words(texts: Iterable[str]) -> Counter[str]:
    """How often each word (four letters or more, no stopwords) occurs in `texts`."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text.casefold()) if w not in STOPWORDS)
    return counts


def varied_queries(words: Counter[str], count: int, seed: int = 11) -> list[str]:
    """`count` distinct 1-3-word queries, words drawn as often as they occur in the corpus."""
    rng = random.Random(seed)
    vocabulary = sorted(words)
    weights = [words[w] for w in vocabulary]
    seen: set[str] = set()
    queries: list[str] = []
    attempts = 0
    while len(queries) < count:
        attempts += 1
        if attempts > count * 50:
            raise ValueError(f"{len(vocabulary)} woorden geven geen {count} verschillende vragen")
        size = rng.choice([1, 2, 2, 2, 3, 3])
        chosen = list(dict.fromkeys(rng.choices(vocabulary, weights, k=size)))
        query = " ".join(chosen)
        if query not in seen:
            seen.add(query)
            queries.append(query)
    return queries
