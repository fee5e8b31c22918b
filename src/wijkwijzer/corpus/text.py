"""Text rules every layer shares: accent folding, the one place it is defined."""

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
