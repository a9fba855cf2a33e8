"""The rule registry: every cross-field and cross-file check, with an id, a title and a description.

The reference documentation and ``relsite validate --format json`` read the same registry, so the
docs cannot drift from the checks. Rules run after the models accepted a file, so they may trust
types; every finding points at the line of the offending value. A rule's id is written once, in
``register``: the registry stamps it on every problem the rule yields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from relsite.load.reader import SourceMap
from relsite.problems import Problem, error, warning

Scope = Literal["config", "release", "portfolio"]
"""What a rule is given: portfolio.yaml's settings, one release, or the whole portfolio."""
Check = Callable[..., Iterable[Problem]]


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    title: str
    description: str
    scope: Scope
    check: Check
    """The rule's function, its problems stamped with the rule's id."""


RULES: list[Rule] = []


def register(scope: Scope, rule_id: str, title: str) -> Callable[[Check], Check]:
    def wrap(fn: Check) -> Check:
        def stamped(*args: Any) -> Iterator[Problem]:
            for problem in fn(*args):
                yield problem if problem.rule else replace(problem, rule=rule_id)

        # The docstring is wrapped to the line length; the description is one line of prose.
        description = " ".join((fn.__doc__ or "").split())
        RULES.append(Rule(id=rule_id, title=title, description=description, scope=scope, check=stamped))
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


def err(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "", *, key: bool = False) -> Problem:
    """An error at the value (or, with ``key``, the key) at ``path``; the registry adds the rule's id."""
    line, col = src.key_at(*path) if key else src.at(*path)
    return error(src.file, line, col, message, hint)


def warn(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "") -> Problem:
    line, col = src.at(*path)
    return warning(src.file, line, col, message, hint)
