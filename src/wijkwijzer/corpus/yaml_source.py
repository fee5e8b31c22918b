"""Read a YAML file into plain data while remembering the line of every node.

PyYAML's composer gives node positions; we build the Python values ourselves
so that each path (``("aanpakken", 3, "doel")``) maps to its line, and so that
duplicate keys, which ``safe_load`` silently overwrites, become problems.

Composing uses libyaml when PyYAML was built with it (over ten times faster).
PyYAML's own (pure-Python) loader stays the judge of what a valid document is:
a document libyaml refuses, or might read differently, is composed by it
instead, so the syntax errors reported are always its own words and lines.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wijkwijzer.corpus.gcpause import gc_paused
from wijkwijzer.corpus.problems import CorpusError, Problem

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed YAML data with a line number for every path in it."""

    file: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int:
        """Line of `path`, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


_STR_TAG = "tag:yaml.org,2002:str"
_KINDS = {
    "tag:yaml.org,2002:timestamp": "geldige datum",
    "tag:yaml.org,2002:int": "geldig geheel getal",
    "tag:yaml.org,2002:float": "geldig getal",
}


# A block scalar header followed at once by a comment (``text: >#``): PyYAML
# refuses it, libyaml does not.
_HEADER_COMMENT = re.compile(r"#(?:(?<=[|>]#)|(?<=[|>][-+0-9]#)|(?<=[|>][-+0-9]{2}#))")


def _pyyaml_only(text: str) -> bool:
    """True when libyaml might accept or read `text` differently than PyYAML.

    PyYAML refuses tabs in places where libyaml allows them, reads a byte-order
    mark inside the text as a character, and refuses a comment right after a
    block scalar header. (Plain scalars in flow collections are checked per node.)
    """
    return "\t" in text or "\ufeff" in text or _HEADER_COMMENT.search(text) is not None


class _Disagreement(Exception):
    """A node that libyaml may have read differently than PyYAML would."""


def _plain_scalars_in_flow_agree(node: yaml.Node) -> bool:
    """False when a plain scalar in the flow collection `node` holds a "?".

    There PyYAML ends the scalar (and refuses the document); libyaml reads on.
    """
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            if not current.style and "?" in current.value:
                return False
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(n for pair in current.value for n in pair)
    return True


class _Builder:
    def __init__(self, file: Path, composed_by_libyaml: bool) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")
        self._check_flow = composed_by_libyaml

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        flow = isinstance(node, yaml.CollectionNode) and node.flow_style
        if flow and self._check_flow and not _plain_scalars_in_flow_agree(node):
            raise _Disagreement
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if node.tag == _STR_TAG:  # most of a corpus: what construct_object would return
            return node.value
        try:
            return self._scalars.construct_object(node, deep=True)
        except (ValueError, OverflowError):  # e.g. the date 2024-02-30, or "!!int tien"
            self._scalars.recursive_objects.pop(node, None)
            kind = _KINDS.get(node.tag, f"geldige waarde voor {node.tag}")
            message = (
                f"{node.value!r} is geen {kind} (is het tekst? zet het tussen aanhalingstekens)"
            )
            line = node.start_mark.line + 1
            self.problems.append(Problem(self.file, line, dotted(path), message))
            return node.value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self._scalar(key_node, path))
            line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(
                    Problem(self.file, line, dotted((*path, key)), "sleutel staat twee keer")
                )
                continue
            self.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result


def dotted(path: PathKey) -> str:
    """``("aanpakken", 3, "doel")`` -> ``aanpakken[3].doel``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(bestand)"


def read_source(file: Path) -> bytes:
    """The bytes of `file`, read once; raise CorpusError when it cannot be read."""
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CorpusError(
            [Problem(file, 0, "(bestand)", f"kan niet lezen: {exc.strerror}")]
        ) from exc


def read_yaml(file: Path) -> Located:
    """Read and parse `file` (see ``parse_yaml``)."""
    return parse_yaml(file, read_source(file))


def parse_yaml(file: Path, raw: bytes) -> Located:
    """Parse the bytes `raw` of `file`; raise CorpusError for non-UTF-8, invalid or empty YAML.

    Problems that do not stop parsing (duplicate keys) are returned in ``problems``.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"geen geldige UTF-8 (byte 0x{raw[exc.start]:02x}); sla het bestand op als UTF-8"
        raise CorpusError([Problem(file, line, "(bestand)", message)]) from exc
    with gc_paused():
        if yaml.__with_libyaml__ and not _pyyaml_only(text):
            try:
                return _parse_text(file, text, yaml.CSafeLoader)
            except (CorpusError, yaml.YAMLError, _Disagreement):
                pass  # report (or read) exactly what PyYAML itself does
        return _parse_text(file, text, yaml.SafeLoader)


def _parse_text(file: Path, text: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]) -> Located:
    """Compose `text` with `loader` and build the located data."""
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise CorpusError([Problem(file, line, "(yaml)", f"syntaxfout: {detail}")]) from exc
    except yaml.YAMLError as exc:
        raise CorpusError([Problem(file, 1, "(yaml)", f"syntaxfout: {exc}")]) from exc
    if node is None:
        raise CorpusError([Problem(file, 1, "(bestand)", "het bestand is leeg")])
    builder = _Builder(file, composed_by_libyaml=loader is not yaml.SafeLoader)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise CorpusError([Problem(file, 1, "(yaml)", f"syntaxfout: {exc}")]) from exc
    if not isinstance(data, dict):
        kind = type(data).__name__
        message = f"verwacht een mapping met sleutels bovenaan, kreeg {kind}"
        raise CorpusError([Problem(file, 1, "(bestand)", message)])
    if not text.endswith("\n"):  # a cut-off file usually still parses: refuse it
        message = "het bestand houdt midden in een regel op: is het afgekapt? (geen regeleinde)"
        builder.problems.append(Problem(file, text.count("\n") + 1, "(bestand)", message))
    return Located(file, data, builder.lines, builder.problems)
