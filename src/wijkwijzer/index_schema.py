"""The Whoosh schema of the search index, and the document written for each approach."""

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from wijkwijzer.analysis import fold
from wijkwijzer.corpus import Aanpak
from wijkwijzer.vocab import Vocabulaire

# Text fields searched, with their boosts (the name weighs most).
TEXT_FIELDS: Mapping[str, float] = MappingProxyType(
    {
        "naam": 5.0,
        "doel": 2.0,
        "doelgroep": 2.0,
        "trefwoorden": 1.5,
        "omschrijving": 1.0,
        "stappen": 1.0,
        "uitvoerders": 0.5,
    }
)
RELATED_FIELD = "alles"  # every text field together, with term vectors
TAG_FIELDS = ("doelgroepen", "kenmerken")  # the tags more-like-this compares


def make_schema(analyzer: Any) -> Schema:
    """The index schema; `analyzer` is pickled into it."""
    text_fields = {
        name: TEXT(analyzer=analyzer, field_boost=boost, spelling=True)
        for name, boost in TEXT_FIELDS.items()
    }
    return Schema(
        slug=ID(stored=True, unique=True),
        **text_fields,
        alles=TEXT(analyzer=analyzer, phrase=False, vector=True),
        categorie=ID(stored=True),
        vorm=ID(stored=True),
        erkenningsniveau=ID(stored=True),
        doelgroepen=KEYWORD(stored=True, commas=True, lowercase=True),
        kenmerken=KEYWORD(stored=True, commas=True, lowercase=True),
        werkzame_elementen=KEYWORD(stored=True, commas=True, lowercase=True),
        leeftijd_min=NUMERIC(int, stored=True),
        leeftijd_max=NUMERIC(int, stored=True),
    )


def document_texts(aanpak: Aanpak, vocabulaire: Vocabulaire) -> dict[str, str]:
    """The text of each text field; tags are searchable by their Dutch labels."""
    labels = [vocabulaire.label("doelgroepen", c) for c in aanpak.doelgroepen]
    labels += [vocabulaire.label("kenmerken", c) for c in aanpak.kenmerken]
    labels += [vocabulaire.label("werkzame_elementen", c) for c in aanpak.werkzame_elementen]
    labels += [
        vocabulaire.label("vormen", aanpak.vorm),
        vocabulaire.label("categorieen", aanpak.categorie),
    ]
    labels += [aanpak.vorm_omschrijving] if aanpak.vorm_omschrijving else []
    stappen = [" ".join(p for p in (s.label, s.titel, s.omschrijving) if p) for s in aanpak.stappen]
    return {
        "naam": aanpak.naam,
        "doel": aanpak.doel,
        "doelgroep": aanpak.doelgroep,
        "trefwoorden": "\n".join(labels),
        "omschrijving": aanpak.omschrijving,
        "stappen": "\n".join(stappen),
        "uitvoerders": aanpak.uitvoerders,
    }


def document(aanpak: Aanpak, texts: dict[str, str]) -> dict[str, Any]:
    """The index document of `aanpak`, with its `texts` (see ``document_texts``)."""
    doc: dict[str, Any] = {
        "slug": aanpak.slug,
        **texts,
        RELATED_FIELD: "\n".join(texts.values()),
        "categorie": aanpak.categorie.value,
        "vorm": aanpak.vorm.value,
        "erkenningsniveau": aanpak.erkenning.niveau.value,
        "doelgroepen": ",".join(aanpak.doelgroepen),
        "kenmerken": ",".join(aanpak.kenmerken),
        "werkzame_elementen": ",".join(aanpak.werkzame_elementen),
    }
    for name in ("leeftijd_min", "leeftijd_max"):
        if getattr(aanpak, name) is not None:
            doc[name] = getattr(aanpak, name)
    return doc


def word_forms(texts: Iterable[str]) -> dict[str, str]:
    """Accent-folded word -> the form with accents as written (for suggestions)."""
    forms: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"[^\W\d_]+", text.lower()):
            word = match.group()
            if not word.isascii():
                forms.setdefault(fold(word), word)
    return forms
