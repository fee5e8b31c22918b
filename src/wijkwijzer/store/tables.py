"""SQLModel tables: approaches, their steps and tags, the vocabularies, corpus metadata,
and the history of every approach (when first seen, last changed, removed)."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import Text as SAText
from sqlmodel import Field, SQLModel


class AanpakBase(SQLModel):
    """The scalar fields of an approach, flattened (recognition and source inline)."""

    slug: str = Field(unique=True, index=True, max_length=80)
    naam: str
    categorie: str = Field(index=True)
    herkomst: str
    doel: str = Field(sa_type=SAText)
    doelgroep: str = Field(sa_type=SAText)
    omschrijving: str = Field(sa_type=SAText)
    uitvoerders: str = Field(sa_type=SAText)
    vorm: str = Field(index=True)
    vorm_omschrijving: str | None = None
    stappen_soort: str | None = None
    leeftijd_min: int | None = None
    leeftijd_max: int | None = None
    erkenning_niveau: str = Field(index=True)
    erkenning_databank: str | None = None
    erkenning_jaar: int | None = None
    erkenning_bron: str | None = Field(default=None, sa_type=SAText)
    erkenning_toelichting: str | None = Field(default=None, sa_type=SAText)
    bron_titel: str
    bron_url: str | None = None
    evaluatie: str | None = Field(default=None, sa_type=SAText)


class AanpakRow(AanpakBase, table=True):
    __tablename__ = "aanpak"

    id: int | None = Field(default=None, primary_key=True)
    positie: int = Field(description="Volgorde in het corpus.")


class StapRow(SQLModel, table=True):
    __tablename__ = "stap"

    aanpak_id: int = Field(foreign_key="aanpak.id", primary_key=True, ondelete="CASCADE")
    positie: int = Field(primary_key=True)
    label: str | None = None
    titel: str = Field(sa_type=SAText)
    omschrijving: str | None = Field(default=None, sa_type=SAText)


class TagRow(SQLModel, table=True):
    """A multi-valued facet value of an approach: doelgroep, kenmerk or werkzaam element."""

    __tablename__ = "aanpak_tag"

    aanpak_id: int = Field(foreign_key="aanpak.id", primary_key=True, ondelete="CASCADE")
    soort: str = Field(primary_key=True)
    code: str = Field(primary_key=True, index=True)
    positie: int


class TermRow(SQLModel, table=True):
    """An entry of a controlled list (doelgroepen, vormen, kenmerken, ...)."""

    __tablename__ = "term"

    soort: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    naam: str
    omschrijving: str | None = Field(default=None, sa_type=SAText)
    positie: int


class NiveauRow(SQLModel, table=True):
    """A rung of the recognition ladder."""

    __tablename__ = "erkenningsniveau"

    code: str = Field(primary_key=True)
    naam: str
    rang: int
    erkenning: bool
    geldigheid_jaren: int | None = None
    definitie: str = Field(sa_type=SAText)
    bron: str | None = Field(default=None, sa_type=SAText)
    positie: int


class CorpusMeta(SQLModel, table=True):
    """Facts about the loaded corpus (its content hash, when it was loaded)."""

    __tablename__ = "corpus_meta"

    key: str = Field(primary_key=True)
    value: str


class WijzigingRow(SQLModel, table=True):
    """The history of one approach, by slug: every slug any load ever brought has one row.

    Written by each load in the transaction that replaces the corpus (``store/changes.py``).
    ``inhoud_hash`` is the hash of the approach's own data; ``naam`` and ``doel`` are
    its last known ones, so a removed approach can still be named. ``verwijderd_op``
    is set when a load no longer brings the slug, and cleared when one brings it again.
    """

    __tablename__ = "aanpak_wijziging"

    slug: str = Field(primary_key=True, max_length=80)
    naam: str
    doel: str = Field(sa_type=SAText)
    inhoud_hash: str = Field(max_length=64)
    eerst_gezien: datetime = Field(sa_type=DateTime(timezone=True))
    laatst_gewijzigd: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    verwijderd_op: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
