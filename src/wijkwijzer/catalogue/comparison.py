"""Approaches as text, field by field: the rows of a comparison and the columns of the CSV.

Each field is defined once (its key, its Dutch label, how it reads as text).
The comparison page, the API's comparison and the CSV export render from these
definitions, so a page marks as different exactly the rows the API calls
``verschillend``. The CSV's links are the web's (``web/urls.py``); it adds them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import Field

from wijkwijzer.catalogue.records import Detail, Label, Samenvatting, Shape

MIN_VERGELIJK = 2
MAX_VERGELIJK = 4

A = TypeVar("A", bound=Samenvatting, contravariant=True)


@dataclass(frozen=True)
class Veld(Generic[A]):
    """A field of an approach as text: its key, its Dutch label and how to read it."""

    key: str
    label: str
    read: Callable[[A], object]

    def text(self, aanpak: A) -> str | None:
        value = self.read(aanpak)
        return None if value is None else str(value)


def leeftijd(low: int | None, high: int | None) -> str | None:
    """The stated age range in words, e.g. ``8 tot 18 jaar`` or ``vanaf 65 jaar``."""
    if low is None and high is None:
        return None
    if high is None:
        return f"vanaf {low} jaar"
    return f"{low or 0} tot {high} jaar"


def _labels(labels: Sequence[Label], separator: str = ", ") -> str | None:
    return separator.join(label.label for label in labels) or None


# Fields a summary has, shared by the comparison and the CSV.
CATEGORIE = Veld[Samenvatting]("categorie", "Categorie", lambda a: a.categorie.label)
VORM = Veld[Samenvatting]("vorm", "Vorm", lambda a: a.vorm.label)
DOEL = Veld[Samenvatting]("doel", "Doel", lambda a: a.doel)
ERKENNINGSNIVEAU = Veld[Samenvatting](
    "erkenningsniveau", "Erkenningsniveau", lambda a: a.erkenning.label
)
ERKENNING_JAAR = Veld[Samenvatting](
    "erkenning_jaar", "Jaar van het oordeel", lambda a: a.erkenning.jaar
)
DATABANK = Veld[Samenvatting]("databank", "Databank", lambda a: a.erkenning.databank)


def termijn(a: Samenvatting) -> str:
    """Status, end and year of a recognition in one line: 'Actueel · geldig tot 2027 · ...'."""
    e = a.erkenning
    jaar = f"oordeel uit {e.jaar}" if e.jaar else "jaar van het oordeel onbekend"
    if e.termijn == "n.v.t.":
        return f"{e.termijn_label} · {e.geldigheid}"
    if e.geldig_tot is None:
        return f"{e.termijn_label} · {jaar}"
    return f"{e.termijn_label} · {e.geldigheid} · {jaar}"


GELDIGHEID = Veld[Samenvatting]("erkenning_geldigheid", "Geldigheid", termijn)

VERGELIJKING: tuple[Veld[Detail], ...] = (
    CATEGORIE,
    DOEL,
    Veld("doelgroep", "Doelgroep", lambda a: a.doelgroep),
    Veld("doelgroepen", "Doelgroepen", lambda a: _labels(a.doelgroepen)),
    Veld("leeftijd", "Leeftijd", lambda a: leeftijd(a.leeftijd_min, a.leeftijd_max)),
    Veld("omschrijving", "Omschrijving", lambda a: a.omschrijving),
    Veld("uitvoerders", "Uitvoerders", lambda a: a.uitvoerders),
    VORM,
    Veld("stappen", "Stappen", lambda a: "; ".join(s.titel for s in a.stappen) or None),
    ERKENNINGSNIVEAU,
    GELDIGHEID,
    DATABANK,
    Veld("kenmerken", "Kenmerken", lambda a: _labels(a.kenmerken)),
    Veld("werkzame_elementen", "Werkzame elementen", lambda a: _labels(a.werkzame_elementen)),
    Veld("bron", "Bron", lambda a: a.bron.url or a.bron.titel),
)

# The CSV's columns before the links; a list in one cell is split by semicolons there.
EXPORT: tuple[Veld[Samenvatting], ...] = (
    Veld("slug", "Slug", lambda a: a.slug),
    Veld("naam", "Naam", lambda a: a.naam),
    CATEGORIE,
    VORM,
    DOEL,
    Veld("doelgroepen", "Doelgroepen", lambda a: _labels(a.doelgroepen, "; ")),
    Veld("leeftijd_min", "Leeftijd vanaf", lambda a: a.leeftijd_min),
    Veld("leeftijd_max", "Leeftijd tot", lambda a: a.leeftijd_max),
    ERKENNINGSNIVEAU,
    ERKENNING_JAAR,
    Veld("erkenning_status", "Status van de erkenning", lambda a: a.erkenning.status),
    Veld("geldig_tot", "Geldig tot", lambda a: a.erkenning.geldig_tot),
    Veld("geldigheid", "Geldigheid op de peildatum", lambda a: a.erkenning.termijn_label),
    DATABANK,
)

# The one Dutch label of each field, for every page (the detail's and the comparison's).
VELD_LABELS: dict[str, str] = {
    **{veld.key: veld.label for veld in EXPORT},
    **{veld.key: veld.label for veld in VERGELIJKING},
}


class Vergelijkingsrij(Shape):
    """Eén veld van de vergelijking: per aanpak de waarde, en of die verschillen."""

    veld: str = Field(examples=["doel"])
    label: str = Field(examples=["Doel"])
    waarden: list[str | None] = Field(description="Per aanpak de waarde, in de gevraagde volgorde.")
    verschillend: bool = Field(description="Verschillen de waarden?")


def vergelijk(aanpakken: Sequence[Detail]) -> list[Vergelijkingsrij]:
    """Every comparison field of `aanpakken` side by side, and whether they differ."""
    rijen = []
    for veld in VERGELIJKING:
        waarden = [veld.text(a) for a in aanpakken]
        rijen.append(
            Vergelijkingsrij(
                veld=veld.key, label=veld.label, waarden=waarden, verschillend=len(set(waarden)) > 1
            )
        )
    return rijen
