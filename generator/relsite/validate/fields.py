"""Scalar types of the release format: names, ids, text lengths, dates and times.

Dates and times use our own validators so that messages speak the user's language ("expected a
date (YYYY-MM-DD), got the number 7") and a time without an offset is read in the portfolio's zone,
passed in as validation context.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import PlainValidator, StringConstraints, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from relsite.load.scalars import resolve_plain

# --- scalar types -------------------------------------------------------------------------------

MAX_ITEMS = 200
"""Longest list a release may hold (notes, changes, components): far above real use, far below harm."""
MAX_ENVIRONMENTS = 50

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

ReleaseId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=False)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
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


def _date(value: Any) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return _bad_date(value)


def _bad_date(value: Any) -> dt.date:
    raise PydanticCustomError("date", "expected a date (YYYY-MM-DD), got {got}", {"got": describe(value)})


def _zone(info: ValidationInfo) -> dt.tzinfo:
    ctx = info.context or {}
    tz = ctx.get("tz")
    return tz if isinstance(tz, dt.tzinfo) else dt.UTC


def _datetime(value: Any, info: ValidationInfo) -> dt.datetime:
    if isinstance(value, str):  # quoted: accept exactly what the loader accepts unquoted
        try:
            value = resolve_plain(value.strip()) if value.strip() else value
        except ValueError:
            pass
    if not isinstance(value, dt.datetime):
        raise PydanticCustomError(
            "datetime", "expected a date and time (e.g. 2026-12-02T21:00:00+01:00), got {got}", {"got": describe(value)}
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(info))
    return value


def _moment(value: Any, info: ValidationInfo) -> dt.date | dt.datetime:
    """A milestone may be a whole day or a precise time."""
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and len(value) == 10:
        return _date(value)
    return _datetime(value, info)


Date = Annotated[dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
DATETIME_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?( *(Z|z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?))?$"
DateTime = Annotated[dt.datetime, PlainValidator(_datetime), WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN})]
Moment = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_moment),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": DATETIME_PATTERN}]}),
]
