"""The history of every approach: recorded by each load, read back with the corpus.

A load compares the approaches it brings with the rows of ``aanpak_wijziging``,
in the transaction that replaces the corpus (``database.replace_corpus``), so a
load that fails records nothing:

- a slug never seen before gets a row: first seen and last changed now;
- a slug whose content hash differs, or that was removed and is back, is changed
  now (and no longer removed); its first-seen time stays;
- a slug the load no longer brings is removed now (once), and keeps its last
  name and summary, so the feed can still name it;
- every other row stays as it is: a load of the same corpus changes nothing.

The content hash covers the approach's own data (every field of the corpus model,
as canonical JSON): not the vocabulary's labels, nor its place in the file. A
database filled by a version without this table gets it at its next load, which
records every approach as first seen then; until that load, the approaches count
as first seen when their corpus was loaded (``geladen_op``).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, inspect, select, update

from wijkwijzer.corpus.models import Aanpak, Corpus
from wijkwijzer.store.tables import WijzigingRow


@dataclass(frozen=True)
class Historie:
    """What the database knows of one approach's history (times in UTC)."""

    slug: str
    naam: str
    doel: str
    eerst_gezien: datetime
    laatst_gewijzigd: datetime
    verwijderd_op: datetime | None = None

    @property
    def bijgewerkt(self) -> datetime:
        """The last thing that happened to it: its removal, or else its last change."""
        return self.verwijderd_op or self.laatst_gewijzigd


def aanpak_hash(aanpak: Aanpak) -> str:
    """The hash of one approach's own data (SHA-256 of its fields as canonical JSON)."""
    data = aanpak.model_dump(mode="json")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _table() -> Table:
    table = inspect(WijzigingRow).local_table
    assert isinstance(table, Table)
    return table


def _utc(moment: datetime) -> datetime:
    """A time from the database in UTC (SQLite gives it back without a zone: it is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def record_changes(connection: Connection, corpus: Corpus, now: datetime) -> None:
    """Record in the history what `corpus` changes, at `now` (in the caller's transaction)."""
    table = _table()
    known: dict[str, tuple[str, datetime | None]] = {
        slug: (digest, removed)
        for slug, digest, removed in connection.execute(
            select(table.c.slug, table.c.inhoud_hash, table.c.verwijderd_op)
        )
    }
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for aanpak in corpus.aanpakken:
        digest = aanpak_hash(aanpak)
        values = {"naam": aanpak.naam, "doel": aanpak.doel, "inhoud_hash": digest}
        before = known.get(aanpak.slug)
        if before is None:
            new.append(
                {
                    "slug": aanpak.slug,
                    **values,
                    "eerst_gezien": now,
                    "laatst_gewijzigd": now,
                    "verwijderd_op": None,
                }
            )
        elif before != (digest, None):
            changed.append({"wijzig_slug": aanpak.slug, **values})
    present = {aanpak.slug for aanpak in corpus.aanpakken}
    removed = [
        {"wijzig_slug": slug}
        for slug, (_, verwijderd) in known.items()
        if slug not in present and verwijderd is None
    ]
    one = table.c.slug == bindparam("wijzig_slug")
    if new:
        connection.execute(insert(table), new)
    if changed:
        connection.execute(
            update(table).where(one).values(laatst_gewijzigd=now, verwijderd_op=None), changed
        )
    if removed:
        connection.execute(update(table).where(one).values(verwijderd_op=now), removed)


def read_history(
    connection: Connection, aanpakken: Iterable[Aanpak], loaded_at: datetime
) -> dict[str, Historie]:
    """Every slug's history, removed ones included; newest change first.

    An approach of the corpus that the history does not know yet (the database was
    last loaded by a version without it) counts as first seen at `loaded_at`.
    """
    table = _table()
    rows = connection.execute(
        select(
            table.c.slug,
            table.c.naam,
            table.c.doel,
            table.c.eerst_gezien,
            table.c.laatst_gewijzigd,
            table.c.verwijderd_op,
        )
    )
    found = {
        row.slug: Historie(
            slug=row.slug,
            naam=row.naam,
            doel=row.doel,
            eerst_gezien=_utc(row.eerst_gezien),
            laatst_gewijzigd=_utc(row.laatst_gewijzigd),
            verwijderd_op=_utc(row.verwijderd_op) if row.verwijderd_op else None,
        )
        for row in rows
    }
    for aanpak in aanpakken:
        if aanpak.slug not in found:
            found[aanpak.slug] = Historie(
                aanpak.slug, aanpak.naam, aanpak.doel, loaded_at, loaded_at
            )
    newest_first = sorted(found.values(), key=lambda h: (-h.bijgewerkt.timestamp(), h.slug))
    return {h.slug: h for h in newest_first}
