"""Validation problems, each pointing at a file, a line and a field."""

from dataclasses import dataclass
from pathlib import Path

PathKey = tuple[str | int, ...]


def dotted(path: PathKey) -> str:
    """``("aanpakken", 3, "doel")`` -> ``aanpakken[3].doel``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(bestand)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a source file, printed as ``FILE:LINE: field: message``."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class CorpusError(Exception):
    """A corpus (or vocabulary) that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
