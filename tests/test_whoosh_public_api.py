"""The application uses Whoosh through its public API only.

Whoosh is unmaintained and pinned to a compatible range, not one release: a
private name (one starting with ``_``) may change in any release of that range.
This scans ``src/`` with ``ast`` and fails on any private use of Whoosh:

* an import of a private name from whoosh, or of a private whoosh module;
* ``x._name`` (not ``self``/``cls``, not a dunder) where whoosh defines ``_name``
  anywhere (a ``def``, a ``self._name =``, a class or module level ``_name =``),
  and the same names through ``getattr``/``hasattr``/``setattr``/``delattr``;
* a method ``def _name`` in a subclass of a whoosh class that a whoosh base defines.
"""

import ast
import builtins
import importlib
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import whoosh

from wijkwijzer.config import PACKAGE_DIR

WHOOSH_DIR = Path(whoosh.__file__).parent
ATTRIBUTE_FUNCTIONS = {"getattr", "hasattr", "setattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def whoosh_private_names() -> frozenset[str]:
    """Every private name the installed whoosh package defines, from its own source."""
    names: set[str] = set()
    for path in WHOOSH_DIR.rglob("*.py"):
        with warnings.catch_warnings():  # old escapes in whoosh's vendored pyparsing
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                body = node.body if isinstance(node, ast.ClassDef) else []
                names.update(_assigned_names(body))
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            ):
                names.add(node.attr)
        names.update(_assigned_names(tree.body))
    return frozenset(n for n in names if _private(n))


def _assigned_names(body: list[ast.stmt]) -> Iterator[str]:
    for stmt in body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign | ast.AugAssign):
            targets = [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    yield node.id


def _whoosh_imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted whoosh path, for the imports of a module."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            found.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "whoosh":
                    local = alias.asname or alias.name.split(".")[0]
                    found[local] = alias.name if alias.asname else local
    return found


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _whoosh_class(path: str) -> type | None:
    """The whoosh class a dotted path names (None when it names none)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part, None)
        return obj if isinstance(obj, type) else None
    return None


def _base_private_names(base: ast.expr, imports: dict[str, str]) -> set[str]:
    """The private names whoosh classes among the MRO of `base` define."""
    dotted = _dotted(base)
    if dotted is None:
        return set()
    head, _, rest = dotted.partition(".")
    if head in imports:
        cls = _whoosh_class(f"{imports[head]}.{rest}" if rest else imports[head])
    else:
        return set()
    if cls is None:
        return set()
    return {
        name
        for klass in cls.__mro__
        if klass.__module__.split(".")[0] == "whoosh"
        for name in vars(klass)
        if _private(name)
    }


def private_uses(source: str, filename: str = "<source>") -> list[str]:
    """Each private use of Whoosh in `source`, as 'file:line: what'."""
    tree = ast.parse(source, filename)
    imports = _whoosh_imports(tree)
    private = whoosh_private_names()
    found: list[tuple[int, int, str]] = []

    def report(node: ast.AST, what: str) -> None:
        found.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            if any(_private(p) for p in (node.module or "").split(".")):
                report(node, f"import from private module {node.module}")
            for alias in node.names:
                if _private(alias.name):
                    report(node, f"import of private {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "whoosh" and any(_private(p) for p in parts):
                    report(node, f"import of private module {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                report(node, f"attribute {node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in private
        ):
            report(node, f"{node.func.id}(…, {node.args[1].value!r})")
        elif isinstance(node, ast.ClassDef):
            inherited = set().union(*(_base_private_names(b, imports) for b in node.bases))
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in inherited:
                    report(item, f"{node.name} overrides whoosh's {item.name}")
    return [f"{filename}:{line}: {what}" for line, _, what in sorted(found)]


def test_src_uses_whoosh_through_its_public_api_only() -> None:
    offenders = [
        use
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        for use in private_uses(path.read_text("utf-8"), str(path.relative_to(PACKAGE_DIR)))
    ]
    assert offenders == []


NEGATIVE = """
import whoosh._private_module
from whoosh.codec.whoosh3 import _lenfield
from whoosh.writing import SegmentWriter
from whoosh import scoring

class Fresh(SegmentWriter):
    def _flush_segment(self):
        self._own = 1  # its own attribute: fine

def field_b(weighting: scoring.BM25F, column):
    found = getattr(column, "_dbfile")
    return weighting._field_B, found, hasattr(column, "_fixedlen")
"""

POSITIVE = """
from whoosh import scoring
from whoosh.writing import SegmentWriter

class Writer(SegmentWriter):
    def _our_own(self):
        return self._own_state

def b(weighting: scoring.BM25F) -> float:
    return weighting.B + getattr(weighting, "K1") + len(weighting.__class__.__name__)
"""


def test_the_scan_finds_each_kind_of_private_use() -> None:
    assert {"_lenfield", "_field_B", "_flush_segment", "_dbfile"} <= whoosh_private_names()
    assert not {"__init__", "B", "K1"} & whoosh_private_names()
    found = private_uses(NEGATIVE)
    assert [line.split(": ", 1)[1] for line in found] == [
        "import of private module whoosh._private_module",
        "import of private whoosh.codec.whoosh3._lenfield",
        "Fresh overrides whoosh's _flush_segment",
        "getattr(…, '_dbfile')",
        "attribute _field_B",
        "hasattr(…, '_fixedlen')",
    ]
    assert private_uses(POSITIVE) == []
    assert builtins.getattr is getattr  # the scan names calls, it does not run them
