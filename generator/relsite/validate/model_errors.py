"""Turn pydantic's validation errors into located problems a person can act on.

pydantic reports a path (``loc``) into the data; the source map turns it into a line and column.
Messages are rewritten into this format's vocabulary (field, text, list, mapping) with a hint
where one helps ("did you mean", "quote it").
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from relsite.load.reader import Key, SourceMap, dotted
from relsite.problems import Problem, error
from relsite.validate.fields import describe


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Key, ...], str | None]:
    """Split pydantic's loc into the path present in the data and a trailing field name, if any."""
    path: list[Key] = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:  # noqa: SIM114 - two shapes, read apart
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            path.append(part)
            cur = cur[part]
        elif i == len(loc) - 1 and isinstance(part, str):
            return tuple(path), part
        # anything else is a validator's own label (function-plain[...] and the like): skip it
    return tuple(path), None


def _fields_of(model: type[BaseModel], path: tuple[Key, ...]) -> list[str]:
    """Field names allowed at ``path`` (for "did you mean" hints)."""
    current: Any = model
    free_key = False
    for part in path:
        if isinstance(part, int):
            continue
        if free_key:  # a key the user chose, such as an environment name
            free_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        free_key = "dict[" in str(field.annotation)
        current = _model_in(field.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _model_in(annotation: Any) -> Any:
    """The model class somewhere inside an annotation (Optional[X], list[X], dict[str, X])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _model_in(origin)
    return None


def did_you_mean(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


@dataclass(frozen=True, kw_only=True)
class Found:
    """One of pydantic's errors, placed in the user's data: what a message builder reads."""

    err: Any
    where: str
    """The dotted path a person recognises: environments.prod.window.end."""
    value: Any
    shown: str
    """The value as the message quotes it: "the number 7.40", "the text 'yes'"."""
    raw: str | None
    """The number as written, when YAML read one (7.40, not 7.4)."""

    @property
    def ctx(self) -> dict[str, Any]:
        return dict(self.err.get("ctx") or {})


Message = tuple[str, str]
"""(message, hint)."""


def _string_type(f: Found) -> Message:
    quoted = isinstance(f.value, (int, float, bool)) or f.raw is not None
    return f"{f.where} must be text, got {f.shown}", (
        f'put it in quotes: "{f.raw if f.raw is not None else f.value}"' if quoted else ""
    )


def _literal(f: Found) -> Message:
    choices = [c.strip(" '") for c in f.ctx.get("expected", "").replace(" or ", ", ").split(",")]
    return (
        f"{f.where}: {f.shown} is not allowed; expected one of {', '.join(choices)}",
        did_you_mean(str(f.value), choices) if isinstance(f.value, str) else "",
    )


def _too_short_text(f: Found) -> Message:
    least = f.ctx.get("min_length", 1)
    return (
        f"{f.where} must not be empty"
        if least <= 1 or not f.value
        else f"{f.where} is too short (at least {least} characters)"
    ), ""


def _too_long_text(f: Found) -> Message:
    length = len(f.value) if isinstance(f.value, str) else 0
    return f"{f.where} is {length:,} characters long; the limit is {f.ctx.get('max_length'):,}", ""


def _too_long_list(f: Found) -> Message:
    if not isinstance(f.value, (list, dict)):
        return f"{f.where} has too many entries", ""
    return f"{f.where} has {len(f.value):,} entries; the limit is {f.ctx.get('max_length')}", ""


MESSAGES: dict[str, Callable[[Found], Message]] = {
    "string_type": _string_type,
    "bool_type": lambda f: (
        f"{f.where} must be true or false, got {f.shown}",
        "write true or false (yes/no/on/off are text in this format)",
    ),
    "int_type": lambda f: (f"{f.where} must be a whole number, got {f.shown}", ""),
    "int_parsing": lambda f: (f"{f.where} must be a whole number, got {f.shown}", ""),
    "literal_error": _literal,
    "list_type": lambda f: (
        f"{f.where} must be a list, got {f.shown}",
        "write each item on its own line starting with '- '",
    ),
    "dict_type": lambda f: (f"{f.where} must be a mapping of fields, got {f.shown}", ""),
    "model_type": lambda f: (f"{f.where} must be a mapping of fields, got {f.shown}", ""),
    "model_attributes_type": lambda f: (f"{f.where} must be a mapping of fields, got {f.shown}", ""),
    "string_too_short": _too_short_text,
    "string_too_long": _too_long_text,
    "too_short": lambda f: (f"{f.where} needs at least one entry", ""),
    "too_long": _too_long_list,
    "string_pattern_mismatch": lambda f: (f"{f.where}: {f.shown} is not allowed here; {_pattern_hint(f.where)}", ""),
    "greater_than_equal": lambda f: (f"{f.where}: {f.err['msg'].lower()}", ""),
    "less_than_equal": lambda f: (f"{f.where}: {f.err['msg'].lower()}", ""),
}
"""A message builder per kind of pydantic error; any other kind keeps pydantic's (or a validator's own) message."""


def _value_problem(err: Any, path: tuple[Key, ...], source: SourceMap) -> Problem:
    line, col = source.at(*path)
    value = err.get("input")
    raw = source.raw.get(path)
    number = raw is not None and isinstance(value, (int, float)) and not isinstance(value, bool)
    found = Found(
        err=err, where=dotted(path), value=value, shown=f"the number {raw}" if number else describe(value), raw=raw
    )
    build = MESSAGES.get(err["type"])
    message, hint = build(found) if build else (f"{found.where}: {err['msg'].removeprefix('Value error, ')}", "")
    return error(source.file, line, col, message, hint, "schema")


def _key_problem(
    err: Any, path: tuple[Key, ...], tail: str | None, source: SourceMap, model: type[BaseModel]
) -> Problem:
    """A field missing or not allowed: the problem points at the mapping's key."""
    if err["type"] == "missing":
        line, col = source.key_at(*path) if path else (1, 1)
        return error(
            source.file,
            line,
            col,
            f"missing required field '{tail}'" + (f" in {dotted(path)}" if path else ""),
            "",
            "schema",
        )
    full = path + ((tail,) if tail is not None else ())
    line, col = source.key_at(*full)
    name = str(full[-1]) if full else "?"
    allowed = _fields_of(model, full[:-1])
    hint = did_you_mean(name, allowed) or ("allowed here: " + ", ".join(allowed) if allowed else "")
    return error(
        source.file,
        line,
        col,
        f"unknown field '{name}'" + (f" in {dotted(full[:-1])}" if len(full) > 1 else ""),
        hint,
        "schema",
    )


def problems_from(exc: ValidationError, data: Any, source: SourceMap, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[tuple[Key, ...], str | None]] = set()
    for err in exc.errors(include_url=False):
        path, tail = _data_path(tuple(err["loc"]), data)
        if (path, tail) in seen:
            continue
        seen.add((path, tail))
        if (err["type"] == "missing" and tail is not None) or err["type"] == "extra_forbidden":
            problems.append(_key_problem(err, path, tail, source, model))
        else:
            problems.append(_value_problem(err, path, source))
    return _drop_misspelt_missing(problems)


def _drop_misspelt_missing(problems: list[Problem]) -> list[Problem]:
    """ "unknown field 'titel' (did you mean 'title'?)" already says that 'title' is missing."""
    suggested = {
        p.hint.split("'")[1]
        for p in problems
        if p.hint.startswith("did you mean") and p.message.startswith("unknown field")
    }
    return [
        p
        for p in problems
        if not (p.message.startswith("missing required field") and p.message.split("'")[1] in suggested)
    ]


def _pattern_hint(where: str) -> str:
    last = where.rsplit(".", 1)[-1]
    if last in ("id",) or where.startswith("depends_on"):
        return "ids use letters, digits, '.', '_' and '-', start with a letter or digit, at most 64 characters"
    if last == "runbook" or "url" in last:
        return "use an http:// or https:// link"
    if last == "cpe":
        return "use a CPE 2.3 name (cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*) or a CPE 2.2 URI (cpe:/a:vendor:product)"
    if last == "repology":
        return "Repology project names use lower-case letters, digits and '.', '_', '+', ':', '-'"
    if last == "sha256":
        return "the 64-character hex digest printed by `relsite secret-hash`"
    return "names use lower-case letters, digits, '.', '_' and '-', start with a letter or digit, at most 64 characters"
