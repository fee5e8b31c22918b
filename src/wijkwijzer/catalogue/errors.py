"""The ways a question to the catalogue can fail, each with a Dutch message.

The store's own failures reach the faces (web, CLI) by these names: they never
import the store themselves. ``DatabaseOnbereikbaar``: the database cannot be
reached (a 503 while serving); ``OngeldigeDatabaseUrl``: WIJKWIJZER_DATABASE_URL is
no database URL.
"""

from collections.abc import Sequence

from wijkwijzer.store.database import shown_url
from wijkwijzer.store.errors import DatabaseOnbereikbaar, OngeldigeDatabaseUrl

__all__ = [
    "DatabaseOnbereikbaar",
    "GeenCatalogus",
    "OnbekendeAanpak",
    "OngeldigeDatabaseUrl",
    "OngeldigeVraag",
    "shown_url",
]


class OngeldigeVraag(ValueError):
    """A request the catalogue cannot answer; names the parameter and what is allowed."""

    def __init__(self, parameter: str, message: str, allowed: Sequence[str] = ()) -> None:
        self.parameter = parameter
        self.allowed = list(allowed)
        super().__init__(message)


class OnbekendeAanpak(LookupError):
    """No approach has this slug; carries close matches."""

    def __init__(self, slug: str, suggesties: Sequence[str]) -> None:
        self.slug, self.suggesties = slug, list(suggesties)
        hint = f" Bedoelde u: {', '.join(self.suggesties)}?" if self.suggesties else ""
        super().__init__(f"Er is geen aanpak '{slug}'.{hint}")


class GeenCatalogus(RuntimeError):
    """Nothing has been loaded yet (run `wijkwijzer load`)."""
