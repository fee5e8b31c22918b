"""Approaches flattened to text cells: CSV rows and the rows of a comparison."""

from wijkwijzer.catalogue.shapes import AanpakDetail, AanpakSamenvatting

CSV_COLUMNS = (
    "slug", "naam", "categorie", "vorm", "doel", "doelgroepen", "leeftijd_min", "leeftijd_max",
    "erkenningsniveau", "erkenning_jaar", "erkenning_status", "geldig_tot", "databank", "url",
    "html_url",
)  # fmt: skip

COMPARE_FIELDS = (
    ("categorie", "Categorie"),
    ("doel", "Doel"),
    ("doelgroep", "Doelgroep"),
    ("doelgroepen", "Doelgroepen"),
    ("leeftijd", "Leeftijd"),
    ("omschrijving", "Omschrijving"),
    ("uitvoerders", "Uitvoerders"),
    ("vorm", "Vorm"),
    ("stappen", "Stappen"),
    ("erkenningsniveau", "Erkenningsniveau"),
    ("erkenning_jaar", "Jaar van het oordeel"),
    ("erkenning_geldigheid", "Geldigheid"),
    ("databank", "Databank"),
    ("kenmerken", "Kenmerken"),
    ("werkzame_elementen", "Werkzame elementen"),
    ("bron", "Bron"),
)


def csv_row(item: AanpakSamenvatting, base: str) -> list[str]:
    """One CSV row; `base` makes the links absolute."""
    e = item.erkenning
    values: list[object] = [
        item.slug, item.naam, item.categorie.label, item.vorm.label, item.doel,
        "; ".join(d.label for d in item.doelgroepen), item.leeftijd_min, item.leeftijd_max,
        e.label, e.jaar, e.status, e.geldig_tot, e.databank, base + item.url, base + item.html_url,
    ]  # fmt: skip
    return [csv_cell(v) for v in values]


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, -, @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def leeftijd(low: int | None, high: int | None) -> str | None:
    """The stated age range in words, e.g. ``8 tot 18 jaar`` or ``vanaf 65 jaar``."""
    if low is None and high is None:
        return None
    if high is None:
        return f"vanaf {low} jaar"
    return f"{low or 0} tot {high} jaar"


def compare_value(a: AanpakDetail, veld: str) -> str | None:
    """The text of field `veld` (see COMPARE_FIELDS) of one approach."""
    values: dict[str, object] = {
        "categorie": a.categorie.label,
        "vorm": a.vorm.label,
        "doelgroepen": ", ".join(d.label for d in a.doelgroepen) or None,
        "leeftijd": leeftijd(a.leeftijd_min, a.leeftijd_max),
        "stappen": "; ".join(s.titel for s in a.stappen) or None,
        "erkenningsniveau": a.erkenning.label,
        "erkenning_jaar": a.erkenning.jaar,
        "erkenning_geldigheid": a.erkenning.geldigheid,
        "databank": a.erkenning.databank,
        "kenmerken": ", ".join(k.label for k in a.kenmerken) or None,
        "werkzame_elementen": ", ".join(w.label for w in a.werkzame_elementen) or None,
        "bron": a.bron.url or a.bron.titel,
    }
    value = values[veld] if veld in values else getattr(a, veld)
    return None if value is None else str(value)
