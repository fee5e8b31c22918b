"""The recognition overview of one version on a peildatum: the ladder, the doelgroep ×
niveau matrix and the sentence that says how many recognitions are known to hold.

Every count here comes from the same masks as the listing's facets, so a cell of
the matrix gives exactly as many results as the list it links to.
"""

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from wijkwijzer.catalogue.answers import Cel, Trede
from wijkwijzer.catalogue.facets import GELDIGHEID
from wijkwijzer.catalogue.records import Label, Shape, summary
from wijkwijzer.catalogue.version import Versie
from wijkwijzer.corpus.validity import Termijn

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
GELDT = (Termijn.ACTUEEL.value, Termijn.VERLOOPT_BINNENKORT.value)


def _nederland() -> tzinfo:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # a system without time zone data: UTC, off by an hour or two
        return UTC


NEDERLAND = _nederland()


def datum(day: date) -> str:
    """A date as Dutch text: 5 december 2026 (a moment: its date in the Netherlands)."""
    if isinstance(day, datetime) and day.tzinfo is not None:
        day = day.astimezone(NEDERLAND)
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


class Overzicht(Shape):
    """Wat op de peildatum vaststaat over de erkenningen in de catalogus."""

    peildatum: date
    totaal: int = Field(description="Aantal aanpakken in de catalogus.")
    geldig: int = Field(description="Aanpakken met een erkenning die op de peildatum geldt.")
    termijnen: dict[str, int] = Field(description="Aantal aanpakken per geldigheid.")
    zin: str = Field(description="De uitkomst in één zin.")
    zonder_geldige_erkenning: list[Label] = Field(
        description="Doelgroepen zonder één aanpak met een erkenning die op de peildatum geldt."
    )


def ladder(versie: Versie, today: date) -> list[Trede]:
    """The ladder in order (strongest first), with counts, validity and doelgroepen per rung."""
    facets, vocabulaire = versie.facets, versie.corpus.vocabulaire
    masks = facets.masks_on(today)
    order = facets.op(today).by_niveau.tolist()
    result = []
    for niveau in sorted(vocabulaire.erkenningsniveaus, key=lambda n: -n.rang):
        on_rung = masks["erkenningsniveau"][niveau.code.value]
        items = [
            summary(facets.aanpakken[i], vocabulaire, today) for i in order if on_rung >> i & 1
        ]
        per_doelgroep = []
        for doelgroep in vocabulaire.doelgroepen:
            cell = on_rung & masks["doelgroep"][doelgroep.code.value]
            per_doelgroep.append(
                Cel(
                    code=doelgroep.code.value,
                    label=doelgroep.naam,
                    count=cell.bit_count(),
                    termijnen=_termijnen(cell, masks[GELDIGHEID]),
                )
            )
        result.append(
            Trede(
                **niveau.model_dump(mode="json"),
                count=len(items),
                slugs=[a.slug for a in items],
                verlopen=[a.slug for a in items if a.erkenning.status == "verlopen"],
                termijnen=_termijnen(on_rung, masks[GELDIGHEID]),
                per_doelgroep=per_doelgroep,
                aanpakken=items,
            )
        )
    return result


def _termijnen(mask: int, by_termijn: dict[str, int]) -> dict[str, int]:
    return {code: (mask & found).bit_count() for code, found in by_termijn.items()}


def overzicht(versie: Versie, today: date) -> Overzicht:
    """How many recognitions hold on `today`, and which doelgroepen have none."""
    facets, vocabulaire = versie.facets, versie.corpus.vocabulaire
    masks = facets.masks_on(today)
    holds = masks[GELDIGHEID][GELDT[0]] | masks[GELDIGHEID][GELDT[1]]
    totaal, geldig = len(facets.aanpakken), holds.bit_count()
    werkwoord = "heeft" if geldig == 1 else "hebben"
    zin = (
        f"Op {datum(today)} {werkwoord} {geldig} van de {totaal} aanpakken een erkenning "
        "waarvan vaststaat dat die nu geldt."
    )
    return Overzicht(
        peildatum=today,
        totaal=totaal,
        geldig=geldig,
        termijnen=_termijnen(facets.all, masks[GELDIGHEID]),
        zin=zin,
        zonder_geldige_erkenning=[
            Label(code=d.code.value, label=d.naam)
            for d in vocabulaire.doelgroepen
            if not masks["doelgroep"][d.code.value] & holds
        ],
    )
