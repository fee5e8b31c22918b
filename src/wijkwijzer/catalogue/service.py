"""The one catalogue query service: full text + filters + facets + sorting + paging.

The API, the pages and the CLI open it with ``open_catalogue`` and ask it, and
nothing else, so they can never disagree. A request works on one *version* of
the catalogue (records, facet masks and search index of the same corpus hash):
a reload is seen whole or not at all.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date
from difflib import get_close_matches
from types import TracebackType
from typing import NamedTuple

import numpy as np
from sqlalchemy import Engine

from wijkwijzer.catalogue import recognition
from wijkwijzer.catalogue.answers import Gezondheid, Resultaat, Trede
from wijkwijzer.catalogue.changes import MAX_WIJZIGINGEN, Wijzigingen, gefilterd, wijzigingen
from wijkwijzer.catalogue.comparison import MAX_VERGELIJK, MIN_VERGELIJK
from wijkwijzer.catalogue.errors import (
    DatabaseOnbereikbaar,
    GeenCatalogus,
    OnbekendeAanpak,
    OngeldigeVraag,
)
from wijkwijzer.catalogue.facets import FACETS, FacetIndex, mask_of
from wijkwijzer.catalogue.outage import Outage
from wijkwijzer.catalogue.question import Filtervraag, Zoekvraag
from wijkwijzer.catalogue.records import Detail, Samenvatting, detail, summary
from wijkwijzer.catalogue.version import Versie
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import Aanpak
from wijkwijzer.search import SearchIndex, TextResult, document_texts
from wijkwijzer.store.database import make_engine, read_stored, stored_version

HIGHLIGHT_FIELDS = ("naam", "doel")

log = logging.getLogger("wijkwijzer.catalogue")


class Selectie(NamedTuple):
    """What a listing's text and filters select in one version (masks of ordinals)."""

    versie: Versie
    text: TextResult | None
    base: int  # text and age
    selections: dict[str, int]  # per facet
    matched: int  # all of them


def open_catalogue(settings: Settings) -> "Catalogue":
    """The catalogue of `settings`: its database and its search index, opened but not read.

    The one way to get a catalogue (the app's lifespan, ``wijkwijzer search``);
    ``close()`` it when done, or use it as a context manager.
    """
    engine = make_engine(settings.database_url)
    index = SearchIndex(settings.index_path, cache_mb=settings.search_cache_mb)
    return Catalogue(engine, index, today=settings.today)


class Catalogue:
    """Answers listings, details, comparisons and changes from the current catalogue version."""

    def __init__(
        self, engine: Engine, index: SearchIndex, today: Callable[[], date] = date.today
    ) -> None:
        self.engine = engine
        self.index = index
        self.today = today
        self._versie: Versie | None = None
        self._lock = threading.Lock()
        self.outage = Outage()

    def close(self) -> None:
        self.index.close()
        self.engine.dispose()

    def __enter__(self) -> "Catalogue":
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def health(self) -> Gezondheid:
        """The versions in the database, the index and the answers: one read, never the corpus."""
        index = self.index.version
        try:
            with self.outage.watch():
                stand = stored_version(self.engine)
        except DatabaseOnbereikbaar:  # logged once per outage, by `outage`
            return Gezondheid(status="fout", corpus=None, index=index, version=self._serving(None))
        corpus = stand.hash if stand else None
        status = "leeg" if corpus is None else "ok" if corpus == index else "ongelijk"
        return Gezondheid(
            status=status,
            corpus=corpus,
            index=index,
            version=self._serving(corpus),
            achter_sinds=stand.geladen_op if stand and status == "ongelijk" else None,
        )

    def _serving(self, stored: str | None) -> str | None:
        """The version the next answer comes from (``versie``'s choice, without reading it)."""
        index, current = self.index.version, self._versie
        if index is not None and (
            index == stored or (current is not None and current.hash == index)
        ):
            return index
        return current.hash if current else None

    def warm(self) -> None:
        """Read the catalogue before the first request (an empty database is no error)."""
        try:
            self.versie()
        except GeenCatalogus:
            log.info("nog geen catalogus geladen: draai 'wijkwijzer load'")
        except DatabaseOnbereikbaar:
            pass  # logged by `outage`; requests that need the database get 503 until it is back
        except Exception:
            log.exception("de catalogus kon bij het starten niet worden gelezen")

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
            with self.outage.watch():
                stored = read_stored(self.engine)
            if stored is not None and (
                stored.corpus.content_hash == self.index.version or not self._versie
            ):
                corpus = stored.corpus
                facets = FacetIndex(corpus)
                facets.op(self.today())  # today's validity, once, not in the first request
                self._versie = Versie(corpus, facets, stored.historie)
            if self._versie is None:
                raise GeenCatalogus("de catalogus is nog niet geladen: draai 'wijkwijzer load'")
            return self._versie

    def ready(self) -> bool:
        """Whether the current version is read, in the catalogue and in the index: an answer
        then takes a millisecond or so, no reading (for the event loop, ``web/inline.py``)."""
        return self.ready_key() is not None and self.index.is_open()

    def ready_key(self) -> str | None:
        """The current version's key if it is read already, else None; never reads it.

        For the event loop (caching middleware): reading a new version takes
        seconds for a large catalogue, and belongs in a worker thread. The key is
        the corpus hash and the time of the newest change (``Versie.key``): a
        corpus that comes back after a change has the hash it had, but not the key.
        """
        current = self._versie
        if current is not None and current.hash == self.index.version:
            return current.key
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

    def _select(self, vraag: Filtervraag, today: date) -> Selectie:
        """The approaches matching the text and filters of `vraag`, of one version."""
        versie, text = self._versie_and_text(vraag.q)
        filters = vraag.filters
        facets = versie.facets
        text_mask = facets.all
        if text is not None:
            hits = np.flatnonzero(text.by_doc)
            ordinals = facets.ordinals(text.slugs)[hits]
            text_mask = mask_of(ordinals[ordinals >= 0])
        base = text_mask & facets.age(vraag.leeftijd, vraag.alleen_met_leeftijd)
        selections = {
            spec.name: facets.selection(spec.name, filters.get(spec.name, ()), today)
            for spec in FACETS
        }
        matched = base
        for mask in selections.values():
            matched &= mask
        return Selectie(versie, text, base, selections, matched)

    def listing(self, vraag: Zoekvraag) -> Resultaat:
        """Answer a listing: every approach matching text and filters, one page of it.

        `vraag` is valid by construction (a ``Zoekvraag``): it is not checked again.
        """
        today = self.today()
        versie, text, base, selections, matched = self._select(vraag, today)
        filters, facets = vraag.filters, versie.facets
        sort = vraag.effective_sort
        start = (vraag.page - 1) * vraag.per_page
        total = matched.bit_count()
        page = versie.page(matched, sort, text, start, vraag.per_page, today)
        shown = [facets.aanpakken[i] for i in page]
        marks = self._highlights(vraag.q, shown) if text else [None] * len(shown)
        items = [versie.summary(i, today, mark) for i, mark in zip(page, marks, strict=True)]
        return Resultaat(
            items=items,
            total=total,
            page=vraag.page,
            per_page=vraag.per_page,
            pages=max(1, -(-total // vraag.per_page)),
            facets=versie.facet_counts(base, selections, filters, today),
            zonder_leeftijd=(matched & facets.zonder_leeftijd).bit_count(),
            peildatum=today,
            suggestion=text.suggestion if text else None,
            mode=text.mode if text else "all",
            zoekstappen=list(text.steps) if text else [],
            niet_gevonden=list(text.missing) if text else [],
            gesplitst=list(text.split) if text else [],
            sort=sort,
            version=versie.hash,
        )

    def _highlights(self, q: str, aanpakken: Sequence[Aanpak]) -> list[dict[str, str] | None]:
        """The highlighted fields of each approach shown (the query is planned once)."""
        texts = [getattr(a, name) for a in aanpakken for name in HIGHLIGHT_FIELDS]
        marked = iter(self.index.highlight_all(q, texts))
        return [{name: next(marked) for name in HIGHLIGHT_FIELDS} for _ in aanpakken]

    def changes(self, vraag: Filtervraag, limit: int = MAX_WIJZIGINGEN) -> Wijzigingen:
        """The newest changes of the approaches matching `vraag` (its sort is not used).

        Removed approaches are among them only when `vraag` sets no filter: they
        have no record left to filter on (``catalogue/changes.py``).
        """
        found = self._select(vraag, self.today())
        return wijzigingen(found.versie, found.matched, gefilterd(vraag), limit)

    # -- single records -----------------------------------------------------------------

    def get(self, slug: str) -> Detail | None:
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
        historie = versie.historie.get(slug)
        return detail(aanpak, vocabulaire, today, related, historie)

    def close_matches(self, slug: str, limit: int = 3) -> list[Samenvatting]:
        """Approaches whose slug or name resembles `slug` (for a 404)."""
        versie = self.versie()
        facets = versie.facets
        by_key: dict[str, Aanpak] = {}
        for i in facets.resembling(slug):
            aanpak = facets.aanpakken[i]
            by_key.setdefault(aanpak.slug, aanpak)
            by_key.setdefault(aanpak.naam.casefold(), aanpak)
        keys = get_close_matches(slug.casefold(), list(by_key), n=limit * 2, cutoff=0.5)
        seen: dict[str, Samenvatting] = {}
        for key in keys:
            aanpak = by_key[key]
            if aanpak.slug not in seen:
                seen[aanpak.slug] = summary(aanpak, versie.corpus.vocabulaire, self.today())
        return list(seen.values())[:limit]

    def ladder(self) -> list[Trede]:
        """The recognition ladder in order (strongest first), with counts and approaches."""
        return recognition.ladder(self.versie(), self.today())

    def overzicht(self) -> recognition.Overzicht:
        """How many recognitions hold on the peildatum, and where none does."""
        return recognition.overzicht(self.versie(), self.today())

    def compare(self, slugs: Sequence[str]) -> list[Detail]:
        """2–4 approaches, in the order asked, for a side-by-side comparison."""
        if not MIN_VERGELIJK <= len(slugs) <= MAX_VERGELIJK:
            wanted = f"{MIN_VERGELIJK} tot {MAX_VERGELIJK}"
            raise OngeldigeVraag("slug", f"vergelijk {wanted} aanpakken, niet {len(slugs)}")
        twice = sorted({s for s in slugs if slugs.count(s) > 1})
        if twice:
            named = ", ".join(f"'{s}'" for s in twice)
            staat = "staat" if len(twice) == 1 else "staan"
            raise OngeldigeVraag(
                "slug", f"{named} {staat} er meer dan eens in; vergelijk verschillende aanpakken"
            )
        details = []
        for slug in slugs:
            found = self.get(slug)
            if found is None:
                raise OnbekendeAanpak(slug, [a.slug for a in self.close_matches(slug)])
            details.append(found)
        return details
