"""Write the corpus as JSON rows for the peer (Datasette over SQLite FTS5).

Runs in the project's venv: it reads the corpus with WijkWijzer's own loader, so
the peer gets exactly the approaches and the text our index holds. The searchable
text columns are the fields our Whoosh index searches: naam, doel, doelgroep,
trefwoorden (the labels of doelgroepen, kenmerken, werkzame elementen, vorm and
categorie, and the vorm_omschrijving), omschrijving, stappen and uitvoerders.

Usage: ``.venv/bin/python bench/export_rows.py CORPUS.yaml VOCABULAIRE.yaml OUT.json``
"""

import json
import sys
from pathlib import Path

from wijkwijzer.corpus.models import load_corpus

TEXT_COLUMNS = (
    "naam", "doel", "doelgroep", "trefwoorden", "omschrijving", "stappen", "uitvoerders",
)  # fmt: skip


def main(corpus_file: str, vocab_file: str, out: str) -> int:
    corpus = load_corpus(Path(corpus_file), Path(vocab_file))
    label = corpus.vocabulaire.label
    rows = []
    for a in corpus.aanpakken:
        labels = [label("doelgroepen", c) for c in a.doelgroepen]
        labels += [label("kenmerken", c) for c in a.kenmerken]
        labels += [label("werkzame_elementen", c) for c in a.werkzame_elementen]
        labels += [label("vormen", a.vorm), label("categorieen", a.categorie)]
        labels += [a.vorm_omschrijving] if a.vorm_omschrijving else []
        stappen = [" ".join(p for p in (s.label, s.titel, s.omschrijving) if p) for s in a.stappen]
        rows.append(
            {
                "slug": a.slug,
                "naam": a.naam,
                "categorie": a.categorie.value,
                "vorm": a.vorm.value,
                "erkenningsniveau": a.erkenning.niveau.value,
                "erkenning_jaar": a.erkenning.jaar,
                "databank": a.erkenning.databank,
                "doel": a.doel,
                "doelgroep": a.doelgroep,
                "trefwoorden": "\n".join(labels),
                "omschrijving": a.omschrijving,
                "stappen": "\n".join(stappen),
                "uitvoerders": a.uitvoerders,
                "doelgroepen": json.dumps([c.value for c in a.doelgroepen]),
                "kenmerken": json.dumps([c.value for c in a.kenmerken]),
                "werkzame_elementen": json.dumps([c.value for c in a.werkzame_elementen]),
                "leeftijd_min": a.leeftijd_min,
                "leeftijd_max": a.leeftijd_max,
                "bron_url": a.bron.url,
            }
        )
    Path(out).write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    print(f"{out}: {len(rows)} rijen", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    raise SystemExit(main(*sys.argv[1:]))
