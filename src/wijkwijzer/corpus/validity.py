"""Validity of a recognition: derived from level and year, never stored.

A judgement on the ladder is valid for ``geldigheid_jaren`` (five) years after
the year it was given; we count the whole final year as valid.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from wijkwijzer.corpus.models import Erkenning
from wijkwijzer.corpus.vocabulary import Niveaubeschrijving

Status = Literal["actueel", "verlopen", "n.v.t.", "onbekend"]


@dataclass(frozen=True)
class Geldigheid:
    """Whether a recognition still stands, with the Dutch sentence that says so."""

    status: Status
    geldig_tot: int | None
    tekst: str


def geldigheid(erkenning: Erkenning, niveau: Niveaubeschrijving, today: date) -> Geldigheid:
    """Derive the validity of `erkenning` (at level `niveau`) on `today`."""
    if not niveau.erkenning or niveau.geldigheid_jaren is None:
        return Geldigheid("n.v.t.", None, "geen erkenning, dus geen geldigheidstermijn")
    if erkenning.jaar is None:
        return Geldigheid("onbekend", None, "jaar van het oordeel onbekend")
    tot = erkenning.jaar + niveau.geldigheid_jaren
    if today.year <= tot:
        return Geldigheid("actueel", tot, f"geldig tot {tot}")
    return Geldigheid("verlopen", tot, f"verlopen sinds {tot}")
