"""The code shows its architecture: packages by layer, and the search package's one face.

The layers themselves are an import-linter contract (pyproject.toml, run by
``make lint`` and ``make test``); these tests guard what it cannot express.
"""

import ast
from pathlib import Path

from wijkwijzer.config import PACKAGE_DIR

LAYERS = {"corpus", "store", "search", "catalogue", "web", "cli"}
MAX_ENTRIES = 10


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_package_shows_its_layers() -> None:
    entries = {p.name for p in PACKAGE_DIR.iterdir() if p.name != "__pycache__"}
    assert len(entries) <= MAX_ENTRIES, sorted(entries)
    assert entries >= LAYERS
    loose = {e for e in entries if e.endswith(".py")} - {"__init__.py", "config.py"}
    assert loose == set(), "modules belong in a layer package"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def test_only_the_search_package_reaches_past_its_face() -> None:
    """Everything outside wijkwijzer.search imports ``wijkwijzer.search`` itself only."""
    search_dir = PACKAGE_DIR / "search"
    submodules = {f"wijkwijzer.search.{p.stem}" for p in search_dir.glob("*.py")} - {
        "wijkwijzer.search.__init__"
    }
    offenders = [
        f"{path.relative_to(PACKAGE_DIR)}:{line}: {name}"
        for path in _modules(PACKAGE_DIR)
        if search_dir not in path.parents
        for line, name in _imported_modules(path)
        if name in submodules
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    """One concern per module: a module past 400 lines holds two."""
    long = {
        str(p.relative_to(PACKAGE_DIR)): n
        for p in _modules(PACKAGE_DIR)
        if (n := len(p.read_text("utf-8").splitlines())) > 400
    }
    assert long == {}
