"""The calendar: one page per month (a bounded page whatever the portfolio's size), a landing page
on the build month, an agenda, and the iCalendar feeds behind them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from ..events import Event, Schedule
from ..facts import Facts
from ..ics import EventWriter
from ..model import EnvironmentDef, Release
from ..site import Asset, Page
from .common import page

AGENDA_AHEAD_DAYS = 30
AGENDA_BACK_DAYS = 14
WIDE = ("navigation", "toc")


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(f: Facts) -> list[dt.date]:
    """First days of the months the calendar shows, around the build date."""
    settings = f.pf.config.calendar
    first = add_months(f.today.replace(day=1), -settings.months_back)
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


def _freeze_of(events: list[Event]) -> str:
    kinds = {e.freeze_kind for e in events if e.kind == "freeze"}
    return "hard" if "hard" in kinds else ("soft" if "soft" in kinds else "")


class CalendarView:
    def __init__(self, f: Facts, schedule: Schedule) -> None:
        self.f = f
        self.schedule = schedule
        self.months = month_range(f)
        last = add_months(self.months[-1], 1) - dt.timedelta(days=1)
        self.days = schedule.between(self.months[0] - dt.timedelta(days=7), last + dt.timedelta(days=7))
        self.env_index = f.pf.env_index

    def month_context(self, month: dt.date) -> dict[str, Any]:
        i = self.months.index(month)
        return {
            "month": month, "weeks": weeks(month), "days": self.days, "freeze_of": _freeze_of,
            "prev": self.months[i - 1] if i else None, "next": self.months[i + 1] if i + 1 < len(self.months) else None,
            "months": self.months, "env_index": self.env_index, "tz": self.f.tz,
        }

    def month_pages(self) -> Iterator[Page]:
        for month in self.months:
            yield page(self.f, f"calendar/{month:%Y-%m}/index.md", f"Calendar {month:%B %Y}", "calendar_month.html.j2",
                       hide=WIDE, searchable=False, landing=False, **self.month_context(month))

    def landing(self) -> Page:
        month = self.f.today.replace(day=1)
        return page(self.f, "calendar/index.md", "Calendar", "calendar_month.html.j2", hide=WIDE, searchable=False, landing=True, **self.month_context(month))

    def agenda(self) -> Page:
        start = self.f.day_start
        ahead = start + dt.timedelta(days=AGENDA_AHEAD_DAYS)
        back = start - dt.timedelta(days=AGENDA_BACK_DAYS)
        tz = self.f.tz

        def begins(e: Event) -> dt.datetime:
            return e.start if isinstance(e.start, dt.datetime) else dt.datetime.combine(e.start, dt.time(), tz)

        def ends(e: Event) -> dt.datetime:
            return e.end if isinstance(e.end, dt.datetime) else dt.datetime.combine(e.end, dt.time(), tz)

        upcoming = [e for e in self.schedule.all if ends(e) > start and begins(e) < ahead]
        past = [e for e in self.schedule.all if back <= begins(e) and ends(e) <= start]
        return page(self.f, "calendar/agenda/index.md", "Agenda", "calendar_agenda.html.j2",
                    (("upcoming", "Upcoming"), ("past", "Past")), searchable=False, upcoming=upcoming, past=list(reversed(past)),
                    ahead_days=AGENDA_AHEAD_DAYS, back_days=AGENDA_BACK_DAYS, env_index=self.env_index, tz=tz)


def stamp(today: dt.date) -> dt.datetime:
    """DTSTAMP: the build day, midnight UTC, the same instant SOURCE_DATE_EPOCH is set to."""
    return dt.datetime.combine(today, dt.time(), dt.UTC)


def ics_assets(f: Facts, schedule: Schedule, site_url: str) -> Iterator[Asset]:
    writer = EventWriter(stamp(f.today), site_url, {env.name: env.label for env in f.pf.environments})
    name = f.pf.config.name
    def env_calendar(env: EnvironmentDef) -> Callable[[], bytes]:
        return lambda: writer.calendar(f"{name}: {env.label}", schedule.for_env(env.name))

    def release_calendar(r: Release) -> Callable[[], bytes]:
        return lambda: writer.calendar(f"{r.id} {r.title}", sorted(schedule.by_release[r.id], key=lambda e: e.sort_key(f.tz)))

    yield Asset("calendar/releases.ics", lambda: writer.calendar(f"{name}: releases", schedule.all))
    for env in f.pf.environments:
        yield Asset(f"calendar/{env.name}.ics", env_calendar(env))
    for r in f.pf.releases:
        yield Asset(f"releases/{r.id}/release.ics", release_calendar(r))


def pages(f: Facts, schedule: Schedule) -> Iterator[Page]:
    view = CalendarView(f, schedule)
    yield view.landing()
    yield from view.month_pages()
    yield view.agenda()
