"""The API's parameters: the listing's question is the catalogue's model, the rest are here.

A listing takes ``Zoekvraag`` (one page) or ``Filtervraag`` (the CSV: all
pages) as its query model, so the API validates exactly what the pages and the
CLI build; the parameters documented in the OpenAPI document come from there.
"""

from typing import Annotated

from fastapi import Path, Query

from wijkwijzer.catalogue.comparison import MAX_VERGELIJK, MIN_VERGELIJK
from wijkwijzer.catalogue.question import Filtervraag, Zoekvraag

ListingParams = Annotated[Zoekvraag, Query()]
FilterParams = Annotated[Filtervraag, Query()]

SlugPath = Annotated[
    str, Path(max_length=200, description="De slug van de aanpak.", examples=["buurtcirkel"])
]

CompareSlugs = Annotated[
    list[str],
    Query(
        min_length=MIN_VERGELIJK,
        max_length=MAX_VERGELIJK,
        description=f"{MIN_VERGELIJK} tot {MAX_VERGELIJK} verschillende slugs, in de gewenste "
        "volgorde.",
        examples=[["buurtcirkel", "resto-vanharte"]],
        json_schema_extra={"uniqueItems": True},
    ),
]
