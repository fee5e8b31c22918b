"""Read a YAML file into plain data while remembering the line of every node.

PyYAML's composer gives node positions; we build the Python values ourselves
so that each path (``("aanpakken", 3, "doel")``) maps to its line, and so that
duplicate keys, which ``safe_load`` silently overwrites, become problems.

Composing uses libyaml when PyYAML was built with it (over ten times faster).
PyYAML's own (pure-Python) loader stays the judge of what a valid document is:
a document libyaml refuses, or might read differently, is composed by it
instead, so the syntax errors reported are always its own words and lines.

Before any of that, ``yaml_guard`` refuses what a corpus never needs and what
could make reading it endless or huge: anchors, aliases and merge keys, deep
nesting and control characters; ``read_source`` refuses a file over the size
limit before reading it all.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wijkwijzer.corpus.gcpause import gc_paused
from wijkwijzer.corpus.problems import CorpusError, PathKey, Problem, dotted
from wijkwijzer.corpus.yaml_guard import (
    DEFAULT_MAX_MB,
    DEPTH_MESSAGE,
    MAX_DEPTH,
    MERGE_MESSAGE,
    MERGE_TAG,
    Refused,
    control_in_value,
    control_message,
    control_problems,
    may_escape,
    may_refer,
    size_message,
    structure_problems,
)


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
    seen: set[int] = set()  # an alias shares its node: walk each once (and end on a loop)
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            if not current.style and "?" in current.value:
                return False
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(n for pair in current.value for n in pair)
    return True


class _Builder:
    def __init__(self, file: Path, composed_by_libyaml: bool, escapes: bool = True) -> None:
        self.file = file
        self._escapes = escapes  # double-quoted scalars may hold control characters
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")
        self._check_flow = composed_by_libyaml
        self._built: set[int] = set()  # the collections built, to refuse one met twice

    def build(self, node: yaml.Node, path: PathKey, depth: int = 0) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.CollectionNode):
            self._enter(node, path, depth + 1)
            if node.flow_style and self._check_flow and not _plain_scalars_in_flow_agree(node):
                raise _Disagreement
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth + 1)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _enter(self, node: yaml.CollectionNode, path: PathKey, depth: int) -> None:
        """Refuse a collection nested too deep, or met a second time (an alias the guard
        missed): building it again would copy it, or never end."""
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise Refused([Problem(self.file, line, dotted(path), DEPTH_MESSAGE)])
        if id(node) in self._built:
            message = f"verwijzing naar het anker op regel {line} is niet toegestaan: " + (
                "schrijf de waarde voluit op deze plek"
            )
            raise Refused([Problem(self.file, self.lines[path], dotted(path), message)])
        self._built.add(id(node))

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        quoted = self._escapes and isinstance(node, yaml.ScalarNode) and node.style == '"'
        if quoted and (char := control_in_value(node.value)) is not None:  # "\0", "\x07"
            line = node.start_mark.line + 1
            self.problems.append(Problem(self.file, line, dotted(path), control_message(char)))
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

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == MERGE_TAG:
                raise Refused([Problem(self.file, line, dotted(path), MERGE_MESSAGE)])
            if isinstance(key_node, yaml.CollectionNode):  # a complex key (``? [a, b]``)
                key = str(self.build(key_node, path, depth))
            else:
                key = str(self._scalar(key_node, path))
            if key in result:
                self.problems.append(
                    Problem(self.file, line, dotted((*path, key)), "sleutel staat twee keer")
                )
                continue
            self.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key), depth)
        return result


def read_source(file: Path, max_mb: float = DEFAULT_MAX_MB) -> bytes:
    """The bytes of `file`, read once; raise CorpusError when it cannot be read.

    A file over `max_mb` megabytes is refused before it is read whole (also when
    its size is unknown beforehand, as for a pipe).
    """
    limit = int(max_mb * 1024 * 1024)
    try:
        with file.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            raw = b"" if size > limit else handle.read(limit + 1)
    except OSError as exc:
        raise CorpusError(
            [Problem(file, 0, "(bestand)", f"kan niet lezen: {exc.strerror}")]
        ) from exc
    if size > limit or len(raw) > limit:
        raise CorpusError([Problem(file, 1, "(bestand)", size_message(max_mb, size or None))])
    return raw


def read_yaml(file: Path, max_mb: float = DEFAULT_MAX_MB) -> Located:
    """Read and parse `file` (see ``parse_yaml``)."""
    return parse_yaml(file, read_source(file, max_mb))


def parse_yaml(file: Path, raw: bytes) -> Located:
    """Parse the bytes `raw` of `file`; raise CorpusError for non-UTF-8, invalid or empty YAML.

    Also refused, before any node is built: control characters, anchors, aliases,
    merge keys and nesting deeper than ``yaml_guard.MAX_DEPTH``. Problems that do
    not stop parsing (duplicate keys) are returned in ``problems``.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"geen geldige UTF-8 (byte 0x{raw[exc.start]:02x}); sla het bestand op als UTF-8"
        raise CorpusError([Problem(file, line, "(bestand)", message)]) from exc
    fast = yaml.__with_libyaml__ and not _pyyaml_only(text)
    try:
        if "\x85" in text:  # the one control character both parsers take (as a line break)
            raise_if_any(control_problems(file, text))
        if may_refer(text):
            loader = yaml.CSafeLoader if fast else yaml.SafeLoader
            raise_if_any(structure_problems(file, text, loader))
        with gc_paused():
            if fast:
                try:
                    return _parse_text(file, text, yaml.CSafeLoader)
                except (CorpusError, yaml.YAMLError, _Disagreement):
                    pass  # report (or read) exactly what PyYAML itself does
            return _parse_text(file, text, yaml.SafeLoader)
    except Refused as exc:
        raise CorpusError(exc.problems) from None


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise Refused(problems)


def _parse_text(file: Path, text: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]) -> Located:
    """Compose `text` with `loader` and build the located data."""
    try:
        node = yaml.compose(text, Loader=loader)
    except RecursionError:  # nested deeper than PyYAML's composer can go: say where
        problems = structure_problems(file, text, loader)
        raise Refused(problems or [Problem(file, 1, "(yaml)", DEPTH_MESSAGE)]) from None
    except yaml.reader.ReaderError as exc:  # control characters: say where each one is
        raise_if_any(control_problems(file, text))
        raise CorpusError([_syntax_problem(file, exc)]) from exc
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1,000 deep)
            raise Refused(
                structure_problems(file, text, loader) or [_syntax_problem(file, exc)]
            ) from None
        raise CorpusError([_syntax_problem(file, exc)]) from exc
    except yaml.YAMLError as exc:
        raise CorpusError([_syntax_problem(file, exc)]) from exc
    if node is None:
        raise CorpusError([Problem(file, 1, "(bestand)", "het bestand is leeg")])
    builder = _Builder(file, loader is not yaml.SafeLoader, escapes=may_escape(text))
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:  # a tag without constructor, bad base64 in !!binary, ...
        raise CorpusError([_syntax_problem(file, exc)]) from exc
    if not isinstance(data, dict):
        kind = type(data).__name__
        message = f"verwacht een mapping met sleutels bovenaan, kreeg {kind}"
        raise CorpusError([Problem(file, 1, "(bestand)", message)])
    if not text.endswith("\n"):  # a cut-off file usually still parses: refuse it
        message = "het bestand houdt midden in een regel op: is het afgekapt? (geen regeleinde)"
        builder.problems.append(Problem(file, text.count("\n") + 1, "(bestand)", message))
    return Located(file, data, builder.lines, builder.problems)


def _syntax_problem(file: Path, exc: yaml.YAMLError) -> Problem:
    """PyYAML's (or libyaml's) words for `exc`, on one line, at its line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    else:
        line, detail = 1, str(exc)
    return Problem(file, line, "(yaml)", "syntaxfout: " + detail.replace("\n", " "))
