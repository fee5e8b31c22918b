"""The one catalogue query service: full text + filters + facets + sorting + paging.

The API and the pages call this and nothing else, so they can never disagree.
A request works on one *version* of the catalogue (records, facet masks and
search index of the same corpus hash): a reload is seen whole or not at all.
"""

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches

import numpy as np
from sqlalchemy import Engine

from wijkwijzer.catalogue.facets import FACET_NAMES, FACETS, FacetIndex, bits_of, mask_of
from wijkwijzer.catalogue.listing import (
    MAX_PER_PAGE,
    Facet,
    FacetWaarde,
    GeenCatalogus,
    NiveauOverzicht,
    OnbekendeAanpak,
    OngeldigeVraag,
    Resultaat,
    Sortering,
    Zoekvraag,
)
from wijkwijzer.catalogue.shapes import AanpakDetail, AanpakSamenvatting, detail, summary
from wijkwijzer.corpus.models import Aanpak, Corpus
from wijkwijzer.search import MAX_QUERY_LENGTH, SearchIndex, TextResult, document_texts
from wijkwijzer.store.database import read_corpus

HIGHLIGHT_FIELDS = ("naam", "doel")


@dataclass(frozen=True)
class Versie:
    """One complete version of the catalogue: records and facet masks of one corpus hash."""

    corpus: Corpus
    facets: FacetIndex

    @property
    def hash(self) -> str:
        return self.corpus.content_hash


class Catalogue:
    """Answers listings, details and comparisons from the current catalogue version."""

    def __init__(
        self, engine: Engine, index: SearchIndex, today: Callable[[], date] = date.today
    ) -> None:
        self.engine = engine
        self.index = index
        self.today = today
        self._versie: Versie | None = None
        self._lock = threading.Lock()

    # -- versions ---------------------------------------------------------------------

    def versie(self) -> Versie:
        """The version to answer from: the index's, once the database has it too."""
        current = self._versie
        wanted = self.index.version
        if current is not None and current.hash == wanted:
            return current
        with self._lock:
            if self._versie is not None and self._versie.hash == self.index.version:
                return self._versie
            corpus = read_corpus(self.engine)
            if corpus is not None and (
                corpus.content_hash == self.index.version or not self._versie
            ):
                self._versie = Versie(corpus, FacetIndex(corpus))
            if self._versie is None:
                raise GeenCatalogus("de catalogus is nog niet geladen: draai 'wijkwijzer load'")
            return self._versie

    def ready_hash(self) -> str | None:
        """The current version's hash if it is read already, else None; never reads it.

        For the event loop (caching middleware): reading a new version takes
        seconds for a large catalogue, and belongs in a worker thread.
        """
        current = self._versie
        if current is not None and current.hash == self.index.version:
            return current.hash
        return None

    def _versie_and_text(self, q: str) -> tuple[Versie, TextResult | None]:
        """A version and the text hits from the index of that same version."""
        versie = self.versie()
        if not q.strip():
            return versie, None
        result = self.index.search(q)
        if result.version != versie.hash:  # the index moved on mid-request: follow it once
            versie = self.versie()
            result = self.index.search(q)
        return versie, result

    # -- listing ----------------------------------------------------------------------

    def check(self, vraag: Zoekvraag, versie: Versie) -> None:
        if len(vraag.q) > MAX_QUERY_LENGTH:
            raise OngeldigeVraag(
                "q", f"de zoektekst is {len(vraag.q)} tekens; het maximum is {MAX_QUERY_LENGTH}"
            )
        for name, codes in vraag.filters.items():
            if name not in FACET_NAMES:
                raise OngeldigeVraag(name, f"onbekend filter '{name}'", FACET_NAMES)
            allowed = list(versie.facets.masks[name])
            for code in codes:
                if code not in allowed:
                    raise OngeldigeVraag(name, f"onbekende waarde '{code}' voor {name}", allowed)
        if vraag.leeftijd is not None and not 0 <= vraag.leeftijd <= 120:
            raise OngeldigeVraag("leeftijd", "leeftijd moet tussen 0 en 120 jaar liggen")
        if vraag.page < 1:
            raise OngeldigeVraag("page", "page begint bij 1")
        if not 1 <= vraag.per_page <= MAX_PER_PAGE:
            raise OngeldigeVraag("per_page", f"per_page moet tussen 1 en {MAX_PER_PAGE} liggen")

    def listing(self, vraag: Zoekvraag) -> Resultaat:
        """Answer a listing: every approach matching text and filters, one page of it."""
        self.check(vraag, self.versie())
        versie, text = self._versie_and_text(vraag.q)
        facets = versie.facets
        text_mask = facets.all
        if text is not None:
            hits = np.flatnonzero(text.by_doc)
            ordinals = facets.ordinals(text.slugs)[hits]
            text_mask = mask_of(ordinals[ordinals >= 0])
        base = text_mask & facets.age(vraag.leeftijd)
        selections = {
            spec.name: facets.selection(spec.name, vraag.filters.get(spec.name, ()))
            for spec in FACETS
        }
        matched = base
        for mask in selections.values():
            matched &= mask
        sort = vraag.effective_sort
        start = (vraag.page - 1) * vraag.per_page
        total = matched.bit_count()
        page = self._page(versie, matched, sort, text, start, vraag.per_page)
        today = self.today()
        vocabulaire = versie.corpus.vocabulaire
        shown = [facets.aanpakken[i] for i in page]
        marks = self._highlights(vraag.q, shown) if text else [None] * len(shown)
        items = [
            summary(aanpak, vocabulaire, today, mark)
            for aanpak, mark in zip(shown, marks, strict=True)
        ]
        return Resultaat(
            items=items,
            total=total,
            page=vraag.page,
            per_page=vraag.per_page,
            pages=max(1, -(-total // vraag.per_page)),
            facets=self._facets(versie, base, selections, vraag.filters),
            suggestion=text.suggestion if text else None,
            mode=text.mode if text else "all",
            sort=sort,
            version=versie.hash,
        )

    @staticmethod
    def _page(
        versie: Versie,
        matched: int,
        sort: Sortering,
        text: TextResult | None,
        start: int,
        count: int,
    ) -> list[int]:
        """The ordinals of one page of the `matched` approaches, in the order asked."""
        facets = versie.facets
        chosen = bits_of(matched, len(facets.aanpakken))
        if sort == Sortering.RELEVANTIE and text is not None:
            ordinals = facets.ordinals(text.slugs)
            in_doc_order = np.zeros(len(ordinals), np.bool_)
            known = ordinals >= 0
            in_doc_order[known] = chosen[ordinals[known]]
            docs = np.flatnonzero(in_doc_order & (text.by_doc > 0))
            best = text.best(docs, start + count)[start:]
            return [int(i) for i in ordinals[best]]
        order = facets.by_niveau if sort == Sortering.ERKENNINGSNIVEAU else facets.by_naam
        return [int(i) for i in order[chosen[order]][start : start + count]]

    def _facets(
        self,
        versie: Versie,
        base: int,
        selections: Mapping[str, int],
        chosen: Mapping[str, Sequence[str]],
    ) -> list[Facet]:
        """Disjunctive counts: each facet counted as if its own selection were absent."""
        vocabulaire = versie.corpus.vocabulaire
        result = []
        for spec in FACETS:
            others = base
            for name, mask in selections.items():
                if name != spec.name:
                    others &= mask
            selected = set(chosen.get(spec.name, ()))
            values = [
                FacetWaarde(
                    value=code,
                    label=vocabulaire.label(spec.vocab_kind, code),
                    count=(others & mask).bit_count(),
                    selected=code in selected,
                )
                for code, mask in versie.facets.masks[spec.name].items()
            ]
            result.append(Facet(name=spec.name, label=spec.label, values=values))
        return result

    def _highlights(self, q: str, aanpakken: Sequence[Aanpak]) -> list[dict[str, str] | None]:
        """The highlighted fields of each approach shown (the query is planned once)."""
        texts = [getattr(a, name) for a in aanpakken for name in HIGHLIGHT_FIELDS]
        marked = iter(self.index.highlight_all(q, texts))
        return [{name: next(marked) for name in HIGHLIGHT_FIELDS} for _ in aanpakken]

    # -- single records -----------------------------------------------------------------

    def get(self, slug: str) -> AanpakDetail | None:
        """Every field of one approach, with 3–5 related approaches."""
        versie = self.versie()
        aanpak = versie.facets.by_slug(slug)
        if aanpak is None:
            return None
        today, vocabulaire = self.today(), versie.corpus.vocabulaire
        text = "\n".join(document_texts(aanpak, vocabulaire).values())
        related = [
            summary(other, vocabulaire, today)
            for other_slug in self.index.related(slug, text)
            if (other := versie.facets.by_slug(other_slug)) is not None
        ]
        return detail(aanpak, vocabulaire, today, related)

    def close_matches(self, slug: str, limit: int = 3) -> list[AanpakSamenvatting]:
        """Approaches whose slug or name resembles `slug` (for a 404)."""
        versie = self.versie()
        facets = versie.facets
        by_key: dict[str, Aanpak] = {}
        for i in facets.resembling(slug):
            aanpak = facets.aanpakken[i]
            by_key.setdefault(aanpak.slug, aanpak)
            by_key.setdefault(aanpak.naam.casefold(), aanpak)
        keys = get_close_matches(slug.casefold(), list(by_key), n=limit * 2, cutoff=0.5)
        seen: dict[str, AanpakSamenvatting] = {}
        for key in keys:
            aanpak = by_key[key]
            if aanpak.slug not in seen:
                seen[aanpak.slug] = summary(aanpak, versie.corpus.vocabulaire, self.today())
        return list(seen.values())[:limit]

    def ladder(self) -> list[NiveauOverzicht]:
        """The recognition ladder in order (strongest first), with counts and approaches."""
        versie = self.versie()
        vocabulaire, today = versie.corpus.vocabulaire, self.today()
        result = []
        for niveau in sorted(vocabulaire.erkenningsniveaus, key=lambda n: -n.rang):
            items = [
                summary(versie.facets.aanpakken[i], vocabulaire, today)
                for i in versie.facets.by_niveau.tolist()
                if versie.facets.aanpakken[i].erkenning.niveau == niveau.code
            ]
            result.append(
                NiveauOverzicht(
                    **niveau.model_dump(mode="json"),
                    count=len(items),
                    slugs=[a.slug for a in items],
                    verlopen=[a.slug for a in items if a.erkenning.status == "verlopen"],
                    aanpakken=items,
                )
            )
        return result

    def compare(self, slugs: Sequence[str]) -> list[AanpakDetail]:
        """2–4 approaches, in the order asked, for a side-by-side comparison."""
        if not 2 <= len(slugs) <= 4:
            raise OngeldigeVraag("slug", f"vergelijk 2 tot 4 aanpakken, niet {len(slugs)}")
        details = []
        for slug in slugs:
            found = self.get(slug)
            if found is None:
                raise OnbekendeAanpak(slug, [a.slug for a in self.close_matches(slug)])
            details.append(found)
        return details
