"""Text rules every layer shares: accent folding, the one place it is defined."""

import re
import unicodedata


def fold(text: str) -> str:
    """Remove accents: geëvalueerd -> geevalueerd, café -> cafe."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_key(text: str) -> str:
    """Dutch-friendly alphabetical key: accents folded, case ignored."""
    return fold(text).casefold()


# A web address as sources write it: a host name with a known top-level domain, and an
# optional path ("movisie.nl/interventie/buurtcirkel"); an elided one ("movisie.nl/…")
# is no address.
WEB_ADDRESS = re.compile(
    r"(?<![\w@./-])(?:https?://)?((?:[a-z0-9-]+\.)+(?:nl|org|com|eu|net|be|info)"
    r"(?:/[^\s;,()<>\"'…]*[^\s;,()<>\"'.…])?)(?![\w@/…-])",
    re.IGNORECASE,
)


def text_with_links(text: str) -> list[tuple[str, str | None]]:
    """`text` cut into parts, each with the https address it names (None for plain text)."""
    parts: list[tuple[str, str | None]] = []
    at = 0
    for found in WEB_ADDRESS.finditer(text):
        if found.start() > at:
            parts.append((text[at : found.start()], None))
        parts.append((found.group(0), "https://" + found.group(1)))
        at = found.end()
    if at < len(text):
        parts.append((text[at:], None))
    return parts


def web_addresses(text: str) -> list[str]:
    """The https addresses `text` names, in order, each once."""
    return list(dict.fromkeys(url for _, url in text_with_links(text) if url))
