"""The data files the bot reads: the content (TOML), the partners and outreach sources
coordinators edit (YAML) and the directory the import writes (JSON).

Each file's shape is a pydantic model, checks that span a list or the whole file included
(duplicate ids, references to ids of another file). Whatever is wrong is said in one line
that names the file, the item (by its id, name or code, and its place from 1) and the key:

    config/partners.yaml: partner "Maison du droit" (item 2): communes item 1: '5960' is
    not a valid code (an INSEE code: 5 digits, or 2A/2B and 3 digits)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

NAMING_KEYS = ("id", "name", "code")  # the key that names an item, in this order
SINGULAR = {"partners": "partner", "sources": "source", "permanences": "permanence"}
Loc = tuple[str | int, ...]
Model = TypeVar("Model", bound=BaseModel)


class DataFileError(Exception):
    """A data file the bot cannot use; the message is one line for the operator."""


class ItemError(ValueError):
    """A problem a check on a whole list or file finds at `loc`, below what it checks."""

    def __init__(self, message: str, *loc: str | int) -> None:
        super().__init__(message)
        self.loc: Loc = loc


class FileModel(BaseModel):
    """Part of a data file: an unknown key is refused (with the key it was probably meant
    to be), and what is loaded cannot be changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            known = [str(f.validation_alias or name) for name, f in cls.model_fields.items()]
            for key in data:
                if key not in known:
                    close = difflib.get_close_matches(str(key), known, n=1)
                    hint = f" (did you mean {close[0]}?)" if close else ""
                    if not close and len(known) <= 8:
                        hint = f" (expected {', '.join(known)})"
                    raise ItemError(f"unknown key{hint}", str(key))
        return data


class YamlModel(FileModel):
    """Part of a file edited by hand: an empty value (`url:`) is the same as no key."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value is not None}
        return data


def filled(value: str) -> str:
    """The text, refused when blank."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def some(items: tuple[Any, ...]) -> tuple[Any, ...]:
    """The items, refused when there are none."""
    if not items:
        raise ValueError("must not be empty")
    return items


def _http(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError(f"{value!r} is not an http(s) address")
    return value


Text = Annotated[str, AfterValidator(filled)]  # kept as written, but not blank
Line = Annotated[str, StringConstraints(strip_whitespace=True)]  # typed by hand: trimmed
FilledLine = Annotated[Line, AfterValidator(filled)]
Url = Annotated[str, AfterValidator(_http)]  # an http(s) address, or ""


def unique(items: Iterable[tuple[str, Loc]], what: str) -> None:
    """Raise ItemError at the second item (value, loc) whose value was seen before."""
    seen: set[str] = set()
    for value, loc in items:
        if value in seen:
            raise ItemError(f"duplicate {what} {value!r} (already used above)", *loc)
        seen.add(value)


def validate(
    model: type[Model],
    data: object,
    path: Path,
    error: type[DataFileError],
    context: Mapping[str, Any] | None = None,
) -> Model:
    """`data` (read from `path`) as `model`; `error` with one line saying what is wrong."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as problem:
        raise error(describe(problem, data, path)) from None


def read_yaml(path: Path, error: type[DataFileError]) -> object:
    """The YAML file's data, or `error` in one line (with the line number of a syntax error)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as problem:
        mark = getattr(problem, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        reason = f"cannot be read as YAML{at} ({type(problem).__name__})"
        raise error(f"{shown(path)}: {reason}") from None


def shown(path: Path) -> str:
    """The path as an operator reads it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def describe(error: ValidationError, data: object, path: Path) -> str:
    """The first problem of `error` in one line: file, item, key, what is wrong."""
    problems = error.errors(include_url=False)
    first = problems[0]
    loc: Loc = tuple(first["loc"])
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, ItemError):
        loc += cause.loc
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return ": ".join([shown(path), *_where(data, loc), _what(first)]) + more


def _where(data: object, loc: Loc) -> list[str]:
    """`("partners", 1, "phone")` as `partner "Maison du droit" (item 2)`, `phone`."""
    parts: list[str] = []
    node, at = data, 0
    while at < len(loc):
        step, following = loc[at], loc[at + 1] if at + 1 < len(loc) else None
        node, at = _child(node, step), at + 1
        if isinstance(step, str) and isinstance(following, int):
            node, at = _child(node, following), at + 1
            names = [node.get(k) for k in NAMING_KEYS] if isinstance(node, Mapping) else []
            name = next((n for n in names if isinstance(n, str) and n), None)
            number = following + 1
            named = f'{SINGULAR.get(step, step)} "{name}" (item {number})'
            parts.append(named if name else f"{step} item {number}")
        else:
            parts.append(f"item {step + 1}" if isinstance(step, int) else step)
    return parts


def _child(node: object, step: str | int) -> object:
    if isinstance(node, Mapping):
        return node.get(step)
    if isinstance(node, list | tuple) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


_KINDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "dataclass_type": "a mapping of keys to values",
}
_BOUNDS = {
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
}


def _what(problem: ErrorDetails) -> str:
    """What is wrong, in the words of someone editing the file."""
    kind, value, ctx = problem["type"], problem["input"], problem.get("ctx", {})
    given = _short(value)
    if kind in ("value_error", "assertion_error"):
        return str(ctx["error"])
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{given} is out of range ({words} {ctx[key]:g})"
    if kind in _KINDS:
        quote = kind == "string_type" and isinstance(value, int | float)
        return f"must be {_KINDS[kind]}, not {given}" + (" (write it in quotes)" if quote else "")
    fixed = {
        "missing": "missing",
        "extra_forbidden": "unknown key",
        "unexpected_keyword_argument": "unknown key",
        "too_short": "must not be empty",
        "string_too_short": "must not be empty",
        "string_pattern_mismatch": f"{given} does not match {ctx.get('pattern')}",
    }
    message = problem["msg"].replace("Input should be", "must be", 1)
    return fixed.get(kind, f"{message[:1].lower()}{message[1:]}, not {given}")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
