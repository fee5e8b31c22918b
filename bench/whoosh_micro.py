"""What a search costs in Whoosh, and what other designs would cost, on a built index.

Evidence for the recommendations in RESULTS.md, independent of the app's internals
(only the index directory and Whoosh's public API). For each query of the mix, each
word becomes an OR of its stem over the text fields that hold it, the words are
ANDed, and then:

score_all    ``searcher.search(q, limit=None)``: every hit scored (what the app does
             per concept, so it can merge concepts and fall back to OR)
top20        ``searcher.search(q, limit=20)``: Whoosh scores only what can reach the
             first page (block-max skipping), plus ``docs_for_query`` for the count
match_only   ``searcher.docs_for_query(q)``: which documents match, no scores
term_cache   per-term results (docnum -> score dicts for ranking, an int bitmask for
             counting) computed once per index version and cached; a query only
             merges them. Timed warm: the cache filled by one earlier pass.

Usage: ``.venv/bin/python bench/whoosh_micro.py INDEX_DIR QUERIES.json``
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import whoosh.index
from whoosh import query as wq

FIELDS = ("naam", "doel", "doelgroep", "trefwoorden", "omschrijving", "stappen", "uitvoerders")


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))] * 1000


def stems(analyzer: Any, text: str) -> list[str]:
    return [t.text for t in analyzer(text) if not getattr(t, "compound_part", False)]


def main(index_dir: str, queries_file: str) -> int:
    index = whoosh.index.open_dir(index_dir, readonly=True)
    searcher = index.searcher()
    reader = searcher.reader()
    analyzer = index.schema["naam"].analyzer
    queries = [q["q"] for q in json.loads(Path(queries_file).read_text("utf-8"))]

    def word_query(stem: str) -> Any:
        fields = [f for f in FIELDS if (f, stem) in reader]
        return wq.Or([wq.Term(f, stem) for f in fields]) if fields else wq.NullQuery

    def build(text: str) -> Any:
        return wq.And([word_query(s) for s in stems(analyzer, text)])

    scores_cache: dict[str, dict[int, float]] = {}
    mask_cache: dict[str, int] = {}

    def term_scores(stem: str) -> dict[int, float]:
        found = scores_cache.get(stem)
        if found is None:
            results = searcher.search(word_query(stem), limit=None)
            found = scores_cache[stem] = {d: float(s) for d, s in results.items()}
            mask = 0
            for docnum in found:
                mask |= 1 << docnum
            mask_cache[stem] = mask
        return found

    def cached(text: str) -> tuple[int, list[tuple[float, int]]]:
        words = stems(analyzer, text)
        for s in words:
            term_scores(s)
        mask = -1
        for s in words:
            mask &= mask_cache[s]
        total = mask.bit_count() if mask > 0 else 0
        # rank only the matches: sum the cached per-term scores, keep the best 20
        first = min(words, key=lambda s: len(scores_cache[s]))
        ranked = []
        for docnum in scores_cache[first]:
            if mask >> docnum & 1:
                ranked.append((sum(scores_cache[s][docnum] for s in words), docnum))
        ranked.sort(reverse=True)
        return total, ranked[:20]

    timings: dict[str, list[float]] = {k: [] for k in ("score_all", "top20", "match_only")}
    hits = []
    for text in queries:
        q = build(text)
        started = time.perf_counter()
        results = searcher.search(q, limit=None)
        dict(results.items())
        timings["score_all"].append(time.perf_counter() - started)
        hits.append(len(results))
        started = time.perf_counter()
        searcher.search(q, limit=20)
        sum(1 for _ in searcher.docs_for_query(q))
        timings["top20"].append(time.perf_counter() - started)
        started = time.perf_counter()
        set(searcher.docs_for_query(q))
        timings["match_only"].append(time.perf_counter() - started)
    fill_started = time.perf_counter()
    for text in queries:
        cached(text)
    fill = time.perf_counter() - fill_started
    timings["term_cache"] = []
    for text in queries:
        started = time.perf_counter()
        cached(text)
        timings["term_cache"].append(time.perf_counter() - started)
    result: dict[str, Any] = {
        name: {"p50_ms": pct(v, 0.5), "p95_ms": pct(v, 0.95)} for name, v in timings.items()
    }
    result["term_cache"]["fill_s"] = fill
    result["term_cache"]["terms"] = len(scores_cache)
    result["docs"] = reader.doc_count()
    result["hits_median"] = sorted(hits)[len(hits) // 2]
    print(json.dumps(result))
    searcher.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
