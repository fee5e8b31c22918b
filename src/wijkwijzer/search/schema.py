"""The Whoosh schema of the search index, and the document written for each approach."""

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Positions

from wijkwijzer.corpus.models import Aanpak
from wijkwijzer.corpus.text import fold
from wijkwijzer.corpus.vocabulary import Vocabulaire
from wijkwijzer.search.analysis import DutchAnalyzer
from wijkwijzer.search.memo import AnalysedText

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
        "evaluatie": 0.5,
    }
)
TAG_FIELDS = ("doelgroepen", "kenmerken")  # the tags more-like-this compares
KEYWORD_FIELDS = (*TAG_FIELDS, "werkzame_elementen")


def tags_of(aanpak: Aanpak, name: str) -> list[str]:
    """The codes of keyword field `name` of `aanpak`, lower case (as the index holds them)."""
    return [str(code).lower() for code in getattr(aanpak, name)]


_LETTERS = re.compile(r"[^\W\d_]+")
_ONE_POSITION: dict[int, bytes] = {}  # most terms stand once in a text


class DutchText(TEXT):  # type: ignore[misc]
    """A TEXT field that indexes with ``DutchAnalyzer.positions``, without tokens.

    It writes exactly the postings TEXT writes (term, frequency, weight and
    positions); it only skips building a Token per word. Other analyzers and
    options go through TEXT. The schema pickles this class: keep it here,
    under this name.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        analyzer, fmt = self.analyzer, self.format
        fast = isinstance(analyzer, DutchAnalyzer) and type(fmt) is Positions and not kwargs
        if isinstance(value, AnalysedText) and fast:
            return _postings(value, fmt)
        if not fast or not isinstance(value, str):
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        return _postings(analyzer.positions(value), fmt)


def _postings(analysed: Mapping[str, list[int]], fmt: Any) -> list[tuple[bytes, int, float, bytes]]:
    """Whoosh's postings of an analysed text: term, frequency, weight, encoded positions."""
    boost: float = fmt.field_boost
    postings = []
    for term, at in analysed.items():
        if len(at) == 1:
            encoded = _ONE_POSITION.get(at[0])
            if encoded is None:
                encoded = _ONE_POSITION[at[0]] = fmt.encode(at)
        else:
            encoded = fmt.encode(at)
        postings.append((term.encode("utf-8"), len(at), float(len(at)) * boost, encoded))
    return postings


def make_schema(analyzer: Any) -> Schema:
    """The index schema; `analyzer` is pickled into it.

    Spelling suggestions come from a word list the build writes beside the
    index (see ``wijkwijzer.spelling``), not from Whoosh's spelling fields.
    """
    text_fields = {
        name: DutchText(analyzer=analyzer, field_boost=boost) for name, boost in TEXT_FIELDS.items()
    }
    return Schema(
        slug=ID(stored=True, unique=True),
        **text_fields,
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
        "evaluatie": aanpak.evaluatie or "",
    }


def document(aanpak: Aanpak, texts: Mapping[str, str | AnalysedText]) -> dict[str, Any]:
    """The index document of `aanpak`, with its `texts` (``document_texts``, or analysed)."""
    doc: dict[str, Any] = {
        "slug": aanpak.slug,
        **texts,
        "categorie": aanpak.categorie.value,
        "vorm": aanpak.vorm.value,
        "erkenningsniveau": aanpak.erkenning.niveau.value,
        **{name: ",".join(tags_of(aanpak, name)) for name in KEYWORD_FIELDS},
    }
    for name in ("leeftijd_min", "leeftijd_max"):
        if getattr(aanpak, name) is not None:
            doc[name] = getattr(aanpak, name)
    return doc


def word_forms(texts: Iterable[str]) -> dict[str, str]:
    """Accent-folded word -> the form with accents as written (for suggestions)."""
    forms: dict[str, str] = {}
    seen: set[str] = set()
    for text in texts:
        lowered = text.lower()
        if lowered.isascii():
            continue
        for word in _LETTERS.findall(lowered):
            if word not in seen and not word.isascii():
                seen.add(word)
                forms.setdefault(fold(word), word)
    return forms
