"""The calendar: one page per month (a bounded page whatever the portfolio's size), a landing page
on the build month, an agenda, and the iCalendar feeds behind them."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.calendar_events import CalendarEvent, CalendarSchedule, patched
from relsite.plan.icalendar_feed import EventWriter
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.pages.month_bars import (
    WEEKDAYS,
    CalendarEntry,
    MonthGrid,
    WeekRow,
    few_freezes,
    freeze_runs,
)
from relsite.plan.site import Asset, Page
from relsite.plan.view_parts import AsOf, Choice, Link, as_of
from relsite.validate.models import EnvironmentDef, Release

AGENDA_AHEAD_DAYS = 30
AGENDA_BACK_DAYS = 14
WIDE = ("navigation", "toc")


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(ix: PortfolioIndex) -> list[dt.date]:
    """First days of the months the calendar shows, around the build date."""
    settings = ix.pf.config.calendar
    first = add_months(ix.today.replace(day=1), -settings.months_back)
    return [add_months(first, i) for i in range(settings.months_back + settings.months_forward + 1)]


def weeks(month: dt.date) -> list[list[dt.date]]:
    """Monday-first weeks covering the month."""
    start = month - dt.timedelta(days=month.weekday())
    end = add_months(month, 1)
    out: list[list[dt.date]] = []
    day = start
    while day < end:
        out.append([day + dt.timedelta(days=i) for i in range(7)])
        day += dt.timedelta(days=7)
    return out


# --- view models --------------------------------------------------------------------------------


PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7A5195", "#117733", "#555555")
"""Okabe-Ito and friends: told apart by people with the common colour-vision deficiencies."""
PRODUCTION_COLOUR = "#D55E00"


def env_colours(envs: list[tuple[str, bool, str | None]]) -> dict[str, str]:
    """Each environment's colour: configured, else production's own, else one chosen from its name
    (not from its position in the list), the next free one when two names would share it."""
    out = {name: colour or PRODUCTION_COLOUR for name, production, colour in envs if colour or production}
    for name, _, _ in sorted(e for e in envs if e[0] not in out):
        start = zlib.crc32(name.encode("utf-8")) % len(PALETTE)
        free = [PALETTE[(start + i) % len(PALETTE)] for i in range(len(PALETTE))]
        out[name] = next((c for c in free if c not in out.values()), free[0])
    return out


@dataclass(frozen=True, kw_only=True)
class EnvChoice:
    value: str
    text: str
    colour: str


@dataclass(frozen=True, kw_only=True)
class CalendarFilter:
    environments: list[EnvChoice]
    services: list[Choice]


@dataclass(frozen=True, kw_only=True)
class MonthLink:
    key: str
    """YYYY-MM."""
    text: str
    href: str
    current: bool


@dataclass(frozen=True, kw_only=True)
class MonthView:
    as_of: AsOf
    key: str
    title: str
    landing: bool
    subscribe: list[Link]
    filter: CalendarFilter
    months: list[MonthLink]
    prev: MonthLink | None
    next: MonthLink | None
    weekdays: tuple[str, ...]
    weeks: list[WeekRow]
    timezone: str


@dataclass(frozen=True, kw_only=True)
class AgendaRow:
    kind: str
    when: str
    entry: CalendarEntry
    conflicts: str


@dataclass(frozen=True, kw_only=True)
class AgendaView:
    as_of: AsOf
    timezone: str
    ahead_days: int
    back_days: int
    filter: CalendarFilter
    upcoming: list[AgendaRow]
    past: list[AgendaRow]
    freezes_left_out: int = 0
    """Freezes beyond the first few of each list: counted, not listed, so the page stays small."""


# --- builders -----------------------------------------------------------------------------------


HISTORY_KINDS = frozenset({"window", "milestone", "els", "support"})
"""Events that give a month outside the calendar's range a page of its own: releases and support
dates, not the routine of CAB meetings and freezes."""


def months_with_events(schedule: CalendarSchedule, tz: dt.tzinfo) -> dict[dt.date, set[str]]:
    """First day of each month with a release or support date -> the releases (or lines) it shows."""
    out: dict[dt.date, set[str]] = {}
    for e in schedule.all:
        if e.kind not in HISTORY_KINDS:
            continue
        what = e.release.id if e.release else e.uid
        month, last = e.first_day(tz).replace(day=1), e.last_day(tz)
        while month <= last:
            out.setdefault(month, set()).add(what)
            month = add_months(month, 1)
    return out


def _revised_busy(busy: dict[dt.date, set[str]], gone: list[CalendarEvent], added: list[CalendarEvent],
                  tz: dt.tzinfo) -> dict[dt.date, set[str]]:
    """``months_with_events`` after the releases of ``gone`` lost every event and gained ``added``."""
    out = dict(busy)
    for events, keep in ((gone, False), (added, True)):
        for e in events:
            if e.kind not in HISTORY_KINDS or e.release is None:
                continue
            month, last = e.first_day(tz).replace(day=1), e.last_day(tz)
            while month <= last:
                found = out[month] = set(out.get(month, ()))  # a copy: the previous planner keeps its own
                if keep:
                    found.add(e.release.id)
                else:
                    found.discard(e.release.id)
                if not found:
                    del out[month]
                month = add_months(month, 1)
    return out


@dataclass(frozen=True, kw_only=True)
class YearMonth:
    text: str
    """Short month name."""
    label: str
    """What a screen reader hears: "4 releases or support dates, March 2003"."""
    count: int
    href: str | None
    """None when the month has no page (nothing happened, outside the calendar's range)."""


@dataclass(frozen=True, kw_only=True)
class YearRow:
    year: int
    months: list[YearMonth]
    total: int


@dataclass(frozen=True, kw_only=True)
class YearsView:
    as_of: AsOf
    months_back: int
    months_forward: int
    years: list[YearRow]


class CalendarPlanner(MonthGrid):
    def __init__(self, ix: PortfolioIndex, schedule: CalendarSchedule) -> None:
        self.ix = ix
        self.schedule = schedule
        self.range = month_range(ix)
        self.busy = months_with_events(schedule, ix.tz)
        self.months = sorted(set(self.range) | set(self.busy))
        """Every month with a page: the calendar's range, and each month with releases outside it."""
        self.position = {m: i for i, m in enumerate(self.months)}
        self.by_month = self._by_month([e for e in schedule.shown if not (e.kind == "freeze" and e.all_day)])  # whole-day freezes are bars
        self.runs = freeze_runs(schedule.all)
        self.runs_by_month = self._runs_by_month()
        self.env_index = ix.pf.env_index
        self._entries = {}
        self.colours = env_colours([(e.name, e.production, e.colour) for e in ix.pf.environments])
        self.filter = CalendarFilter(environments=[EnvChoice(value=e.name, text=e.label, colour=self.colours[e.name]) for e in ix.pf.environments],
                                     services=[Choice(value=s.name, text=s.label) for s in ix.pf.services.values()])

    @classmethod
    def revised(cls, previous: CalendarPlanner, ix: PortfolioIndex, schedule: CalendarSchedule) -> CalendarPlanner:
        """The planner of a schedule revised from ``previous.schedule`` (``CalendarSchedule.revised``):
        only the months its replaced events touch are filed again. Planned afresh when the months
        with a page differ (then the site's pages differ too)."""
        gone, added = schedule.replaced
        busy = _revised_busy(previous.busy, gone, added, ix.tz)
        if sorted(set(previous.range) | set(busy)) != previous.months:
            return cls(ix, schedule)
        out = cls.__new__(cls)
        out.__dict__.update(previous.__dict__)
        out.ix, out.schedule, out.busy = ix, schedule, busy
        if len(out._entries) > 2 * len(schedule.shown) + 1000:  # drop the entries of events no longer planned
            current = {id(e): e for e in schedule.shown}
            out._entries = {k: v for k, v in out._entries.items() if current.get(k) is v[0]}
        out.by_month = dict(previous.by_month)
        on_grid = [[e for e in events if not (e.kind == "freeze" and e.all_day)] for events in (gone, added)]
        def touched(e: CalendarEvent) -> list[dt.date]:
            return out.pages_touched(e.first_day(ix.tz), e.last_day(ix.tz))

        for month in {m for e in on_grid[0] + on_grid[1] for m in touched(e)}:
            inside = [[e for e in events if month in touched(e)] for events in on_grid]
            out.by_month[month] = patched(out.by_month.get(month, []), inside[0], inside[1], ix.tz)
            if not out.by_month[month]:
                del out.by_month[month]
        return out

    _entries: dict[int, tuple[CalendarEvent, CalendarEntry]]
    """Entries by event identity: a revised planner shares its previous one's, so that the events of
    releases a re-plan did not touch (the same objects) are not laid out again."""

    def entry(self, e: CalendarEvent, day: dt.date | None = None) -> CalendarEntry:
        seen = self._entries.get(id(e))
        if seen is not None and seen[0] is e:
            return seen[1]
        made = self._entry(e)
        self._entries[id(e)] = (e, made)
        return made

    def _entry(self, e: CalendarEvent) -> CalendarEntry:
        tz = self.ix.tz
        css = f"rs-ev rs-ev-{e.kind}"
        if e.env == self.ix.pf.production:
            css += " rs-env-production"
        if e.conflicts:
            css += " rs-conflict"
        if e.kind == "window" and e.status:
            css += f" rs-status-{e.status}"
        if e.release is None and e.freeze_kind:
            css += f" rs-freeze-{e.freeze_kind}"
        time = e.start.astimezone(tz).strftime("%H:%M") if isinstance(e.start, dt.datetime) and e.kind in ("window", "milestone", "change") else ""
        text = e.release.title if e.kind == "window" and e.release is not None else e.title
        tip = e.title + (f" ({fmt.label(e.status)})" if e.kind == "window" and e.status else "")
        tip += (" — " + "; ".join(e.conflicts)) if e.conflicts else ""
        href = e.href
        env_label = self.ix.env(e.env).label if e.env in self.env_index else ""
        return CalendarEntry(kind=e.kind, css=css, href=href, time=time, env_label=env_label, colour=self.colours.get(e.env or "", ""), text=text, tip=tip, env=e.env, service=e.service,
                             conflicts="; ".join(e.conflicts))

    def month_link(self, month: dt.date, current: bool = False) -> MonthLink:
        return MonthLink(key=f"{month:%Y-%m}", text=f"{month:%b %Y}", href=urls.month(month), current=current)

    def month_view(self, month: dt.date, landing: bool) -> MonthView:
        i = self.position[month]
        events = self.by_month.get(month, [])
        runs = self.runs_by_month.get(month, [])
        grid = [self.week_row(month, week, events, runs) for week in weeks(month)]
        subscribe = [Link(text="all releases (.ics)", href=urls.RELEASES_ICS)]
        subscribe += [Link(text="support dates", href=urls.SUPPORT_ICS)] if self.schedule.support else []
        subscribe += [Link(text="freezes and change windows", href=urls.FREEZES_ICS)] if self.ix.pf.config.freezes or self.ix.pf.config.change_windows else []
        subscribe += [Link(text=env.label, href=urls.calendar_ics(env.name)) for env in self.ix.pf.environments]
        return MonthView(
            as_of=as_of(self.ix), key=f"{month:%Y-%m}", title=f"{month:%B %Y}", landing=landing, subscribe=subscribe, filter=self.filter,
            months=[self.month_link(m, m == month and not landing) for m in self.range],
            prev=self.month_link(self.months[i - 1]) if i else None,
            next=self.month_link(self.months[i + 1]) if i + 1 < len(self.months) else None,
            weekdays=WEEKDAYS, weeks=grid, timezone=self.ix.pf.config.timezone)

    def month_pages(self) -> Iterator[Page]:
        for month in self.months:
            yield self.month_page(month)

    def month_page(self, month: dt.date) -> Page:
        return page(urls.month_src(month), f"Calendar {month:%B %Y}", "calendar_month.html.j2",
                    self.month_view(month, False), hide=WIDE, searchable=False)

    def landing(self) -> Page:
        return page(urls.CALENDAR_SRC, "Calendar", "calendar_month.html.j2", self.month_view(self.ix.today.replace(day=1), True),
                    hide=WIDE, searchable=False)

    def years(self) -> Page:
        """Every year with releases, each month two clicks from the calendar: here, then the month."""
        rows = []
        for year in range(self.months[-1].year, self.months[0].year - 1, -1):
            cells = []
            for n in range(1, 13):
                month = dt.date(year, n, 1)
                count = len(self.busy.get(month, ()))
                href = urls.month(month) if month in self.position else None
                label = f"{month:%B %Y}: " + (f"{count} releases or support dates" if count != 1 else "1 release or support date")
                cells.append(YearMonth(text=f"{month:%b}", label=label, count=count, href=href))
            total = sum(c.count for c in cells)
            if total or any(c.href for c in cells):
                rows.append(YearRow(year=year, months=cells, total=total))
        view = YearsView(as_of=as_of(self.ix), months_back=self.ix.pf.config.calendar.months_back, months_forward=self.ix.pf.config.calendar.months_forward, years=rows)
        return page(urls.YEARS_SRC, "Calendar by year", "calendar_years.html.j2", view, hide=WIDE, searchable=False)

    def agenda_row(self, e: CalendarEvent) -> AgendaRow:
        tz = self.ix.tz
        if e.all_day:
            last = e.last_day(tz)
            when = fmt.when(e.start, tz) + (f" – {fmt.when(last, tz)}" if last != e.start else "")
        else:
            assert isinstance(e.start, dt.datetime) and isinstance(e.end, dt.datetime)
            when = fmt.span(e.start, e.end, tz)
        entry = self.entry(e)
        return AgendaRow(kind=e.kind, when=when, entry=replace(entry, time=""), conflicts="; ".join(e.conflicts))  # the time is in "when"

    def agenda(self) -> Page:
        start = self.ix.day_start
        ahead = start + dt.timedelta(days=AGENDA_AHEAD_DAYS)
        back = start - dt.timedelta(days=AGENDA_BACK_DAYS)
        tz = self.ix.tz

        def begins(e: CalendarEvent) -> dt.datetime:
            return e.start if isinstance(e.start, dt.datetime) else dt.datetime.combine(e.start, dt.time(), tz)

        def ends(e: CalendarEvent) -> dt.datetime:
            return e.end if isinstance(e.end, dt.datetime) else dt.datetime.combine(e.end, dt.time(), tz)

        upcoming = few_freezes([e for e in self.schedule.shown if ends(e) > start and begins(e) < ahead])
        past = few_freezes([e for e in self.schedule.all if back <= begins(e) and ends(e) <= start][::-1])
        view = AgendaView(as_of=as_of(self.ix), timezone=self.ix.pf.config.timezone, ahead_days=AGENDA_AHEAD_DAYS, back_days=AGENDA_BACK_DAYS, filter=self.filter,
                          upcoming=[self.agenda_row(e) for e in upcoming[0]], past=[self.agenda_row(e) for e in past[0]],
                          freezes_left_out=upcoming[1] + past[1])
        return page(urls.AGENDA_SRC, "Agenda", "calendar_agenda.html.j2", view,
                    (("upcoming", "Upcoming"), ("past", "Past")), searchable=False)


def stamp(today: dt.date) -> dt.datetime:
    """DTSTAMP: the build day, midnight UTC, the same instant SOURCE_DATE_EPOCH is set to."""
    return dt.datetime.combine(today, dt.time(), dt.UTC)


def event_writer(ix: PortfolioIndex, site_url: str) -> EventWriter:
    """One writer per build, shared by every feed, so that each event is serialised once."""
    return EventWriter(stamp(ix.today), site_url, {env.name: env.label for env in ix.pf.environments})


def ics_assets(ix: PortfolioIndex, schedule: CalendarSchedule, site_url: str, writer: EventWriter) -> Iterator[Asset]:
    name = ix.pf.config.name

    def env_calendar(env: EnvironmentDef) -> Callable[[], bytes]:
        return lambda: writer.calendar(f"{name}: {env.label}", schedule.for_env(env.name))

    def release_calendar(r: Release) -> Callable[[], bytes]:
        return lambda: writer.calendar(f"{r.id} {r.title}", sorted(schedule.by_release[r.id], key=lambda e: e.sort_key(ix.tz)))

    yield Asset(path=urls.RELEASES_ICS, render=lambda: writer.calendar(f"{name}: releases", schedule.all))
    if schedule.support:  # else an environment may be called "support" (config.reserved-names)
        yield Asset(path=urls.SUPPORT_ICS, render=lambda: writer.calendar(f"{name}: support dates", schedule.support))
    for env in ix.pf.environments:
        yield Asset(path=urls.calendar_ics(env.name), render=env_calendar(env))
    for r in ix.pf.releases:
        yield Asset(path=urls.release_ics(r.id), render=release_calendar(r))


def pages(ix: PortfolioIndex, schedule: CalendarSchedule) -> Iterator[Page]:
    planner = CalendarPlanner(ix, schedule)
    yield planner.landing()
    yield from planner.month_pages()
    yield planner.years()
    yield planner.agenda()
