"""The changes of the catalogue, newest first: what the Atom feed (``/feed.atom``) publishes.

Each approach appears once, with the last thing that happened to it: it is new
(first seen), changed, or removed. The history is recorded by every load
(``store/changes.py``) and read with the corpus, so it belongs to one version.
A listing's filters narrow the changes as they narrow the list. A removed
approach has no record left to filter on: removals are only given when no
filter (search text, facet, age) is set.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from wijkwijzer.catalogue.facets import bits_of
from wijkwijzer.catalogue.question import Filtervraag
from wijkwijzer.catalogue.records import Shape
from wijkwijzer.catalogue.version import Versie
from wijkwijzer.store.changes import Historie

MAX_WIJZIGINGEN = 100


class Soort(StrEnum):
    NIEUW = "nieuw"
    GEWIJZIGD = "gewijzigd"
    VERWIJDERD = "verwijderd"


class Wijziging(Shape):
    """Wat er het laatst met één aanpak gebeurde: nieuw, gewijzigd of verwijderd."""

    slug: str = Field(examples=["buurtcirkel"])
    naam: str = Field(description="De (laatst bekende) naam.", examples=["Buurtcirkel"])
    doel: str = Field(description="Het (laatst bekende) doel: de samenvatting.")
    soort: Soort
    eerst_gezien: datetime = Field(description="Wanneer een lading de aanpak voor het eerst gaf.")
    laatst_gewijzigd: datetime = Field(
        description="Wanneer de inhoud van de aanpak voor het laatst veranderde (of de aanpak "
        "na een verwijdering terugkwam)."
    )
    verwijderd_op: datetime | None = Field(
        description="Wanneer een lading de aanpak niet meer gaf; leeg als ze er is."
    )

    @property
    def bijgewerkt(self) -> datetime:
        """The time of this change: its removal, or else its last change."""
        return self.verwijderd_op or self.laatst_gewijzigd


class Wijzigingen(Shape):
    """De laatste wijzigingen van de catalogus (of van een gefilterde lijst), nieuwste eerst."""

    items: list[Wijziging]
    bijgewerkt: datetime = Field(
        description="De nieuwste wijziging hierin; zonder wijzigingen die van de catalogus."
    )
    gefilterd: bool = Field(description="Met filters: verwijderde aanpakken ontbreken dan.")
    version: str = Field(description="Versie (inhoudshash) van het corpus.")


def gefilterd(vraag: Filtervraag) -> bool:
    """Does `vraag` narrow the catalogue (search text, a facet, an age)?"""
    return bool(vraag.q.strip() or vraag.filters or vraag.leeftijd is not None)


def wijziging(historie: Historie) -> Wijziging:
    if historie.verwijderd_op is not None:
        soort = Soort.VERWIJDERD
    elif historie.eerst_gezien == historie.laatst_gewijzigd:
        soort = Soort.NIEUW
    else:
        soort = Soort.GEWIJZIGD
    return Wijziging(
        slug=historie.slug,
        naam=historie.naam,
        doel=historie.doel,
        soort=soort,
        eerst_gezien=historie.eerst_gezien,
        laatst_gewijzigd=historie.laatst_gewijzigd,
        verwijderd_op=historie.verwijderd_op,
    )


def wijzigingen(versie: Versie, matched: int, filtered: bool, limit: int) -> Wijzigingen:
    """The newest `limit` changes of the approaches in `matched`; removals unless `filtered`."""
    ordinal = versie.facets.ordinal
    chosen = bits_of(matched, len(versie.facets.aanpakken))
    items: list[Wijziging] = []
    for historie in versie.historie.values():  # newest first
        if len(items) >= limit:
            break
        if historie.verwijderd_op is not None:
            if filtered:
                continue
        elif (i := ordinal.get(historie.slug)) is None or not chosen[i]:
            continue
        items.append(wijziging(historie))
    return Wijzigingen(
        items=items,
        bijgewerkt=items[0].bijgewerkt if items else versie.laatst_gewijzigd,
        gefilterd=filtered,
        version=versie.hash,
    )
