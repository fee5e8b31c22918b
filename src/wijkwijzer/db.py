"""The database: an engine from settings, and replacing its content with a corpus.

``replace_corpus`` swaps the whole catalogue in one transaction: either the new
corpus is there in full, or the previous one stays, untouched.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col, create_engine, select

from wijkwijzer.corpus import Aanpak, Bronvermelding, Corpus, Erkenning, Stap
from wijkwijzer.models import AanpakRow, CorpusMeta, NiveauRow, StapRow, TagRow, TermRow
from wijkwijzer.vocab import Niveau, Vocabulaire

TAG_FIELDS = ("doelgroepen", "kenmerken", "werkzame_elementen")
TERM_LISTS = ("doelgroepen", "vormen", "categorieen", "kenmerken", "werkzame_elementen")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`; SQLite files get their directory, WAL and foreign keys."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Create the tables that do not exist yet."""
    SQLModel.metadata.create_all(engine)


def _aanpak_row(aanpak: Aanpak, position: int) -> AanpakRow:
    erkenning, bron = aanpak.erkenning, aanpak.bron
    return AanpakRow(
        id=position,
        positie=position,
        **aanpak.model_dump(
            include={
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
            },
            mode="json",
        ),
        erkenning_niveau=erkenning.niveau.value,
        erkenning_databank=erkenning.databank,
        erkenning_jaar=erkenning.jaar,
        erkenning_bron=erkenning.bron,
        erkenning_toelichting=erkenning.toelichting,
        bron_titel=bron.titel,
        bron_url=bron.url,
    )


def _child_rows(corpus: Corpus) -> list[SQLModel]:
    rows: list[SQLModel] = []
    for aanpak_id, aanpak in enumerate(corpus.aanpakken, start=1):
        for position, stap in enumerate(aanpak.stappen, start=1):
            rows.append(StapRow(aanpak_id=aanpak_id, positie=position, **stap.model_dump()))
        for soort in TAG_FIELDS:
            for position, code in enumerate(getattr(aanpak, soort), start=1):
                rows.append(
                    TagRow(aanpak_id=aanpak_id, soort=soort, code=code.value, positie=position)
                )
    return rows


def _vocabulary_rows(corpus: Corpus) -> list[SQLModel]:
    vocabulaire = corpus.vocabulaire
    rows: list[SQLModel] = [
        NiveauRow(positie=i, **n.model_dump(mode="json"))
        for i, n in enumerate(vocabulaire.erkenningsniveaus, start=1)
    ]
    for soort in TERM_LISTS:
        for i, term in enumerate(getattr(vocabulaire, soort), start=1):
            rows.append(TermRow(soort=soort, positie=i, **term.model_dump(mode="json")))
    loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
    rows += [
        CorpusMeta(key="content_hash", value=corpus.content_hash),
        CorpusMeta(key="geladen_op", value=loaded_at),
        CorpusMeta(key="aantal", value=str(len(corpus.aanpakken))),
        CorpusMeta(key="vocabulaire", value=vocabulaire.model_dump_json()),
    ]
    return rows


def replace_corpus(engine: Engine, corpus: Corpus) -> None:
    """Replace the catalogue with `corpus` in one transaction (all or nothing)."""
    create_schema(engine)
    with Session(engine) as session, session.begin():
        for table in (TagRow, StapRow, AanpakRow, TermRow, NiveauRow, CorpusMeta):
            session.exec(delete(table))
        session.add_all([_aanpak_row(a, i) for i, a in enumerate(corpus.aanpakken, start=1)])
        session.flush()
        session.add_all(_child_rows(corpus))
        session.add_all(_vocabulary_rows(corpus))


def loaded_hash(engine: Engine) -> str | None:
    """The content hash of the corpus in the database, or None when there is none."""
    create_schema(engine)
    with Session(engine) as session:
        meta = session.get(CorpusMeta, "content_hash")
        return meta.value if meta else None


def read_corpus(engine: Engine) -> Corpus | None:
    """The catalogue as it stands in the database (None when nothing was loaded)."""
    create_schema(engine)
    with Session(engine) as session, session.begin():
        meta = {m.key: m.value for m in session.exec(select(CorpusMeta))}
        if "content_hash" not in meta:
            return None
        return Corpus(
            aanpakken=tuple(read_aanpakken(session)),
            vocabulaire=Vocabulaire.model_validate_json(meta["vocabulaire"]),
            content_hash=meta["content_hash"],
        )


def read_aanpakken(session: Session) -> list[Aanpak]:
    """Every approach in the database, in corpus order, as corpus models."""
    rows = session.exec(select(AanpakRow).order_by(col(AanpakRow.positie))).all()
    stappen: dict[int, list[StapRow]] = {}
    for stap in session.exec(
        select(StapRow).order_by(col(StapRow.aanpak_id), col(StapRow.positie))
    ):
        stappen.setdefault(stap.aanpak_id, []).append(stap)
    tags: dict[tuple[int, str], list[str]] = {}
    for tag in session.exec(select(TagRow).order_by(col(TagRow.aanpak_id), col(TagRow.positie))):
        tags.setdefault((tag.aanpak_id, tag.soort), []).append(tag.code)
    result = []
    for row in rows:
        assert row.id is not None
        data = row.model_dump(exclude={"id", "positie"})
        result.append(
            Aanpak.model_validate(
                {
                    **{k: v for k, v in data.items() if not k.startswith(("erkenning_", "bron_"))},
                    "stappen": [
                        Stap(titel=s.titel, label=s.label, omschrijving=s.omschrijving)
                        for s in stappen.get(row.id, [])
                    ],
                    **{soort: tags.get((row.id, soort), []) for soort in TAG_FIELDS},
                    "erkenning": Erkenning(
                        niveau=Niveau(row.erkenning_niveau),
                        databank=row.erkenning_databank,
                        jaar=row.erkenning_jaar,
                        bron=row.erkenning_bron,
                        toelichting=row.erkenning_toelichting,
                    ),
                    "bron": Bronvermelding(titel=row.bron_titel, url=row.bron_url),
                }
            )
        )
    return result
