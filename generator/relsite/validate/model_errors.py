"""Turn pydantic's validation errors into located problems a person can act on.

pydantic reports a path (``loc``) into the data; the source map turns it into a line and column.
Messages are rewritten into this format's vocabulary (field, text, list, mapping) with a hint
where one helps ("did you mean", "quote it").
"""

from __future__ import annotations

import difflib
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


def problems_from(exc: ValidationError, data: Any, source: SourceMap, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[tuple[Key, ...], str | None]] = set()
    for err in exc.errors(include_url=False):
        path, tail = _data_path(tuple(err["loc"]), data)
        if (path, tail) in seen:
            continue
        seen.add((path, tail))
        kind = err["type"]
        value = err.get("input")
        where = dotted(path)
        hint = ""
        if kind == "missing" and tail is not None:
            line, col = source.key_at(*path) if path else (1, 1)
            message = f"missing required field '{tail}'" + (f" in {where}" if path else "")
        elif kind == "extra_forbidden":
            full = path + ((tail,) if tail is not None else ())
            line, col = source.key_at(*full)
            name = str(full[-1]) if full else "?"
            message = f"unknown field '{name}'" + (f" in {dotted(full[:-1])}" if len(full) > 1 else "")
            hint = did_you_mean(name, _fields_of(model, full[:-1])) or (
                "allowed here: " + ", ".join(_fields_of(model, full[:-1])) if _fields_of(model, full[:-1]) else "")
        else:
            line, col = source.at(*path)
            raw = source.raw.get(path)
            shown = f"the number {raw}" if raw is not None and isinstance(value, (int, float)) and not isinstance(value, bool) else describe(value)
            if kind == "string_type":
                message = f"{where} must be text, got {shown}"
                if isinstance(value, (int, float, bool)) or raw is not None:
                    hint = f'put it in quotes: "{raw if raw is not None else value}"'
            elif kind == "bool_type":
                message = f"{where} must be true or false, got {shown}"
                hint = "write true or false (yes/no/on/off are text in this format)"
            elif kind in ("int_type", "int_parsing"):
                message = f"{where} must be a whole number, got {shown}"
            elif kind == "literal_error":
                expected = err.get("ctx", {}).get("expected", "")
                choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
                message = f"{where}: {shown} is not allowed; expected one of {', '.join(choices)}"
                hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
            elif kind == "list_type":
                message = f"{where} must be a list, got {shown}"
                hint = "write each item on its own line starting with '- '"
            elif kind in ("dict_type", "model_type", "model_attributes_type"):
                message = f"{where} must be a mapping of fields, got {shown}"
            elif kind == "string_too_short":
                least = err.get("ctx", {}).get("min_length", 1)
                message = f"{where} must not be empty" if least <= 1 or not value else f"{where} is too short (at least {least} characters)"
            elif kind == "string_too_long":
                limit = err.get("ctx", {}).get("max_length")
                message = f"{where} is {len(value) if isinstance(value, str) else 0:,} characters long; the limit is {limit:,}"
            elif kind == "too_short":
                message = f"{where} needs at least one entry"
            elif kind == "too_long":
                limit = err.get("ctx", {}).get("max_length")
                count = len(value) if isinstance(value, (list, dict)) else "too many"
                message = f"{where} has {count:,} entries; the limit is {limit}" if isinstance(count, int) else f"{where} has too many entries"
            elif kind == "string_pattern_mismatch":
                allowed = _pattern_hint(where)
                message = f"{where}: {shown} is not allowed here; {allowed}"
                hint = ""
            elif kind in ("greater_than_equal", "less_than_equal"):
                message = f"{where}: {err['msg'].lower()}"
            else:
                message = f"{where}: {err['msg'].removeprefix('Value error, ')}"
        problems.append(error(source.file, line, col, message, hint, "schema"))
    return _drop_misspelt_missing(problems)


def _drop_misspelt_missing(problems: list[Problem]) -> list[Problem]:
    """"unknown field 'titel' (did you mean 'title'?)" already says that 'title' is missing."""
    suggested = {p.hint.split("'")[1] for p in problems if p.hint.startswith("did you mean") and p.message.startswith("unknown field")}
    return [p for p in problems if not (p.message.startswith("missing required field") and p.message.split("'")[1] in suggested)]


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
