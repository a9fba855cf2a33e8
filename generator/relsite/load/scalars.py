"""How a plain (unquoted) YAML scalar gets its type: one small strict rule set (YAML 1.2 core).

``yes`` stays text, ``1.10`` stays visibly a number (so the model can say "quote it"), ``.nan`` and
``.inf`` are refused, dates must exist. Quoted scalars are always text and never come here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]|[ ]+)([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6})[0-9]*)?)?"
    r"[ ]*(Z|z|[-+][0-9]{2}(?::?[0-9]{2})?)?\Z"
)


MAX_DIGITS = 1000
"""Longest plain integer read as a number. Python refuses to convert more than 4,300 digits (a
denial-of-service guard) and no field of this format needs more than a few; longer is a mistake."""

MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
"""First characters of plain scalars that may resolve to something other than text."""


class ScalarError(ValueError):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _offset(text: str | None) -> dt.tzinfo | None:
    if text is None:
        return None
    if text in ("Z", "z"):
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ScalarError(f"{text} is not a valid UTC offset")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def resolve_plain(text: str) -> Any:
    """Give a plain (unquoted) scalar its type under this format's strict rules.

    Raises only ScalarError: every conversion that Python would refuse or bend (too many digits,
    a float that overflows to infinity, a date that does not exist) is a problem at the value's
    line and column, never an exception that loses the other files' problems."""
    try:
        return _resolve(text)
    except ScalarError:
        raise
    except (ValueError, OverflowError) as exc:  # a conversion not foreseen above: still the value's problem
        raise ScalarError(
            f"{text[:40]}{'...' if len(text) > 40 else ''} cannot be read ({exc})", "quote it to mean text"
        ) from None


def _resolve(text: str) -> Any:
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        return _number_or_time(text)
    return text


def _number_or_time(text: str) -> Any:
    """A plain value that starts like a number: an int, a float, a date, a date and time, or text."""
    if _INT.match(text):
        if len(text.lstrip("+-")) > MAX_DIGITS:
            raise ScalarError(
                f"a number of {len(text.lstrip('+-')):,} digits is too long (the limit is {MAX_DIGITS:,})",
                "quote it to mean text",
            )
        return int(text)
    if _FLOAT.match(text):
        number = float(text)
        if math.isinf(number):
            raise ScalarError(
                f"{text[:40]}{'...' if len(text) > 40 else ''} is too large to be a number",
                "write a smaller number, or quote it to mean text",
            )
        return number
    if _SPECIAL_FLOAT.match(text):
        raise ScalarError(
            f"{text} (not-a-number or infinity) is not allowed", "write a finite number, or quote it to mean text"
        )
    m = _DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ScalarError(f"{text} is not a real date", "use YYYY-MM-DD with a day that exists") from None
    m = _DATETIME.match(text)
    if m:
        return _datetime(text, m)
    return text


def _datetime(text: str, m: re.Match[str]) -> dt.datetime:
    try:
        micro = int((m[7] or "0").ljust(6, "0"))
        return dt.datetime(
            int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), micro, tzinfo=_offset(m[8])
        )
    except ScalarError:
        raise
    except ValueError:
        raise ScalarError(
            f"{text} is not a real date and time", "use ISO 8601, for example 2026-12-02T21:00:00+01:00"
        ) from None
