"""Field types of the change schedule, modelled on RFC 5545: a start in the portfolio's zone, an
end or a duration, an RRULE subset and EXDATEs.

Times here are wall-clock times without an offset (like ``DTSTART;TZID=...``): a freeze "from
18:00" means 18:00 in the portfolio's zone on every date it recurs, in summer and in winter, which a
fixed offset could not say. Recurrence is parsed by python-dateutil; this module only decides what
subset is accepted (the parts every exported format and calendar client understand) and refuses
the rest with a message, rather than passing a rule on that a reader may expand differently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from dateutil.rrule import rrulestr
from icalendar import vDuration
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from relsite.load.scalars import resolve_plain
from relsite.validate.fields import DATE_PATTERN, YEAR, describe, in_range

RRULE_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"})
"""The RRULE subset: no rule repeating within a day (BYHOUR, BYMINUTE, HOURLY...), so a freeze's
occurrences can always be named by their date, listed for a year and written as one-off crons."""
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
NUMBERS = {"INTERVAL": (1, 1000), "COUNT": (1, 10000), "BYMONTH": (1, 12), "BYMONTHDAY": (1, 31), "BYSETPOS": (1, 366)}
"""Numeric parts and their bounds: an INTERVAL of 0 would never advance, a huge COUNT never end."""

LOCAL_PATTERN = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:00)?$"


def _local(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = resolve_plain(value.strip()) if value.strip() else value
    if (type(value) is dt.date or isinstance(value, dt.datetime)) and not in_range(value):
        raise PydanticCustomError("date_range", "{value} is outside the supported years", {"value": value.isoformat()})
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise PydanticCustomError(
                "schedule_offset",
                "write {value} without an offset: the schedule is in the portfolio's time zone",
                {"value": value.isoformat()},
            )
        if value.second or value.microsecond:
            raise PydanticCustomError(
                "schedule_seconds",
                "the schedule counts in whole minutes, not seconds ({value})",
                {"value": value.isoformat()},
            )
        return value
    raise PydanticCustomError(
        "schedule_time",
        "expected a date (YYYY-MM-DD) or a local time (YYYY-MM-DDTHH:MM), got {got}",
        {"got": describe(value)},
    )


def _text(value: dt.date | dt.datetime) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()


LocalMoment = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_local),
    PlainSerializer(_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                {"type": "string", "pattern": LOCAL_PATTERN},
            ]
        }
    ),
]
"""A whole day, or a wall-clock time in the portfolio's zone (no offset)."""


_from_ical: Callable[[str], object] = vDuration.from_ical


def parse_duration(text: str) -> dt.timedelta:
    """An RFC 5545 duration (P2D, PT3H, P1W, P1DT12H) as wall-clock length; raises ValueError."""
    value: object = _from_ical(text)
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        raise ValueError("not a positive duration")
    return value


def _duration(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration", "expected a duration such as PT3H or P2D, got {got}", {"got": describe(value)}
        )
    try:
        length = parse_duration(value)
    except (ValueError, TypeError):
        raise PydanticCustomError(
            "duration", "'{value}' is not an RFC 5545 duration such as PT3H, P2D or P1W", {"value": value[:40]}
        ) from None
    if length.seconds % 60:
        raise PydanticCustomError("duration", "the schedule counts in whole minutes ('{value}')", {"value": value[:40]})
    if length > dt.timedelta(days=366):
        raise PydanticCustomError("duration", "'{value}' is longer than a year", {"value": value[:40]})
    return value


Duration = Annotated[
    str,
    PlainValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": r"^P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?)?)$", "maxLength": 40}),
]


def rrule_parts(text: str) -> dict[str, str]:
    """``FREQ=WEEKLY;BYDAY=TU`` as its parts (upper-cased names); raises ValueError with a reason."""
    parts: dict[str, str] = {}
    for item in text.strip().removeprefix("RRULE:").split(";"):
        name, sep, value = item.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise ValueError(f"'{item[:40]}' is not NAME=VALUE")
        if name not in RRULE_PARTS:
            raise ValueError(f"{name[:40]} is not supported (supported: {', '.join(sorted(RRULE_PARTS))})")
        if name in parts:
            raise ValueError(f"{name} is given twice")
        parts[name] = value.strip().upper()
    if parts.get("FREQ") not in FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(sorted(FREQUENCIES))}")
    _check_until(parts)
    _check_numbers(parts)
    return parts


def _check_until(parts: dict[str, str]) -> None:
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("COUNT and UNTIL cannot both be given")
    if "UNTIL" in parts:
        try:
            until = dt.datetime.strptime(parts["UNTIL"], "%Y%m%d")
        except ValueError:
            raise ValueError("UNTIL is the last day an occurrence may start, as YYYYMMDD") from None
        if not in_range(until):
            raise ValueError("UNTIL is outside the supported years")


def _check_numbers(parts: dict[str, str]) -> None:
    for name, (low, high) in NUMBERS.items():
        for item in parts.get(name, "").split(",") if name in parts else ():
            if (
                not re.fullmatch(r"[+-]?\d{1,4}", item)
                or not low <= abs(int(item)) <= high
                or (int(item) < 0 and name in ("INTERVAL", "COUNT", "BYMONTH"))
            ):
                negative = (
                    ""
                    if name in ("INTERVAL", "COUNT", "BYMONTH")
                    else f" (or -{high} to -{low}, counting from the end)"
                )
                raise ValueError(f"{name} must be {low} to {high}{negative}")


def _rrule(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("rrule", "expected an RRULE such as FREQ=YEARLY, got {got}", {"got": describe(value)})
    try:
        parts = rrule_parts(value)
        rrulestr(rule_text(parts), dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, KeyError, TypeError, OverflowError, IndexError) as exc:
        raise PydanticCustomError("rrule", "invalid rrule: {reason}", {"reason": str(exc)[:160]}) from None
    return value


def rule_text(parts: dict[str, str]) -> str:
    """The parts as dateutil reads them: UNTIL, a day in our subset, becomes the end of that day."""
    return ";".join(f"{k}={v}T235959" if k == "UNTIL" else f"{k}={v}" for k, v in parts.items())


RRule = Annotated[
    str, PlainValidator(_rrule), WithJsonSchema({"type": "string", "pattern": r"^(RRULE:)?FREQ=", "maxLength": 300})
]
"""An RFC 5545 RRULE (FREQ DAILY to YEARLY, INTERVAL, COUNT, UNTIL as a date, BYDAY, BYMONTHDAY,
BYMONTH, BYSETPOS, WKST)."""
