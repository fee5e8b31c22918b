"""The public shapes: what the API returns and what the pages render.

Both call ``summary()`` / ``detail()`` on the same corpus objects, so the JSON
and the HTML can never disagree.
"""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from wijkwijzer.corpus.models import Aanpak
from wijkwijzer.corpus.validity import Status, geldigheid
from wijkwijzer.corpus.vocabulary import Vocabulaire

API_PREFIX = "/api/v1"


def api_url(slug: str) -> str:
    return f"{API_PREFIX}/approaches/{slug}"


def html_url(slug: str) -> str:
    return f"/aanpak/{slug}"


class Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class Label(Shape):
    """A code of a controlled list with its Dutch name."""

    code: str = Field(examples=["ouderen"])
    label: str = Field(examples=["Ouderen"])


class ErkenningPublic(Shape):
    """The recognition of an approach, with its derived validity."""

    niveau: str = Field(description="Code van het erkenningsniveau.", examples=["goed-beschreven"])
    label: str = Field(examples=["Goed beschreven"])
    rang: int = Field(description="Sterkte van het bewijs; hoger is sterker.")
    databank: str | None = Field(examples=["Movisie"])
    jaar: int | None = Field(description="Jaar van het oordeel.", examples=[2022])
    status: Status = Field(
        description="actueel of verlopen (vijf jaar na het oordeel); n.v.t. zonder erkenning; "
        "onbekend als het jaar onbekend is."
    )
    geldig_tot: int | None = Field(examples=[2027])
    geldigheid: str = Field(examples=["geldig tot 2027"])
    bron: str | None
    toelichting: str | None


class Stap(Shape):
    label: str | None
    titel: str
    omschrijving: str | None


class Bron(Shape):
    titel: str
    url: str | None = Field(description="Alleen http(s); leeg bij een bron zonder werkende link.")


class AanpakSamenvatting(Shape):
    """An approach as it appears in a list of results."""

    slug: str = Field(examples=["buurtcirkel"])
    naam: str = Field(examples=["Buurtcirkel"])
    doel: str
    categorie: Label
    vorm: Label
    doelgroepen: list[Label]
    leeftijd_min: int | None
    leeftijd_max: int | None
    erkenning: ErkenningPublic
    highlights: dict[str, str] | None = Field(
        default=None,
        description="HTML-veilige fragmenten met <mark> rond de zoektermen (alleen met q).",
    )
    url: str = Field(
        description="Dit record in de API.", examples=["/api/v1/approaches/buurtcirkel"]
    )
    html_url: str = Field(
        description="De pagina van deze aanpak.", examples=["/aanpak/buurtcirkel"]
    )


class AanpakDetail(AanpakSamenvatting):
    """An approach with every field of the corpus."""

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
    related: list[AanpakSamenvatting] = Field(default_factory=list)


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
        bron=erkenning.bron,
        toelichting=erkenning.toelichting,
    )


def _labels(vocabulaire: Vocabulaire, kind: str, codes: list[str]) -> list[Label]:
    return [Label(code=c, label=vocabulaire.label(kind, c)) for c in codes]


def summary(
    aanpak: Aanpak,
    vocabulaire: Vocabulaire,
    today: date,
    highlights: dict[str, str] | None = None,
) -> AanpakSamenvatting:
    return AanpakSamenvatting(
        slug=aanpak.slug,
        naam=aanpak.naam,
        doel=aanpak.doel,
        categorie=_labels(vocabulaire, "categorieen", [aanpak.categorie.value])[0],
        vorm=_labels(vocabulaire, "vormen", [aanpak.vorm.value])[0],
        doelgroepen=_labels(vocabulaire, "doelgroepen", [d.value for d in aanpak.doelgroepen]),
        leeftijd_min=aanpak.leeftijd_min,
        leeftijd_max=aanpak.leeftijd_max,
        erkenning=erkenning_public(aanpak, vocabulaire, today),
        highlights=highlights,
        url=api_url(aanpak.slug),
        html_url=html_url(aanpak.slug),
    )


def detail(
    aanpak: Aanpak,
    vocabulaire: Vocabulaire,
    today: date,
    related: list[AanpakSamenvatting],
) -> AanpakDetail:
    bron = next((b for b in vocabulaire.bronnen if b.code == aanpak.herkomst), None)
    return AanpakDetail(
        **summary(aanpak, vocabulaire, today).model_dump(),
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
        related=related,
    )
