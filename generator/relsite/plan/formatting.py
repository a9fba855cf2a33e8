"""Dates, times and status words as readers see them: in the portfolio's zone, with the zone named.

View models call these to hand templates finished text; templates format nothing themselves.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def when(value: dt.datetime | dt.date | None, tz: ZoneInfo, with_zone: bool = True) -> str:
    """A moment as readers see it: in the portfolio's zone, with the zone named."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return f"{value:%a} {value.day} {value:%b %Y}"
    local = value.astimezone(tz)
    text = f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
    return f"{text} {local.tzname()}" if with_zone else text


def day(value: dt.date | dt.datetime | None, tz: ZoneInfo | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and tz is not None:
        value = value.astimezone(tz)
    return f"{value.day} {value:%b %Y}"


def long_day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def span(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> str:
    a, b = start.astimezone(tz), end.astimezone(tz)
    if a.date() == b.date():
        return f"{a:%a} {a.day} {a:%b %Y}, {a:%H:%M}–{b:%H:%M} {b.tzname()}"
    return f"{when(a, tz, False)} – {when(b, tz)}"


def label(value: str) -> str:
    """A status or kind as words: ``in_test`` → ``in test``."""
    return value.replace("_", " ")
