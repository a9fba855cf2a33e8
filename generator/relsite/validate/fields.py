"""Scalar types of the release format: names, ids, text lengths, dates and times.

Dates and times use our own validators so that messages speak the user's language ("expected a
date (YYYY-MM-DD), got the number 7") and a time without an offset is read in the portfolio's zone,
passed in as validation context.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from relsite.load.scalars import resolve_plain


class Strict(BaseModel):
    """The base of every model of the format: no coercion between text, numbers and booleans, no unknown keys."""

    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=False, use_attribute_docstrings=True)


# --- scalar types -------------------------------------------------------------------------------

MAX_ITEMS = 200
"""Longest list a release may hold (notes, changes, components): far above real use, far below harm."""
MAX_ENVIRONMENTS = 50

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
"""Service and environment names: safe in URLs and file names (``cpython-3.12``, ``api.payments``, ``eu.prod``)."""

ReleaseId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=False)]
VersionPrefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")]
"""A support line's versions: "3.12", "4.x", "2024.04"."""
MAX_NESTING = 8
"""Deepest nesting of quotes and lists a Markdown text may have: real notes use two or three; a
renderer recursing through thousands could exhaust the stack at build time."""
_NEST_MARKER = re.compile(r"\s*(?:>|[-+*](?=\s)|\d{1,9}[.)](?=\s))")


def markdown_nesting(text: str) -> int:
    """How deeply quotes and lists nest in ``text``: per line, the quote and list markers that open
    it plus its indentation in steps of two spaces (an upper bound of what a renderer builds)."""
    deepest = 0
    for line in text.splitlines():
        depth, pos = (len(line) - len(line.lstrip(" "))) // 2, 0
        while (m := _NEST_MARKER.match(line, pos)) and m.end() > pos:
            depth, pos = depth + 1, m.end()
        deepest = max(deepest, depth)
    return deepest


def _bounded_nesting(value: str) -> str:
    if (">" in value or "\n" in value or value[:1] in "-+*0123456789 ") and markdown_nesting(value) > MAX_NESTING:
        raise PydanticCustomError(
            "nesting",
            "the text nests quotes or lists {depth} levels deep; at most {limit} are allowed",
            {"depth": markdown_nesting(value), "limit": MAX_NESTING},
        )
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=5000), AfterValidator(_bounded_nesting)]
Url = Annotated[str, StringConstraints(pattern=r'^(https?://|mailto:)[^\s<>"]+$', max_length=2000)]


def describe(value: Any) -> str:
    """Name a value the way a person reading their YAML would."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


MIN_YEAR, MAX_YEAR = 1970, 2200
"""Dates outside these years are refused: far beyond any release, and no date arithmetic near
the ends of Python's calendar can overflow."""


def in_range(value: dt.date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def _out_of_range(value: dt.date) -> PydanticCustomError:
    return PydanticCustomError(
        "date_range",
        "{value} is outside the years {low} to {high}",
        {"value": value.isoformat(), "low": MIN_YEAR, "high": MAX_YEAR},
    )


def _date(value: Any) -> dt.date:
    if type(value) is dt.date:
        if not in_range(value):
            raise _out_of_range(value)
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return _date(parsed)
    return _bad_date(value)


def _bad_date(value: Any) -> dt.date:
    raise PydanticCustomError("date", "expected a date (YYYY-MM-DD), got {got}", {"got": describe(value)})


def _zone(info: ValidationInfo) -> dt.tzinfo:
    ctx = info.context or {}
    tz = ctx.get("tz")
    return tz if isinstance(tz, dt.tzinfo) else dt.UTC


def _datetime(value: Any, info: ValidationInfo) -> dt.datetime:
    if isinstance(value, str):  # quoted: accept exactly what the loader accepts unquoted
        with contextlib.suppress(ValueError):
            value = resolve_plain(value.strip()) if value.strip() else value
    if not isinstance(value, dt.datetime):
        raise PydanticCustomError(
            "datetime", "expected a date and time (e.g. 2026-12-02T21:00:00+01:00), got {got}", {"got": describe(value)}
        )
    moment: dt.datetime = value
    if not in_range(moment):
        raise _out_of_range(moment)
    if moment.tzinfo is None:
        zone = _zone(info)
        local = moment.replace(tzinfo=zone)
        if local.utcoffset() != local.replace(fold=1).utcoffset():  # a clock change: skipped or repeated (PEP 495)
            if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment:
                raise PydanticCustomError(
                    "time_gap",
                    "{value} does not exist in {zone}: the clocks skip that hour",
                    {"value": moment.strftime("%Y-%m-%d %H:%M"), "zone": str(zone)},
                )
            ctx = info.context if isinstance(info.context, dict) else None
            if ctx is not None:
                ctx.setdefault("ambiguous", []).append(local)
        moment = local
    return moment


def _moment(value: Any, info: ValidationInfo) -> dt.date | dt.datetime:
    """A milestone may be a whole day or a precise time."""
    if type(value) is dt.date or (isinstance(value, str) and len(value) == 10):
        return _date(value)
    return _datetime(value, info)


YEAR = "(19[7-9][0-9]|2[01][0-9][0-9]|2200)"
"""The years MIN_YEAR to MAX_YEAR as a pattern, so that editors refuse what validation refuses."""
DATE_PATTERN = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
Date = Annotated[
    dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})
]
DATETIME_PATTERN = (
    rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
    r"( *(Z|z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?))?$"
)
DateTime = Annotated[
    dt.datetime, PlainValidator(_datetime), WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN})
]
Moment = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_moment),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                {"type": "string", "pattern": DATETIME_PATTERN},
            ]
        }
    ),
]
