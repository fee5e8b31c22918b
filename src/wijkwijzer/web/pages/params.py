"""The parameters of the pages: a listing URL read leniently, the slugs of a comparison.

Every state of the search page is a GET URL with the API's parameters (``q``,
the facets, ``leeftijd``, ``sort``, ``page``, ``per_page``) and the approaches
ticked for comparison (``vergelijk``, repeated: no part of the question). Reading
one builds the catalogue's question (``Zoekvraag``), the model the API validates
with; a value it rejects is dropped with a Dutch message, so a mistyped bookmark
still shows results instead of an error.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wijkwijzer.catalogue.comparison import MAX_VERGELIJK
from wijkwijzer.catalogue.errors import OngeldigeVraag
from wijkwijzer.catalogue.facets import FACET_NAMES, FACETS
from wijkwijzer.catalogue.question import Sortering, Zoekvraag, bounds, ongeldig
from wijkwijzer.corpus.fields import SLUG_PATTERN
from wijkwijzer.web.urls import KEUZE, Query

QUESTION_KEYS = ("q", *FACET_NAMES, "leeftijd", "alleen_met_leeftijd", "sort", "page", "per_page")
LISTING_KEYS = (*QUESTION_KEYS, KEUZE)
REPEATABLE = (*FACET_NAMES, KEUZE)
SLUG = re.compile(SLUG_PATTERN)
NUMBERS = {"leeftijd": "Leeftijd", "page": "Pagina", "per_page": "Aantal per pagina"}
FACET_LABELS = {spec.name: spec.label.lower() for spec in FACETS}


@dataclass(frozen=True)
class Listing:
    """A cleaned listing request: the query as shown in links, the question, the messages.

    `fout` is a problem no page of results can get around (a search text that
    is too long): the page explains it instead of answering.
    """

    query: Query
    vraag: Zoekvraag
    meldingen: tuple[str, ...] = field(default=())
    fout: OngeldigeVraag | None = None


def parse_listing(items: Iterable[tuple[str, str]]) -> Listing:
    """Read the query parameters of ``/``; drop what is unusable and say so in Dutch."""
    kept: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    single: dict[str, str] = {}
    for name, raw in items:
        value = raw.strip()
        if name not in LISTING_KEYS or not value or (name, value) in seen:
            continue
        if name == KEUZE and not SLUG.match(value):
            continue
        if name not in REPEATABLE:
            if name in single:
                continue
            single[name] = value
        seen.add((name, value))
        kept.append((name, value))
    kept, te_veel = _keuze(kept)
    try:
        vraag = Zoekvraag.model_validate(_data(kept))
        return Listing(Query(tuple(kept)), vraag, te_veel)
    except ValidationError as exc:
        errors = exc.errors()
    unusable, meldingen = _unusable(errors, single)
    meldingen += te_veel
    kept = [pair for pair in kept if pair not in unusable]
    # A search text that is too long is no value to drop but a page that explains it;
    # the links keep the text as it was asked.
    fout = next((ongeldig(e) for e in errors if e["loc"] == ("q",)), None)
    asked = [pair for pair in kept if fout is None or pair[0] != "q"]
    vraag = Zoekvraag.model_validate(_data(asked))
    return Listing(Query(tuple(kept)), vraag, tuple(meldingen), fout)


def _keuze(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """At most ``MAX_VERGELIJK`` approaches ticked for comparison: the first ones ticked."""
    ticked = [v for k, v in pairs if k == KEUZE]
    if len(ticked) <= MAX_VERGELIJK:
        return pairs, ()
    dropped = set(ticked[MAX_VERGELIJK:])
    kept = [(k, v) for k, v in pairs if k != KEUZE or v not in dropped]
    names = ", ".join(ticked[MAX_VERGELIJK:])
    return kept, (
        f"U kunt tot {MAX_VERGELIJK} aanpakken tegelijk vergelijken; niet bewaard: {names}.",
    )


def canonical(listing: Listing) -> Query:
    """The one URL of a listing's state: parameters in a fixed order, facet values sorted,
    defaults left out (``page=1``, the default ``per_page`` and sort order), and without
    the approaches ticked for comparison."""
    vraag = listing.vraag
    default_sort = Sortering.RELEVANTIE if vraag.q.strip() else Sortering.NAAM
    defaults = {
        ("page", "1"),
        ("per_page", str(Zoekvraag.model_fields["per_page"].default)),
        ("sort", default_sort.value),
        ("alleen_met_leeftijd", "false"),
    }
    if not vraag.q.strip():
        defaults.add(("sort", Sortering.RELEVANTIE.value))  # without a text: sorted by name
    pairs = [p for p in listing.query.without(KEUZE).pairs if p not in defaults]
    return Query(tuple(sorted(pairs, key=lambda p: (QUESTION_KEYS.index(p[0]), p[1]))))


def _data(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {k: v for k, v in pairs if k not in REPEATABLE}
    for name in FACET_NAMES:
        data[name] = [v for k, v in pairs if k == name]
    return data


def _unusable(
    errors: list[ErrorDetails], single: dict[str, str]
) -> tuple[set[tuple[str, str]], list[str]]:
    """The pairs the question rejected, and a message for each parameter (in a fixed order)."""
    wrong = {str(e["loc"][0]) for e in errors}
    unusable: set[tuple[str, str]] = set()
    meldingen: list[str] = []
    for name, what in NUMBERS.items():
        if name in wrong:
            low, high = bounds(name)
            unusable.add((name, single[name]))
            meldingen.append(
                f"{what} moet een geheel getal van {low} tot {high} zijn; "
                f"{single[name]!r} is genegeerd."
            )
    if "alleen_met_leeftijd" in wrong:
        unusable.add(("alleen_met_leeftijd", single["alleen_met_leeftijd"]))
        meldingen.append(
            "Alleen met leeftijdsgrens kan aan (true) of uit (false); "
            f"{single['alleen_met_leeftijd']!r} is genegeerd."
        )
    if "sort" in wrong:
        unusable.add(("sort", single["sort"]))
        meldingen.append(f"Sorteren op {single['sort']!r} kan niet; gesorteerd zoals standaard.")
    for name in FACET_NAMES:
        unknown = [str(e["input"]) for e in errors if e["loc"][0] == name]
        if unknown:
            unusable.update((name, value) for value in unknown)
            meldingen.append(
                f"Het filter {FACET_LABELS[name]} kent de waarde "
                f"{', '.join(repr(v) for v in unknown)} niet; die is weggelaten."
            )
    return unusable, meldingen


def compare_slugs(values: Iterable[str]) -> list[str]:
    """The slugs of a comparison, in the order asked, each once."""
    return list(dict.fromkeys(s.strip() for s in values if s))
