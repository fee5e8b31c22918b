"""The database: an engine from settings, and replacing its content with a corpus.

``replace_corpus`` swaps the whole catalogue in one transaction: either the new
corpus is there in full, and the history of its approaches records what changed
(``changes.py``), or the previous one stays, untouched, and nothing is recorded.
On PostgreSQL the same transaction announces the new version to the replicas
(``notices.py``), so the announcement goes out only with the committed data.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, Table, delete, event, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import ExceptionContext
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine

from wijkwijzer.corpus.gcpause import gc_paused
from wijkwijzer.corpus.models import Aanpak, Corpus
from wijkwijzer.corpus.vocabulary import Vocabulaire
from wijkwijzer.store.changes import Historie, read_history, record_changes
from wijkwijzer.store.errors import DatabaseOnbereikbaar, OngeldigeDatabaseUrl, first_line
from wijkwijzer.store.notices import announce
from wijkwijzer.store.tables import AanpakRow, CorpusMeta, NiveauRow, StapRow, TagRow, TermRow

TAG_FIELDS = ("doelgroepen", "kenmerken", "werkzame_elementen")
TERM_LISTS = ("doelgroepen", "vormen", "categorieen", "kenmerken", "werkzame_elementen")
# How often a read starts again when a load committed while it read (see ``read_stored``).
READ_TRIES = 3


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite files get their directory, WAL and foreign keys.

    Raises OngeldigeDatabaseUrl for a URL that is no database URL. Every later
    failure to connect (or a connection lost) raises DatabaseOnbereikbaar, wherever
    it happens: the engine translates it (``_unreachable``).
    """
    try:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise OngeldigeDatabaseUrl(first_line(exc)) from exc
    event.listen(engine, "handle_error", _unreachable)
    return engine


def shown_url(database_url: str) -> str:
    """`database_url` without its password, to show in a message."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", database_url)


def _unreachable(context: ExceptionContext) -> None:
    """Make a failure to connect, or a lost connection, a DatabaseOnbereikbaar."""
    if context.is_pre_ping:  # the pool tries a fresh connection next
        return
    if context.connection is None or context.is_disconnect:
        original = context.original_exception
        raise DatabaseOnbereikbaar(first_line(original)) from original


def create_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet."""
    SQLModel.metadata.create_all(engine)


def _table(model: type[SQLModel]) -> Table:
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


AANPAK_FIELDS = {
    "slug",
    "naam",
    "categorie",
    "herkomst",
    "doel",
    "doelgroep",
    "omschrijving",
    "uitvoerders",
    "vorm",
    "vorm_omschrijving",
    "stappen_soort",
    "leeftijd_min",
    "leeftijd_max",
    "evaluatie",
}


def _aanpak_rows(corpus: Corpus) -> list[dict[str, Any]]:
    rows = []
    for position, aanpak in enumerate(corpus.aanpakken, start=1):
        erkenning, bron = aanpak.erkenning, aanpak.bron
        row = aanpak.model_dump(include=AANPAK_FIELDS, mode="json")
        row.update(
            id=position,
            positie=position,
            erkenning_niveau=erkenning.niveau.value,
            erkenning_databank=erkenning.databank,
            erkenning_jaar=erkenning.jaar,
            erkenning_bron=erkenning.bron,
            erkenning_toelichting=erkenning.toelichting,
            bron_titel=bron.titel,
            bron_url=bron.url,
        )
        rows.append(row)
    return rows


def _stap_rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {
            "aanpak_id": aanpak_id,
            "positie": position,
            "label": stap.label,
            "titel": stap.titel,
            "omschrijving": stap.omschrijving,
        }
        for aanpak_id, aanpak in enumerate(corpus.aanpakken, start=1)
        for position, stap in enumerate(aanpak.stappen, start=1)
    ]


def _tag_rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {"aanpak_id": aanpak_id, "soort": soort, "code": code.value, "positie": position}
        for aanpak_id, aanpak in enumerate(corpus.aanpakken, start=1)
        for soort in TAG_FIELDS
        for position, code in enumerate(getattr(aanpak, soort), start=1)
    ]


def _niveau_rows(vocabulaire: Vocabulaire) -> list[dict[str, Any]]:
    return [
        {"positie": i, **n.model_dump(mode="json")}
        for i, n in enumerate(vocabulaire.erkenningsniveaus, start=1)
    ]


def _term_rows(vocabulaire: Vocabulaire) -> list[dict[str, Any]]:
    return [
        {"soort": soort, "positie": i, **term.model_dump(mode="json")}
        for soort in TERM_LISTS
        for i, term in enumerate(getattr(vocabulaire, soort), start=1)
    ]


def _meta_rows(corpus: Corpus, now: datetime) -> list[dict[str, Any]]:
    meta = {
        "content_hash": corpus.content_hash,
        "geladen_op": now.isoformat(timespec="seconds"),
        "aantal": str(len(corpus.aanpakken)),
        "vocabulaire": corpus.vocabulaire.model_dump_json(),
    }
    return [{"key": key, "value": value} for key, value in meta.items()]


def replace_corpus(engine: Engine, corpus: Corpus, now: datetime | None = None) -> None:
    """Replace the catalogue with `corpus` in one transaction (all or nothing).

    The same transaction records in the history what changed, at `now` (the
    current time when None; an aware datetime, stored in UTC).
    The rows go in as plain bulk INSERTs, one executemany per table, instead of
    ORM objects: at ten thousand approaches about 2 s instead of 14.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    create_schema(engine)
    with gc_paused():
        tables: list[tuple[type[SQLModel], list[dict[str, Any]]]] = [
            (AanpakRow, _aanpak_rows(corpus)),
            (StapRow, _stap_rows(corpus)),
            (TagRow, _tag_rows(corpus)),
            (NiveauRow, _niveau_rows(corpus.vocabulaire)),
            (TermRow, _term_rows(corpus.vocabulaire)),
            (CorpusMeta, _meta_rows(corpus, now)),
        ]
        with Session(engine) as session, session.begin():
            record_changes(session.connection(), corpus, now)
            announce(session.connection(), corpus.content_hash)  # sent at the commit
            for table in (TagRow, StapRow, AanpakRow, TermRow, NiveauRow, CorpusMeta):
                session.exec(delete(table))
            for model, rows in tables:
                if rows:
                    session.exec(insert(_table(model)), params=rows)


def loaded_hash(engine: Engine) -> str | None:
    """The content hash of the corpus in the database, or None when there is none."""
    create_schema(engine)
    with Session(engine) as session:
        meta = session.get(CorpusMeta, "content_hash")
        return meta.value if meta else None


@dataclass(frozen=True)
class Stand:
    """Which corpus the database holds, and when it was loaded (UTC; None if never recorded)."""

    hash: str
    geladen_op: datetime | None


def stored_version(engine: Engine) -> Stand | None:
    """The version in the database, in one read by primary key (the schema exists after a load).

    For a health check: raises DatabaseOnbereikbaar when the database cannot be read.
    """
    table = _table(CorpusMeta)
    query = select(table.c.key, table.c.value).where(
        table.c.key.in_(("content_hash", "geladen_op"))
    )
    try:
        meta = _read_meta(engine, query)
    except SQLAlchemyError:
        try:
            create_schema(engine)  # perhaps no tables yet: this creates them, or fails too
            meta = _read_meta(engine, query)
        except SQLAlchemyError as exc:
            raise DatabaseOnbereikbaar(first_line(exc)) from exc
    if "content_hash" not in meta:
        return None
    loaded = meta.get("geladen_op")
    return Stand(meta["content_hash"], datetime.fromisoformat(loaded) if loaded else None)


def _read_meta(engine: Engine, query: Select[tuple[str, str]]) -> dict[str, str]:
    with engine.connect() as connection:
        return {row.key: row.value for row in connection.execute(query)}


@dataclass(frozen=True)
class Opgeslagen:
    """The catalogue as the database holds it: the corpus, and the history of every slug
    it ever held (removed ones too), newest change first."""

    corpus: Corpus
    historie: dict[str, Historie]


def read_corpus(engine: Engine) -> Corpus | None:
    """The catalogue as it stands in the database (None when nothing was loaded)."""
    stored = read_stored(engine)
    return stored.corpus if stored else None


def read_stored(engine: Engine) -> Opgeslagen | None:
    """The corpus and the history in the database, of one load (None when nothing was loaded).

    Each statement may see another commit (PostgreSQL's READ COMMITTED, SQLite
    without BEGIN for reads): when the stored hash is another one after reading
    than before, a load committed meanwhile, and the read starts again (at most
    ``READ_TRIES`` times; a version read mixed is replaced at the next index switch).
    """
    create_schema(engine)
    meta: dict[str, str] = {}
    for _ in range(READ_TRIES):
        with gc_paused(), Session(engine) as session, session.begin():
            connection = session.connection()
            table = _table(CorpusMeta)
            rows = connection.execute(select(table.c.key, table.c.value))
            meta = {row.key: row.value for row in rows}
            if "content_hash" not in meta:
                return None
            aanpakken = read_aanpakken(session)
            loaded_at = datetime.fromisoformat(meta["geladen_op"])
            historie = read_history(connection, aanpakken, loaded_at)
            after = connection.execute(
                select(table.c.value).where(table.c.key == "content_hash")
            ).scalar()
            if after == meta["content_hash"]:
                break
    corpus = Corpus(
        aanpakken=tuple(aanpakken),
        vocabulaire=Vocabulaire.model_validate_json(meta["vocabulaire"]),
        content_hash=meta["content_hash"],
    )
    return Opgeslagen(corpus, historie)


def read_aanpakken(session: Session) -> list[Aanpak]:
    """Every approach in the database, in corpus order, as corpus models.

    Plain rows (no ORM objects), validated again as corpus models: the database
    may have been filled by another version of this application.
    """
    connection = session.connection()
    aanpak, stap, tag = _table(AanpakRow), _table(StapRow), _table(TagRow)
    stappen: dict[int, list[dict[str, Any]]] = {}
    for row in connection.execute(
        select(stap).order_by(stap.c.aanpak_id, stap.c.positie)
    ).mappings():
        stappen.setdefault(row["aanpak_id"], []).append(
            {"titel": row["titel"], "label": row["label"], "omschrijving": row["omschrijving"]}
        )
    tags: dict[tuple[int, str], list[str]] = {}
    for aanpak_id, soort, code in connection.execute(
        select(tag.c.aanpak_id, tag.c.soort, tag.c.code).order_by(tag.c.aanpak_id, tag.c.positie)
    ):
        tags.setdefault((aanpak_id, soort), []).append(code)
    result = []
    for row in connection.execute(select(aanpak).order_by(aanpak.c.positie)).mappings():
        data = {name: row[name] for name in AANPAK_FIELDS}
        data["stappen"] = stappen.get(row["id"], [])
        data.update({soort: tags.get((row["id"], soort), []) for soort in TAG_FIELDS})
        data["erkenning"] = {
            "niveau": row["erkenning_niveau"],
            "databank": row["erkenning_databank"],
            "jaar": row["erkenning_jaar"],
            "bron": row["erkenning_bron"],
            "toelichting": row["erkenning_toelichting"],
        }
        data["bron"] = {"titel": row["bron_titel"], "url": row["bron_url"]}
        result.append(Aanpak.model_validate(data))
    return result
