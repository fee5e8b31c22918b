"""Writing a version's postings arrays (the format is described in ``postings``).

The build analyses each text once (``DutchAnalyzer.positions``): Whoosh indexes
that analysis (``analysis.AnalysedText``) and ``PostingsCollector`` keeps it. Once
Whoosh has committed, the kept postings are sorted per term and scored with the
statistics Whoosh's public searcher gives (document count, field lengths as it
stores them, average field length), so the arrays hold what Whoosh's own
matchers find and score; the tests compare every term of the real corpus.
"""

from array import array
from collections.abc import Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wijkwijzer.search.postings import LEXICON_FILE, POSTINGS_DIR, bm25f_scores
from wijkwijzer.search.schema import TEXT_FIELDS


class _Collected:
    """One field's postings in the order they came (per document, its terms in order)."""

    def __init__(self) -> None:
        self.terms: list[str] = []  # per posting: its term
        self.counts = array("i")  # per posting: how many positions
        self.positions = array("i")
        self.docs = array("i")  # per document: its number, and how many postings it has
        self.sizes = array("i")


class PostingsCollector:
    """The postings of every text field, collected document by document during a build."""

    def __init__(self) -> None:
        self.fields = {name: _Collected() for name in TEXT_FIELDS}

    def add(self, docnum: int, texts: Mapping[str, Mapping[str, list[int]]]) -> None:
        """Document `docnum`'s analysed texts: per text field, each term with its positions."""
        for name, found in texts.items():
            field = self.fields[name]
            field.terms.extend(found)
            field.counts.extend(map(len, found.values()))
            field.positions.extend(chain.from_iterable(found.values()))
            field.docs.append(docnum)
            field.sizes.append(len(found))

    def write(self, version_dir: Path, searcher: Any, docnums: Sequence[int] | None) -> None:
        """Write the arrays; `docnums` maps collected document numbers to Whoosh's (None: same)."""
        directory = version_dir / POSTINGS_DIR
        directory.mkdir()
        lexicon = sorted(set().union(*(f.terms for f in self.fields.values())))
        (directory / LEXICON_FILE).write_text("".join(t + "\n" for t in lexicon), "utf-8")
        number = {term: i for i, term in enumerate(lexicon)}
        mapping = None if docnums is None else np.asarray(docnums, np.int32)
        reader = searcher.reader()
        doc_count = searcher.doc_count_all()
        for name, field in self.fields.items():
            arrays = _sorted(field, number, len(lexicon), mapping)
            length = reader.doc_field_length
            lengths = np.fromiter(
                (length(d, name, 1) or 0 for d in range(doc_count)), np.float64, doc_count
            )
            docs, counts = arrays["docs"], np.diff(arrays["spans"])
            doc_frequency = np.repeat(np.diff(arrays["terms"]), np.diff(arrays["terms"]))
            arrays["scores"] = bm25f_scores(
                doc_count,
                doc_frequency,
                counts.astype(np.float64) * TEXT_FIELDS[name],
                lengths[docs],
                searcher.avg_field_length(name) or 1,
            )
            for kind, values in arrays.items():
                np.save(directory / f"{name}.{kind}.npy", values, allow_pickle=False)


def _sorted(
    field: _Collected,
    number: Mapping[str, int],
    term_count: int,
    mapping: npt.NDArray[np.int32] | None,
) -> dict[str, npt.NDArray[Any]]:
    """One field's postings sorted by term, then document: terms, docs, spans, positions."""
    terms = np.fromiter(map(number.__getitem__, field.terms), np.int64, len(field.terms))
    docs = np.repeat(np.frombuffer(field.docs, np.int32), np.frombuffer(field.sizes, np.int32))
    counts = np.frombuffer(field.counts, np.int32).astype(np.int64)
    if mapping is None:  # documents came in Whoosh's order
        order = np.argsort(terms, kind="stable")
    else:
        docs = mapping[docs]
        order = np.lexsort((docs, terms))
    firsts = (np.cumsum(counts) - counts)[order]  # where each posting's positions were
    counts = counts[order]
    spans = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=spans[1:])
    take = np.arange(int(spans[-1]), dtype=np.int64) + np.repeat(firsts - spans[:-1], counts)
    return {
        "terms": np.searchsorted(terms[order], np.arange(term_count + 1)).astype(np.int64),
        "docs": docs[order].astype(np.int32),
        "spans": spans,
        "positions": np.frombuffer(field.positions, np.int32)[take],
    }
