"""The month grid's rows: multi-day items (early life support, freezes) drawn once per week as
bars above the days, freezes merged, and each month page reading only the events it shows, so the
work per page is bounded by what the page shows, not by the span of the data (issue 21, item 13)."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, replace

from relsite.plan import formatting as fmt
from relsite.plan.calendar_events import CalendarEvent
from relsite.plan.index import PortfolioIndex

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, kw_only=True)
class CalendarEntry:
    """One event as a calendar cell or agenda row shows it."""

    kind: str
    css: str
    href: str | None
    time: str
    env_label: str
    """The environment's name as text, so that colour is never the only cue."""
    colour: str
    text: str
    tip: str
    env: str | None
    service: str | None
    conflicts: str
    """What it clashes with, readable without hovering; "" when nothing."""


@dataclass(frozen=True, kw_only=True)
class DayCell:
    iso: str
    css: str
    number: int
    weekday: str
    entries: list[CalendarEntry]


@dataclass(frozen=True, kw_only=True)
class Bar:
    """A multi-day item (early life support, a freeze) drawn once across the days of one week, or a
    gap in a week's lane (``entry`` None)."""

    span: int
    """Days it covers in this week's row (its colspan)."""
    entry: CalendarEntry | None = None
    days: str = ""
    """The whole item's dates in words ("26 Nov – 30 Nov 2026"), for phones and screen readers."""
    first: str = ""
    last: str = ""


@dataclass(frozen=True, kw_only=True)
class WeekRow:
    lanes: list[list[Bar]]
    """Rows of bars above the days, packed so that bars in one lane never overlap."""
    days: list[DayCell]


@dataclass(frozen=True, kw_only=True)
class FreezeRun:
    """Overlapping freezes of one kind on the same environments, merged: one bar instead of one per freeze."""

    kind: str
    first: dt.date
    last: dt.date
    names: list[str]
    applies_to: tuple[str, ...]


BAR_KINDS = frozenset({"els", "freeze"})
"""Multi-day items drawn as bars across a week, never repeated in each day."""
FREEZE_NAMES = 2
"""Names a merged freeze bar spells out before "and N more"."""


def freeze_runs(events: list[CalendarEvent]) -> list[FreezeRun]:
    """Freezes merged per kind and scope where they overlap or touch: a page draws a run once per
    week whatever the number of freezes in it (sort, then sweep: n log n)."""
    runs: list[FreezeRun] = []
    groups: dict[tuple[str, tuple[str, ...]], list[CalendarEvent]] = {}
    for e in events:
        if (
            e.kind == "freeze"
            and e.freeze_kind
            and isinstance(e.start, dt.date)
            and not isinstance(e.start, dt.datetime)
        ):
            groups.setdefault((e.freeze_kind, e.applies_to), []).append(e)
    for (kind, scope), evs in sorted(groups.items()):
        evs.sort(key=lambda e: (e.start, e.uid))
        first: dt.date | None = None
        last = dt.date.min
        names: list[str] = []
        for e in evs:
            a = e.start
            b = e.end - dt.timedelta(days=1)
            assert isinstance(a, dt.date) and isinstance(b, dt.date)
            if first is not None and a > last + dt.timedelta(days=1):
                runs.append(FreezeRun(kind=kind, first=first, last=last, names=names, applies_to=scope))
                first, names = None, []
            if first is None:
                first, last = a, b
            last = max(last, b)
            names.append(e.title.split(": ", 1)[-1])
        if first is not None:
            runs.append(FreezeRun(kind=kind, first=first, last=last, names=names, applies_to=scope))
    return sorted(runs, key=lambda r: (r.first, r.kind, r.applies_to))


def _pack(bars: list[tuple[int, int, Bar]]) -> list[list[Bar]]:
    """Bars (first column, last column, bar) into lanes, each lane filled with gaps to seven days."""
    lanes: list[list[tuple[int, int, Bar]]] = []
    for a, b, bar in sorted(bars, key=lambda t: (t[0], -t[1])):
        lane = next((lane for lane in lanes if lane[-1][1] < a), None)
        if lane is None:
            lanes.append([(a, b, bar)])
        else:
            lane.append((a, b, bar))
    out = []
    for lane in lanes:
        row: list[Bar] = []
        col = 0
        for a, b, bar in lane:
            if a > col:
                row.append(Bar(span=a - col))
            row.append(bar)
            col = b + 1
        if col < 7:
            row.append(Bar(span=7 - col))
        out.append(row)
    return out


def _bar(a: int, b: int, entry: CalendarEntry, first: dt.date, last: dt.date) -> tuple[int, int, Bar]:
    """A bar over columns a to b of a week, dated by the whole run (first to last) it belongs to."""
    days = f"{fmt.day(first)} – {fmt.day(last)}"
    return a, b, Bar(span=b - a + 1, entry=entry, days=days, first=first.isoformat(), last=last.isoformat())


class MonthGrid:
    """The part of the calendar planner that lays out month pages; the planner supplies the index,
    the months with pages and how one event becomes an entry."""

    ix: PortfolioIndex
    months: list[dt.date]
    runs: list[FreezeRun]
    env_index: dict[str, int]

    def entry(self, e: CalendarEvent, day: dt.date | None = None) -> CalendarEntry:
        raise NotImplementedError

    def pages_touched(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The months with a page between two days: found by bisection, so an item spanning centuries
        costs the pages it appears on, never the months in between."""
        lo = bisect.bisect_left(self.months, first.replace(day=1))
        hi = bisect.bisect_right(self.months, last.replace(day=1))
        return self.months[lo:hi]

    def _by_month(self, events: list[CalendarEvent]) -> dict[dt.date, list[CalendarEvent]]:
        tz = self.ix.tz
        out: dict[dt.date, list[CalendarEvent]] = {}
        for e in events:
            for month in self.pages_touched(e.first_day(tz), e.last_day(tz)):
                out.setdefault(month, []).append(e)
        return out

    def _runs_by_month(self) -> dict[dt.date, list[FreezeRun]]:
        out: dict[dt.date, list[FreezeRun]] = {}
        for run in self.runs:
            for month in self.pages_touched(run.first, run.last):
                out.setdefault(month, []).append(run)
        return out

    def freeze_entry(self, run: FreezeRun) -> CalendarEntry:
        shown = run.names[:FREEZE_NAMES]
        more = len(run.names) - len(shown)
        names = ", ".join(shown) + (f" and {more} more" if more else "")
        scope = (
            f" ({', '.join(self.ix.env(e).label if e in self.env_index else e for e in run.applies_to)})"
            if run.applies_to
            else ""
        )
        text = f"{run.kind.capitalize()} freeze{scope}: {names}"
        tip = f"{text}, {fmt.day(run.first)} to {fmt.day(run.last)}"
        return CalendarEntry(
            kind="freeze",
            css=f"rs-ev rs-ev-freeze rs-freeze-{run.kind} rs-bar",
            href=None,
            time="",
            env_label="",
            colour="",
            text=text,
            tip=tip,
            env=None,
            service=None,
            conflicts="",
        )

    def week_row(
        self, month: dt.date, week: list[dt.date], events: list[CalendarEvent], runs: list[FreezeRun]
    ) -> WeekRow:
        tz = self.ix.tz
        inside = [d for d in week if d.month == month.month]
        lo, hi = inside[0], inside[-1]
        col = {d: i for i, d in enumerate(week)}
        bars: list[tuple[int, int, Bar]] = []
        per_day: dict[dt.date, list[CalendarEvent]] = {d: [] for d in inside}
        frz: dict[dt.date, str] = {}
        for e in events:
            first, last = e.days(tz)
            a, b = max(first, lo), min(last, hi)
            if a > b:
                continue
            if e.kind in BAR_KINDS:
                entry = self.entry(e)
                title = e.release.title if e.release else e.title
                text = f"Early life support: {title}"
                entry = replace(entry, css=entry.css + " rs-bar", time="", env_label="", text=text)
                bars.append(_bar(col[a], col[b], entry, first, last))
                continue
            day = a
            while day <= b:
                per_day[day].append(e)
                day += dt.timedelta(days=1)
        for run in runs:
            a, b = max(run.first, lo), min(run.last, hi)
            if a > b:
                continue
            bars.append(_bar(col[a], col[b], self.freeze_entry(run), run.first, run.last))
            day = a
            while day <= b:
                frz[day] = "hard" if run.kind == "hard" or frz.get(day) == "hard" else run.kind
                day += dt.timedelta(days=1)
        cells = [self.day_cell(day, month, per_day, frz) for day in week]
        return WeekRow(lanes=_pack(bars), days=cells)

    def day_cell(
        self, day: dt.date, month: dt.date, per_day: dict[dt.date, list[CalendarEvent]], frz: dict[dt.date, str]
    ) -> DayCell:
        """A day of the grid: out of the month it is empty; in it, its events and its freeze shading."""
        weekend = " rs-weekend" if day.weekday() >= 5 else ""
        if day.month != month.month:
            css = "rs-out rs-empty-day" + weekend
            return DayCell(iso=day.isoformat(), css=css, number=day.day, weekday=WEEKDAYS[day.weekday()], entries=[])
        evs = per_day[day]
        css = "rs-in" + (f" rs-frz-{frz[day]}" if day in frz else "") + weekend
        css += "" if evs else " rs-empty-day"
        entries = [self.entry(e, day) for e in evs]
        return DayCell(iso=day.isoformat(), css=css, number=day.day, weekday=WEEKDAYS[day.weekday()], entries=entries)


AGENDA_FREEZES = 10


def few_freezes(events: list[CalendarEvent]) -> tuple[list[CalendarEvent], int]:
    """The events with at most ``AGENDA_FREEZES`` freezes, and how many freezes were left out."""
    kept, seen = [], 0
    for e in events:
        if e.kind == "freeze":
            seen += 1
            if seen > AGENDA_FREEZES:
                continue
        kept.append(e)
    return kept, max(0, seen - AGENDA_FREEZES)
