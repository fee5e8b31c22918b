"""Turn Pydantic validation errors into specific, Dutch, line-numbered problems."""

import difflib
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from wijkwijzer.corpus.problems import CorpusError, PathKey, Problem, dotted
from wijkwijzer.corpus.yaml_source import Located

M = TypeVar("M", bound=BaseModel)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    names = {
        str: "tekst",
        int: "getal",
        float: "getal",
        bool: "ja/nee",
        list: "lijst",
        dict: "mapping",
        type(None): "niets (null)",
    }
    return names.get(type(value), type(value).__name__)


def _message(error: ErrorDetails, field_names: Iterable[str]) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "verplicht veld ontbreekt"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, list(field_names), n=1)
        hint = f" (bedoelde u '{close[0]}'?)" if close else ""
        return f"onbekend veld '{name}'{hint}"
    if kind == "enum":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"onbekende waarde {_shown(value)}; toegestaan: {allowed}"
    if kind in ("string_too_short", "too_short"):
        return "mag niet leeg zijn"
    if kind == "string_type":
        return f"verwacht tekst, kreeg {_kind(value)} {_shown(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"verwacht een geheel getal, kreeg {_kind(value)} {_shown(value)}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"verwacht true of false, kreeg {_shown(value)}"
    if kind == "list_type":
        return f"verwacht een lijst, kreeg {_kind(value)} {_shown(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"verwacht een mapping (sleutel: waarde), kreeg {_kind(value)} {_shown(value)}"
    if kind == "greater_than_equal":
        return f"moet minstens {ctx.get('ge')} zijn, kreeg {_shown(value)}"
    if kind == "less_than_equal":
        return f"mag hoogstens {ctx.get('le')} zijn, kreeg {_shown(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} heeft niet de vorm {ctx.get('pattern')}"
    if kind == "string_too_long":
        length = f"{len(value)} tekens, " if isinstance(value, str) else ""
        return f"te lang: {length}hoogstens {ctx.get('max_length')}; kort de tekst in"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']} (kreeg {_shown(value)})"


def model_field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of `model` and of the models nested in it."""
    names: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    while pending:
        current = pending.pop()
        for name, info in current.model_fields.items():
            names.add(name)
            for arg in _types_in(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in pending:
                    pending.append(arg)
    return names


def _types_in(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", ())
    return [annotation, *[t for a in args for t in _types_in(a)]]


def describe(located: Located, path: PathKey) -> str:
    """A human pointer to the record at `path`, e.g. `` (aanpak 'Buurtcirkel')``."""
    if len(path) >= 2 and isinstance(path[1], int):
        items = located.data.get(path[0]) if isinstance(located.data, dict) else None
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            record = items[path[1]]
            name = record.get("naam") or record.get("code") or record.get("slug")
            if isinstance(name, str) and name:
                kind = "aanpak" if path[0] == "aanpakken" else str(path[0])
                return f" ({kind} {name!r})"
    return ""


def problem_at(located: Located, path: PathKey, message: str) -> Problem:
    """A problem at `path`, with its line and the record it belongs to."""
    return Problem(
        located.file, located.line_of(path), dotted(path), message + describe(located, path)
    )


def validate_located(model: type[M], located: Located) -> tuple[M | None, list[Problem]]:
    """Validate parsed YAML against `model`; return the object or every problem found."""
    try:
        return model.model_validate(located.data), []
    except ValidationError as exc:
        names = model_field_names(model)
        problems = [
            problem_at(located, tuple(err["loc"]), _message(err, names))
            for err in exc.errors(include_url=False)
        ]
        return None, problems


def raise_if(problems: list[Problem]) -> None:
    """Raise CorpusError when there is anything to report."""
    if problems:
        raise CorpusError(problems)
