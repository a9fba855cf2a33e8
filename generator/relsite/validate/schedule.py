"""The change schedule as intervals: every occurrence of a freeze or change window, in UTC.

One expansion serves the rules, ``relsite gate``, the published schedule and the exports, so the
calendar, CI and the deploying tool agree to the minute. Occurrences start at the wall-clock time
the RRULE gives (dateutil expands it on naive local times, as RFC 5545 does under a TZID) and last
the same wall-clock length as the first one, which is also how calendar readers expand an event
with DTSTART and DTEND in one zone. A local time that does not exist (clocks going forward) is read
with the offset before the gap, one that happens twice as the first, both as RFC 5545 says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from relsite.validate import lifecycle
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.recurrence import parse_duration, rrule_parts, rule_text
from relsite.validate.schedule_models import ChangeWindow, Freeze, Recurring

DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Interval:
    """One occurrence, half-open [start, end), in UTC."""

    start: dt.datetime
    end: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def whole_days(item: Recurring) -> bool:
    return not isinstance(item.start, dt.datetime)


def naive_start(item: Recurring) -> dt.datetime:
    s = item.start
    return s if isinstance(s, dt.datetime) else dt.datetime(s.year, s.month, s.day)


def wall_length(item: Recurring) -> dt.timedelta:
    """How long each occurrence lasts on the wall clock (an inclusive end date counts its whole day)."""
    if item.end is not None:
        e = item.end
        end = e if isinstance(e, dt.datetime) else dt.datetime(e.year, e.month, e.day) + DAY
        return end - naive_start(item)
    if item.duration is not None:
        return parse_duration(item.duration)
    return DAY


def well_formed(item: Recurring) -> bool:
    """What the expansion relies on (the rules report each failure with its position)."""
    if (item.end is None) == (item.duration is None):
        return False
    if item.end is not None and whole_days(item) != (not isinstance(item.end, dt.datetime)):
        return False
    return wall_length(item) > dt.timedelta(0)


def local(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock time in ``tz`` as UTC (fold 0: the first of a repeated hour, the offset before a gap)."""
    return naive.replace(tzinfo=tz).astimezone(dt.UTC)


def exists_once(naive: dt.datetime, tz: dt.tzinfo) -> bool:
    """The wall-clock time happens exactly once in ``tz`` (not skipped, not repeated)."""
    aware = naive.replace(tzinfo=tz)
    return (
        aware.utcoffset() == aware.replace(fold=1).utcoffset()
        and aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == naive
    )


@lru_cache(maxsize=4096)
def _rule(text: str, start: dt.datetime) -> rrule:
    return rrulestr(rule_text(rrule_parts(text)), dtstart=start)  # type: ignore[return-value]


def rule_of(item: Recurring) -> rrule | None:
    return _rule(item.rrule, naive_start(item)) if item.rrule else None


def starts_between(item: Recurring, lo: dt.datetime, hi: dt.datetime) -> list[dt.datetime]:
    """Naive local starts in [lo, hi], EXDATEs left out (a date leaves out every start on that day)."""
    rule = rule_of(item)
    found = rule.between(lo, hi, inc=True) if rule else [s for s in (naive_start(item),) if lo <= s <= hi]
    if not item.exdate:
        return list(found)
    minutes = {e for e in item.exdate if isinstance(e, dt.datetime)}
    days = {e for e in item.exdate if not isinstance(e, dt.datetime)}
    return [s for s in found if s not in minutes and s.date() not in days]


def occurrences(item: Recurring, tz: dt.tzinfo, since: dt.datetime, until: dt.datetime) -> list[Interval]:
    """Occurrences that overlap [since, until), in order."""
    if not well_formed(item):
        return []
    length = wall_length(item)
    lo = since.astimezone(tz).replace(tzinfo=None) - length - DAY
    hi = until.astimezone(tz).replace(tzinfo=None) + DAY
    out = []
    for s in starts_between(item, lo, hi):
        span = Interval(local(s, tz), local(s + length, tz))
        if span.start < until and span.end > since and span.end > span.start:
            out.append(span)
    return out


SEARCH_YEARS = 12
"""How far after its start a rule must occur at least once (29 February recurs within 8 years)."""


def first_occurrence(item: Recurring, tz: dt.tzinfo) -> Interval | None:
    """The first occurrence within SEARCH_YEARS of the start (a rule such as 30 February never occurs:
    bounded, so that finding out does not walk to the year 9999)."""
    if not well_formed(item):
        return None
    start = naive_start(item)
    found = starts_between(item, start, start.replace(year=start.year + SEARCH_YEARS, day=min(start.day, 28)))
    return Interval(local(found[0], tz), local(found[0] + wall_length(item), tz)) if found else None


def last_start(item: Recurring) -> dt.datetime | None:
    """The last occurrence's naive start, or None when the rule never ends."""
    rule = rule_of(item)
    if rule is None:
        return naive_start(item)
    parts = rrule_parts(item.rrule or "")
    if "COUNT" not in parts and "UNTIL" not in parts:
        return None
    found = list(rule)
    return found[-1] if found else None


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, in order."""
    out: list[Interval] = []
    for iv in sorted(intervals):
        if out and iv.start <= out[-1].end:
            if iv.end > out[-1].end:
                out[-1] = Interval(out[-1].start, iv.end)
        else:
            out.append(iv)
    return out


# --- what applies where -------------------------------------------------------------------------


def freezes_for(cfg: PortfolioConfig, env: str, service: str | None = None) -> list[Freeze]:
    """Freezes on ``env`` (and ``service``, when given: a freeze naming other services does not apply)."""
    return [
        f
        for f in cfg.freezes
        if (f.environments is None or env in f.environments)
        and (service is None or f.services is None or service in f.services)
    ]


def change_windows_for(cfg: PortfolioConfig, env: str) -> list[ChangeWindow]:
    return [w for w in cfg.change_windows if env in w.environments]


def allowed_spans(cfg: PortfolioConfig, env: str, since: dt.datetime, until: dt.datetime) -> list[Interval] | None:
    """When ``env`` may change within [since, until), merged; None when it has no change windows
    (it may change any time)."""
    windows = change_windows_for(cfg, env)
    if not windows:
        return None
    return merged(iv for w in windows for iv in occurrences(w, cfg.tz, since, until))


def year_after(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The same wall-clock time a year later in ``tz`` (29 February goes to 28 February)."""
    wall = moment.astimezone(tz).replace(tzinfo=None)
    try:
        later = wall.replace(year=wall.year + 1)
    except ValueError:
        later = wall.replace(year=wall.year + 1, day=28)
    return local(later, tz)


def intervals_by_item(
    items: Iterable[Recurring], tz: dt.tzinfo, since: dt.datetime, until: dt.datetime
) -> Iterator[tuple[Recurring, list[Interval]]]:
    for item in items:
        yield item, occurrences(item, tz, since, until)


def break_glass_approval(freeze: Freeze, r: Release) -> str | None:
    """Who let ``r`` through ``freeze`` under its break-glass policy (a name, or the release type when
    the policy asks for no approval); None when the policy does not let it through."""
    policy = freeze.break_glass
    if r.type not in policy.types:
        return None
    if not policy.approval:
        return f"break-glass for {r.type} releases"
    if r.type == lifecycle.EMERGENCY and r.emergency is not None:
        return r.emergency.approved_by
    return None


def describe(item: Recurring) -> str:
    """When it happens, in words: "2026-12-20 to 2027-01-03" or "2026-12-01T20:00 for PT3H", and the rule."""
    first = (
        f"{item.start.isoformat()} to {item.end.isoformat()}"
        if item.end is not None
        else f"{item.start.isoformat()} for {item.duration}"
    )
    return first + (f", repeating {item.rrule}" if item.rrule else "")
