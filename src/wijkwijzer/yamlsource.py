"""Read a YAML file into plain data while remembering the line of every node.

PyYAML's composer gives node positions; we build the Python values ourselves
so that each path (``("aanpakken", 3, "doel")``) maps to its line, and so that
duplicate keys, which ``safe_load`` silently overwrites, become problems.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wijkwijzer.problems import CorpusError, Problem

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


class _Builder:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalars.construct_object(key_node, deep=True)
            key = str(key)
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
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise CorpusError([Problem(file, line, "(yaml)", f"syntaxfout: {detail}")]) from exc
    except yaml.YAMLError as exc:
        raise CorpusError([Problem(file, 1, "(yaml)", f"syntaxfout: {exc}")]) from exc
    if node is None:
        raise CorpusError([Problem(file, 1, "(bestand)", "het bestand is leeg")])
    builder = _Builder(file)
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
