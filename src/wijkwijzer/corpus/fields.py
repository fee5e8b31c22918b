"""Reusable constrained field types for the corpus models."""

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints
from pydantic import BaseModel as _BaseModel

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# The longest text of one field (characters): the longest in the corpus is a few
# thousand; a longer one is a mistake, or a page that would take seconds to serve.
MAX_TEXT_LENGTH = 20_000


class StrictModel(_BaseModel):
    """Corpus records: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def _http_url(value: str) -> str:
    if _SPACE_OR_CONTROL.search(value):
        raise ValueError(f"ongeldige URL {value!r}: bevat spaties of stuurtekens")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"ongeldige URL {value!r}: alleen http:// of https:// is toegestaan")
    if not parts.hostname or "." not in parts.hostname:
        raise ValueError(f"ongeldige URL {value!r}: geen geldige host")
    return value


def _not_future(value: int) -> int:
    this_year = date.today().year
    if value > this_year:
        raise ValueError(f"jaar {value} ligt in de toekomst (het is nu {this_year})")
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH)
]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
HttpUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_LENGTH),
    AfterValidator(_http_url),
]
Year = Annotated[int, Field(strict=True, ge=1950), AfterValidator(_not_future)]
Age = Annotated[int, Field(strict=True, ge=0, le=120)]
