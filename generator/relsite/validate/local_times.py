"""Local times that happen twice (the hour repeated when clocks go back), located for a warning.

The field validator reads such a time as its first occurrence and notes it in the validation
context; only then is the document walked to find where it was written, so files without such a
time cost nothing. (Times in the skipped hour, which do not exist, are errors in the validator.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from relsite.load.reader import Key, SourceMap, leaves
from relsite.load.scalars import resolve_plain
from relsite.problems import Problem, warning


def _naive_times(data: Any) -> Iterator[tuple[tuple[Key, ...], dt.datetime]]:
    for path, value in leaves(data):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            yield path, value
        elif isinstance(value, str) and len(value) >= 16 and value[:1].isdigit():
            try:
                parsed = resolve_plain(value.strip())
            except ValueError:
                continue
            if isinstance(parsed, dt.datetime) and parsed.tzinfo is None:
                yield path, parsed


def _offset(value: dt.datetime) -> str:
    text = value.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def ambiguous_time_warnings(data: Any, source: SourceMap, zone: dt.tzinfo, found: list[dt.datetime]) -> list[Problem]:
    wanted = {f.replace(tzinfo=None) for f in found}
    problems = []
    for path, naive in _naive_times(data):
        if naive not in wanted:
            continue
        first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
        line, col = source.at(*path)
        problems.append(
            warning(
                source.file,
                line,
                col,
                f"{naive:%Y-%m-%d %H:%M} happens twice in {zone} (the clocks go back); it is read as the first, "
                f"{first:%H:%M} {first.tzname()} (UTC{_offset(first)})",
                f"write the offset to say which one: {naive:%Y-%m-%dT%H:%M}{_offset(first)} or "
                f"{naive:%Y-%m-%dT%H:%M}{_offset(second)}",
                "local-time",
            )
        )
    return problems
