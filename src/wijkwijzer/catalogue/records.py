"""An approach as the catalogue gives it: a summary in a list, a detail record on its own.

The API and the pages both render these (built by ``summary()`` / ``detail()``
from the same corpus objects), so the JSON and the HTML can never disagree.
They carry no links: where an approach lives on the web is the web's business
(``web/urls.py``), which adds them.
"""

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from wijkwijzer.corpus.models import Aanpak
from wijkwijzer.corpus.text import web_addresses
from wijkwijzer.corpus.validity import TERMIJN_LABELS, Status, Termijn, geldigheid
from wijkwijzer.corpus.vocabulary import Vocabulaire
from wijkwijzer.store.changes import Historie


class Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class Label(Shape):
    """Een code uit een vaste lijst, met haar Nederlandse naam."""

    code: str = Field(examples=["ouderen"])
    label: str = Field(examples=["Ouderen"])


class ErkenningPublic(Shape):
    """De erkenning van een aanpak, met de geldigheid die daaruit volgt."""

    niveau: str = Field(description="Code van het erkenningsniveau.", examples=["goed-beschreven"])
    label: str = Field(examples=["Goed beschreven"])
    rang: int = Field(description="Sterkte van het bewijs; hoger is sterker.")
    databank: str | None = Field(examples=["Movisie"])
    jaar: int | None = Field(description="Jaar van het oordeel.", examples=[2022])
    status: Status = Field(
        description="actueel of verlopen (vijf jaar na het oordeel); n.v.t. zonder erkenning; "
        "onbekend als het jaar onbekend is."
    )
    geldig_tot: int | None = Field(
        description="Laatste jaar waarin de erkenning geldt (het hele jaar telt mee).",
        examples=[2027],
    )
    geldigheid: str = Field(examples=["geldig tot 2027"])
    termijn: Termijn = Field(
        description="Waar de erkenning op de peildatum staat, zoals het filter geldigheid: "
        "actueel, verloopt-binnenkort (eindigt binnen 12 maanden), onbekend (jaar onbekend), "
        "verlopen of n.v.t. (geen erkenning).",
        examples=["actueel"],
    )
    termijn_label: str = Field(examples=["Actueel"])
    geldt_op_peildatum: bool = Field(
        description="Vast staat dat de erkenning op de peildatum geldt (actueel of verloopt "
        "binnenkort)."
    )
    bron: str | None
    bron_links: list[str] = Field(
        description="De webadressen (https) die de bron van het oordeel noemt.",
        examples=[["https://movisie.nl/interventie/citytrainers"]],
    )
    toelichting: str | None


class Stap(Shape):
    """Eén stap van de werkwijze van een aanpak."""

    label: str | None
    titel: str
    omschrijving: str | None


class Bron(Shape):
    """Het brondocument waaruit de beschrijving van een aanpak komt."""

    titel: str
    url: str | None = Field(description="Alleen http(s); leeg bij een bron zonder werkende link.")


class Samenvatting(Shape):
    """Een aanpak zoals die in een lijst met resultaten staat."""

    slug: str = Field(examples=["buurtcirkel"])
    naam: str = Field(examples=["Buurtcirkel"])
    doel: str
    categorie: Label
    vorm: Label
    doelgroepen: list[Label]
    leeftijd_min: int | None
    leeftijd_max: int | None
    leeftijd_genoemd: bool = Field(
        description="De bron noemt een leeftijdsgrens. Zonder grens blijft een aanpak bij een "
        "filter op leeftijd in de resultaten, gemarkeerd als 'geen leeftijdsgrens genoemd'."
    )
    erkenning: ErkenningPublic
    highlights: dict[str, str] | None = Field(
        default=None,
        description="HTML-veilige fragmenten met <mark> rond de zoektermen (alleen met q).",
    )


class DetailVelden(Shape):
    """Wat het volledige record van een aanpak aan de samenvatting toevoegt (na diens velden)."""

    doelgroep: str
    omschrijving: str
    uitvoerders: str
    vorm_omschrijving: str | None
    stappen_soort: str | None
    stappen: list[Stap]
    kenmerken: list[Label]
    werkzame_elementen: list[Label]
    bron: Bron
    herkomst: Label
    evaluatie: str | None
    eerst_gezien: datetime | None = Field(
        default=None,
        description="Wanneer een lading van de catalogus de aanpak voor het eerst gaf (UTC).",
    )
    laatst_gewijzigd: datetime | None = Field(
        default=None,
        description="Wanneer een lading de inhoud van de aanpak voor het laatst veranderde "
        "(UTC); zoals in /feed.atom.",
    )
    related: Sequence[Samenvatting] = Field(default_factory=list)


# The bases in this order put the summary's fields first (pydantic follows the reversed MRO).
class Detail(DetailVelden, Samenvatting):
    """Een aanpak met alle velden uit het corpus."""


def erkenning_public(aanpak: Aanpak, vocabulaire: Vocabulaire, today: date) -> ErkenningPublic:
    erkenning = aanpak.erkenning
    niveau = vocabulaire.niveau(erkenning.niveau)
    valid = geldigheid(erkenning, niveau, today)
    return ErkenningPublic(
        niveau=niveau.code.value,
        label=niveau.naam,
        rang=niveau.rang,
        databank=erkenning.databank,
        jaar=erkenning.jaar,
        status=valid.status,
        geldig_tot=valid.geldig_tot,
        geldigheid=valid.tekst,
        termijn=valid.termijn,
        termijn_label=TERMIJN_LABELS[valid.termijn],
        geldt_op_peildatum=valid.geldt,
        bron=erkenning.bron,
        bron_links=web_addresses(erkenning.bron or ""),
        toelichting=erkenning.toelichting,
    )


def _labels(vocabulaire: Vocabulaire, kind: str, codes: list[str]) -> list[Label]:
    return [Label(code=c, label=vocabulaire.label(kind, c)) for c in codes]


def summary(
    aanpak: Aanpak,
    vocabulaire: Vocabulaire,
    today: date,
    highlights: dict[str, str] | None = None,
) -> Samenvatting:
    return Samenvatting(
        slug=aanpak.slug,
        naam=aanpak.naam,
        doel=aanpak.doel,
        categorie=_labels(vocabulaire, "categorieen", [aanpak.categorie.value])[0],
        vorm=_labels(vocabulaire, "vormen", [aanpak.vorm.value])[0],
        doelgroepen=_labels(vocabulaire, "doelgroepen", [d.value for d in aanpak.doelgroepen]),
        leeftijd_min=aanpak.leeftijd_min,
        leeftijd_max=aanpak.leeftijd_max,
        leeftijd_genoemd=aanpak.leeftijd_genoemd,
        erkenning=erkenning_public(aanpak, vocabulaire, today),
        highlights=highlights,
    )


def detail(
    aanpak: Aanpak,
    vocabulaire: Vocabulaire,
    today: date,
    related: list[Samenvatting],
    historie: Historie | None = None,
) -> Detail:
    bron = next((b for b in vocabulaire.bronnen if b.code == aanpak.herkomst), None)
    return Detail(
        **vars(summary(aanpak, vocabulaire, today)),
        doelgroep=aanpak.doelgroep,
        omschrijving=aanpak.omschrijving,
        uitvoerders=aanpak.uitvoerders,
        vorm_omschrijving=aanpak.vorm_omschrijving,
        stappen_soort=aanpak.stappen_soort.value if aanpak.stappen_soort else None,
        stappen=[Stap(**s.model_dump()) for s in aanpak.stappen],
        kenmerken=_labels(vocabulaire, "kenmerken", [k.value for k in aanpak.kenmerken]),
        werkzame_elementen=_labels(
            vocabulaire, "werkzame_elementen", [w.value for w in aanpak.werkzame_elementen]
        ),
        bron=Bron(titel=aanpak.bron.titel, url=aanpak.bron.url),
        herkomst=Label(code=aanpak.herkomst, label=bron.titel if bron else aanpak.herkomst),
        evaluatie=aanpak.evaluatie,
        eerst_gezien=historie.eerst_gezien if historie else None,
        laatst_gewijzigd=historie.laatst_gewijzigd if historie else None,
        related=related,
    )
