"""Validity of a recognition: derived from level and year, never stored.

A judgement on the ladder is valid for ``geldigheid_jaren`` (five) years after
the year it was given; we count the whole final year as valid. On a peildatum,
every approach falls in exactly one ``Termijn``: the five values of the
``geldigheid`` filter and facet, and the five groups of the chart on /erkenning.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from wijkwijzer.corpus.models import Erkenning
from wijkwijzer.corpus.vocabulary import Niveaubeschrijving

Status = Literal["actueel", "verlopen", "n.v.t.", "onbekend"]

# A recognition that ends within this many months of the peildatum "verloopt binnenkort".
BINNENKORT_MAANDEN = 12


class Termijn(StrEnum):
    """Waar een erkenning op de peildatum staat; van sterkste naar zwakste."""

    ACTUEEL = "actueel"
    VERLOOPT_BINNENKORT = "verloopt-binnenkort"
    ONBEKEND = "onbekend"
    VERLOPEN = "verlopen"
    GEEN = "n.v.t."


# The one Dutch name of each, for every page, the API's facet and the chart.
TERMIJN_LABELS: dict[Termijn, str] = {
    Termijn.ACTUEEL: "Actueel",
    Termijn.VERLOOPT_BINNENKORT: "Verloopt binnenkort",
    Termijn.ONBEKEND: "Jaar onbekend",
    Termijn.VERLOPEN: "Verlopen",
    Termijn.GEEN: "Geen erkenning",
}
TERMIJN_UITLEG: dict[Termijn, str] = {
    Termijn.ACTUEEL: "erkend, en de erkenning geldt op de peildatum nog meer dan "
    f"{BINNENKORT_MAANDEN} maanden",
    Termijn.VERLOOPT_BINNENKORT: "erkend, en de erkenning eindigt binnen "
    f"{BINNENKORT_MAANDEN} maanden na de peildatum",
    Termijn.ONBEKEND: "erkend, maar het jaar van het oordeel is onbekend: of de erkenning nog "
    "geldt, staat niet vast",
    Termijn.VERLOPEN: "erkend, maar de termijn van de erkenning is voorbij",
    Termijn.GEEN: "geen erkenning (niet beoordeeld, praktijkvoorbeeld of geen niveau gevonden)",
}


@dataclass(frozen=True)
class Geldigheid:
    """Whether a recognition still stands, with the Dutch sentence that says so."""

    status: Status
    geldig_tot: int | None
    tekst: str
    termijn: Termijn

    @property
    def geldt(self) -> bool:
        """The recognition is known to hold on the peildatum."""
        return self.status == "actueel"


def _ends_soon(tot: int, today: date) -> bool:
    """Whether a recognition valid through the year `tot` ends within the coming months."""
    months = today.month + BINNENKORT_MAANDEN
    horizon_year, horizon_month = today.year + (months - 1) // 12, (months - 1) % 12 + 1
    # Valid through 31 December of `tot`: it ends soon when that day is before the horizon.
    return (tot, 12, 31) <= (horizon_year, horizon_month, today.day)


def geldigheid(erkenning: Erkenning, niveau: Niveaubeschrijving, today: date) -> Geldigheid:
    """Derive the validity of `erkenning` (at level `niveau`) on `today`."""
    if not niveau.erkenning or niveau.geldigheid_jaren is None:
        return Geldigheid(
            "n.v.t.", None, "geen erkenning, dus geen geldigheidstermijn", Termijn.GEEN
        )
    if erkenning.jaar is None:
        return Geldigheid("onbekend", None, "jaar van het oordeel onbekend", Termijn.ONBEKEND)
    tot = erkenning.jaar + niveau.geldigheid_jaren
    if today.year <= tot:
        termijn = Termijn.VERLOOPT_BINNENKORT if _ends_soon(tot, today) else Termijn.ACTUEEL
        return Geldigheid("actueel", tot, f"geldig tot {tot}", termijn)
    return Geldigheid("verlopen", tot, f"verlopen sinds {tot}", Termijn.VERLOPEN)
