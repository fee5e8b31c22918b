"""Build the peer's SQLite database: one table with an FTS5 index (sqlite-utils).

Runs in the bench venv. Usage: ``bench/.venv/bin/python bench/peer_db.py ROWS.json OUT.db``
"""

import json
import sys
from pathlib import Path

import sqlite_utils

TABLE = "approaches"
TEXT_COLUMNS = (
    "naam", "doel", "doelgroep", "trefwoorden", "omschrijving", "stappen", "uitvoerders",
)  # fmt: skip


def build(rows_file: Path, db_file: Path) -> None:
    rows = json.loads(rows_file.read_text("utf-8"))
    db_file.unlink(missing_ok=True)
    db = sqlite_utils.Database(db_file)
    table = db[TABLE]
    table.insert_all(rows, pk="slug")
    for column in ("categorie", "vorm", "erkenningsniveau"):
        table.create_index([column])
    # The same text fields our Whoosh index searches; FTS5 as Datasette recommends.
    table.enable_fts(list(TEXT_COLUMNS), fts_version="FTS5")
    db.vacuum()
    db.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]), Path(sys.argv[2]))
