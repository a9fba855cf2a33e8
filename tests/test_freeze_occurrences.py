"""A window touches a freeze when any occurrence overlaps it: the binary search in
validate/windows.py answers exactly what checking every occurrence answers."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from relsite.validate.schedule import Interval
from relsite.validate.windows import _Occurrences

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
hours = st.integers(min_value=0, max_value=24 * 60)
spans = st.tuples(hours, st.integers(min_value=1, max_value=24 * 9))


def _interval(start: int, length: int) -> Interval:
    return Interval(BASE + dt.timedelta(hours=start), BASE + dt.timedelta(hours=start + length))


@given(st.lists(spans, max_size=40), spans)
def test_a_window_touches_a_freeze_exactly_when_some_occurrence_overlaps_it(
    occurrences: list[tuple[int, int]], window: tuple[int, int]
) -> None:
    ivs = [_interval(*o) for o in occurrences]
    w = _interval(*window)
    expected = any(iv.start < w.end and iv.end > w.start for iv in ivs)
    assert _Occurrences(ivs).touch(w.start, w.end) is expected


def test_a_window_ending_as_an_occurrence_starts_does_not_touch_it() -> None:
    occurrence = _interval(10, 5)
    assert not _Occurrences([occurrence]).touch(occurrence.start - dt.timedelta(hours=3), occurrence.start)
