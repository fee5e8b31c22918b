"""Where the shipped resources (corpus, vocabularies, templates) live.

An installed wheel carries them inside the package; a checkout keeps them at
the repository's top level. Paths are resolved from this file, never from the
working directory.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def resource_dir(name: str) -> Path:
    """Return the directory `name` (``data`` or ``templates``), installed or checkout."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _CHECKOUT_ROOT / name


def is_checkout() -> bool:
    """True when running from a source checkout (the corpus sits beside ``src/``)."""
    return (_CHECKOUT_ROOT / "pyproject.toml").is_file() and (_CHECKOUT_ROOT / "data").is_dir()


def default_state_dir() -> Path:
    """Default home of database and index: ``var/`` in a checkout, else the user's data dir."""
    if is_checkout():
        return _CHECKOUT_ROOT / "var"
    return Path.home() / ".local" / "share" / "wijkwijzer"
