"""The rule registry: every cross-field and cross-file check, with an id, a title and a description.

The reference documentation and ``relsite validate --format json`` read the same registry, so the
docs cannot drift from the checks. Rules run after the models accepted a file, so they may trust
types; every finding points at the line of the offending value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from relsite.load.reader import SourceMap
from relsite.problems import Problem, error, warning


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    scope: str  # "config", "release" or "portfolio"
    check: Callable[..., Iterable[Problem]]


RULES: list[Rule] = []


def register(scope: str, rule_id: str, title: str) -> Callable[[Callable[..., Iterable[Problem]]], Callable[..., Iterable[Problem]]]:
    def wrap(fn: Callable[..., Iterable[Problem]]) -> Callable[..., Iterable[Problem]]:
        RULES.append(Rule(rule_id, title, (fn.__doc__ or "").strip(), scope, fn))
        return fn

    return wrap


def fmt_time(value: dt.datetime | dt.date) -> str:
    """A time as a person reads it: in the zone it was written in, with that zone named."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%d %H:%M")
    if value.utcoffset() == dt.timedelta(0) and (value.tzinfo is dt.UTC or value.tzname() in ("UTC", "Z")):
        zone = "UTC"
    else:
        zone = value.tzname() or value.strftime("%z")
    return f"{value.strftime('%Y-%m-%d %H:%M')} {zone}"


def err(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "", rule: str = "", key: bool = False) -> Problem:
    line, col = src.key_at(*path) if key else src.at(*path)
    return error(src.file, line, col, message, hint, rule)


def warn(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "", rule: str = "") -> Problem:
    line, col = src.at(*path)
    return warning(src.file, line, col, message, hint, rule)
