"""Structured data for search engines: an approach as schema.org JSON-LD.

An approach with steps is a ``HowTo`` (its ``step``s are ``HowToStep``s), any
other a ``CreativeWork`` (HowTo's parent type). Both carry ``name``,
``description`` (its doel), ``url``, ``audience`` (a ``PeopleAudience`` per
doelgroep, with the ages the source names), ``keywords`` (its kenmerken),
``isBasedOn`` (the source document), ``isPartOf`` (the catalogue) and, for a
recognition, ``award``: the level, the databank, the year and its validity.

The JSON goes into ``<script type="application/ld+json">``: a data block the
browser never runs, so the strict Content-Security-Policy allows it. Text from
the corpus could still end it early (``</script>``), so ``<``, ``>`` and ``&``
are written as JSON escapes (``\\u003c`` …): the same data, no markup.
"""

import json
from typing import Any

from markupsafe import Markup

from wijkwijzer.catalogue.records import Detail
from wijkwijzer.web.urls import Urls

CONTEXT = "https://schema.org"
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> Markup:
    """`data` as JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in _UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(text)  # escaped above: no "<", ">" or "&" is left


def recognition(aanpak: Detail) -> str | None:
    """The recognition in words, e.g. ``Goed onderbouwd (Movisie, 2022; geldig tot 2027)``."""
    e = aanpak.erkenning
    if e.termijn == "n.v.t.":  # no recognition: a level without a judgement
        return None
    waar = ", ".join(str(part) for part in (e.databank, e.jaar) if part)
    return f"Erkenningsniveau {e.label}" + (f" ({waar}; {e.geldigheid})" if waar else "")


def aanpak_jsonld(aanpak: Detail, urls: Urls) -> dict[str, Any]:
    """The schema.org description of one approach."""
    audience = []
    for doelgroep in aanpak.doelgroepen:
        group: dict[str, Any] = {"@type": "PeopleAudience", "audienceType": doelgroep.label}
        if aanpak.leeftijd_min is not None:
            group["suggestedMinAge"] = aanpak.leeftijd_min
        if aanpak.leeftijd_max is not None:
            group["suggestedMaxAge"] = aanpak.leeftijd_max
        audience.append(group)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "HowTo" if aanpak.stappen else "CreativeWork",
        "@id": urls.absolute(urls.aanpak(aanpak.slug)),
        "name": aanpak.naam,
        "description": aanpak.doel,
        "abstract": aanpak.omschrijving,
        "url": urls.absolute(urls.aanpak(aanpak.slug)),
        "inLanguage": "nl",
        "genre": aanpak.categorie.label,
        "audience": audience,
        "keywords": ", ".join(k.label for k in aanpak.kenmerken),
        "isBasedOn": {
            "@type": "CreativeWork",
            "name": aanpak.bron.titel,
            **({"url": aanpak.bron.url} if aanpak.bron.url else {}),
        },
        "isPartOf": {
            "@type": "DataCatalog",
            "name": "WijkWijzer",
            "url": urls.absolute(urls.listing()),
        },
    }
    if not data["keywords"]:
        del data["keywords"]
    if award := recognition(aanpak):
        data["award"] = award
    if aanpak.stappen:
        data["step"] = [
            {
                "@type": "HowToStep",
                "position": i,
                "name": stap.titel,
                "text": stap.omschrijving or stap.titel,
            }
            for i, stap in enumerate(aanpak.stappen, start=1)
        ]
    return data
