"""Limits on what a corpus file may hold, checked before a single node is built.

A corpus never needs anchors (``&a``), aliases (``*a``) or merge keys (``<<``):
they are how a few bytes of YAML become gigabytes, or a loop without end
(``rec: &r [*r]``). They are refused, with their line and field, before
anything is expanded. So are nesting deeper than ``MAX_DEPTH``, files over the
size limit (checked while reading, see ``yaml_source.read_source``) and control
characters other than newline and tab. (The length of a text is a field rule:
``fields.MAX_TEXT_LENGTH``.)

Cost: the whole text is searched for ``&`` and ``*``; only where one of those
could start an anchor or alias are the parser's events walked, which is as exact
as the parser but takes a second or so for a corpus of 10,000 approaches.
Control characters are searched for when the parser's reader refuses the text
(both refuse every one but U+0085, which is looked for by itself).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wijkwijzer.corpus.problems import PathKey, Problem, dotted

MAX_DEPTH = 10  # lists and mappings inside each other; an approach needs 5
MAX_REPORTED = 20  # problems of one kind reported per file; the rest is more of the same
DEFAULT_MAX_MB = 20.0
MERGE_TAG = "tag:yaml.org,2002:merge"

# Both YAML parsers read an anchor or alias name only from these characters, and
# never right after a letter or digit (there ``&`` and ``*`` are part of a word).
# (The character class comes first, so that the search skips along quickly.)
_REFERENCE = re.compile(r"[&*](?<!\w[&*])(?=[0-9A-Za-z_-])")
# Control characters (C0, DEL, C1) except tab, newline and carriage return (in a
# line break), and the two non-characters PyYAML's reader refuses as well; a value
# may not hold a carriage return either (only an escape can put one there).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


class Refused(Exception):
    """The file holds what the corpus never needs; reading it stops here."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def anchor_message(name: str) -> str:
    return (
        f"anker &{name} is niet toegestaan: het corpus gebruikt geen ankers, verwijzingen of "
        "samenvoegsleutels; schrijf de waarde voluit"
    )


def alias_message(name: str) -> str:
    return f"verwijzing *{name} is niet toegestaan: schrijf de waarde voluit op deze plek"


MERGE_MESSAGE = "samenvoegsleutel << is niet toegestaan: schrijf de velden voluit"
DEPTH_MESSAGE = (
    f"te diep genest: meer dan {MAX_DEPTH} lijsten en mappings in elkaar; "
    "haal overbodige haakjes of inspringingen weg"
)


def size_message(limit_mb: float, size: int | None) -> str:
    if size:
        found = f"{size / 1024 / 1024:.1f} MB, de grens is {limit_mb:g} MB".replace(".", ",")
    else:
        found = f"meer dan de grens van {limit_mb:g} MB".replace(".", ",")
    return (
        f"bestand te groot: {found}; is het wel het corpus? Verhoog anders WIJKWIJZER_MAX_CORPUS_MB"
    )


def control_message(char: str, column: int | None = None) -> str:
    where = f" in kolom {column}" if column is not None else ""
    kind = "ongeldig teken" if char in "\ufffe\uffff" else "stuurteken"
    return (
        f"{kind} U+{ord(char):04X}{where} is niet toegestaan (alleen regeleinde en tab): "
        "verwijder het"
    )


def control_problems(file: Path, text: str) -> list[Problem]:
    """A problem per control character in `text` (the first ``MAX_REPORTED``)."""
    problems: list[Problem] = []
    line, line_start, counted = 1, 0, 0
    for match in _CONTROL.finditer(text):
        at = match.start()
        line += text.count("\n", counted, at)
        counted = at
        line_start = text.rfind("\n", 0, at) + 1
        message = control_message(match.group(), at - line_start + 1)
        problems.append(Problem(file, line, "(bestand)", message))
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def control_in_value(value: str) -> str | None:
    """The first control character a scalar's value holds (by an escape), or None."""
    match = _CONTROL_IN_VALUE.search(value)
    return match.group() if match else None


def may_refer(text: str) -> bool:
    """Could `text` hold an anchor or an alias? (False: surely not.)

    A merge key needs no such search: the builder meets its tag before it could
    merge anything, and merging copies only what an alias points at.
    """
    return ("&" in text or "*" in text) and _REFERENCE.search(text) is not None


def may_escape(text: str) -> bool:
    """Could a double-quoted scalar in `text` hold an escape (``\\0``, ``\\x07``)?"""
    return "\\" in text


@dataclass
class _Frame:
    mapping: bool
    key: str | int = 0  # a mapping's current key, a sequence's current index
    at_key: bool = True  # a mapping: the next node is a key


@dataclass
class _Scan:
    """Walks parser events, keeping the path of the node at hand, without building nodes."""

    file: Path
    frames: list[_Frame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def path(self) -> PathKey:
        parts: list[str | int] = []
        for frame in self.frames:
            if frame.mapping and frame.at_key:
                break
            parts.append(frame.key)
        return tuple(parts)

    def refuse(self, event: yaml.Event, message: str) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 1
        self.problems.append(Problem(self.file, line, dotted(self.path()), message))

    def see(self, event: yaml.Event) -> bool:
        """Take one event; True when the scan can stop."""
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            name = event.anchor
            self.refuse(
                event,
                alias_message(name) if isinstance(event, yaml.AliasEvent) else anchor_message(name),
            )
        if isinstance(event, yaml.ScalarEvent):
            in_key = bool(self.frames) and self.frames[-1].mapping and self.frames[-1].at_key
            plain_merge = event.value == "<<" and event.implicit[0]
            if in_key and (plain_merge or event.tag == MERGE_TAG):
                self.refuse(event, MERGE_MESSAGE)
            self.done(event.value)
        elif isinstance(event, yaml.AliasEvent):
            self.done(None)
        elif isinstance(event, yaml.CollectionStartEvent):
            self.frames.append(_Frame(mapping=isinstance(event, yaml.MappingStartEvent)))
            if len(self.frames) > MAX_DEPTH:
                self.frames.pop()
                self.refuse(event, DEPTH_MESSAGE)
                return True
        elif isinstance(event, yaml.CollectionEndEvent) and self.frames:
            self.frames.pop()
            self.done(None)
        return len(self.problems) >= MAX_REPORTED

    def done(self, scalar: str | None) -> None:
        """A node ended: move the enclosing collection on to its next key, value or item."""
        if not self.frames:
            return
        frame = self.frames[-1]
        if not frame.mapping:
            frame.key = int(frame.key) + 1
        elif frame.at_key:
            frame.key, frame.at_key = (scalar if scalar is not None else "?"), False
        else:
            frame.at_key = True


def structure_problems(
    file: Path, text: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]
) -> list[Problem]:
    """Anchors, aliases, merge keys and too deep nesting in `text`, from the parser's events.

    Nothing is composed or built, so nothing is expanded. A syntax error ends the
    scan quietly (reading the file reports it); when libyaml's parser meets one,
    PyYAML's, the judge of what is valid, scans again.
    """
    scan = _Scan(file)
    try:
        for event in yaml.parse(text, Loader=loader):
            if scan.see(event):
                break
    except yaml.YAMLError:
        if loader is not yaml.SafeLoader and not scan.problems:
            return structure_problems(file, text, yaml.SafeLoader)
    return scan.problems
