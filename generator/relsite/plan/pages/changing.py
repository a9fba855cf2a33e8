"""/changing/ "Changing soon": what changes in the next N days and what changed in the last N, with
``api/v1/changing.json``, and a calendar feed per service.

Every entry is a calendar event of ``CalendarSchedule`` (deployment windows, milestones, freezes, CAB
meetings, support phase changes), so the page, the JSON and every ``.ics`` feed name the same event
with the same UID: a tool can join the JSON with a subscribed calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from relsite.plan import formatting as fmt
from relsite.plan import json_text, urls
from relsite.plan.calendar_events import CalendarEvent, CalendarSchedule
from relsite.plan.icalendar_feed import EventWriter
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.site import Asset, Page
from relsite.plan.view_parts import AsOf, as_of
from relsite.validate.models import ServiceDef

CHANGING_PAGE = urls.CHANGING_SRC
CHANGING_JSON = urls.CHANGING_JSON
KIND_LABELS = {
    "window": "deployment",
    "milestone": "milestone",
    "cab": "CAB meeting",
    "els": "early life support",
    "freeze": "freeze",
    "support": "support dates",
}


def service_feed(name: str) -> str:
    """A service's calendar feed: its releases' windows, milestones and early life support, and its support dates."""
    return urls.service_calendar(name)


@dataclass(frozen=True, kw_only=True)
class ChangeRow:
    uid: str
    kind: str
    kind_label: str
    when: str
    title: str
    href: str | None
    where: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date


@dataclass(frozen=True, kw_only=True)
class ChangingView:
    as_of: AsOf
    days: int
    ahead: list[ChangeRow]
    behind: list[ChangeRow]
    json_href: str


class Changes:
    """The schedule's events cut at the build day: ahead (starting today or within N days, or still
    running today) and behind (ended within the last N days). Bounded by what is shown: one pass
    over the schedule's events."""

    def __init__(self, ix: PortfolioIndex, schedule: Events) -> None:
        self.ix = ix
        self.days = ix.pf.config.calendar.changing_days
        today = ix.today
        horizon, since = today + dt.timedelta(days=self.days), today - dt.timedelta(days=self.days)
        self.ahead: list[CalendarEvent] = []
        self.behind: list[CalendarEvent] = []
        for e in schedule.all:
            first, last = e.first_day(ix.tz), e.last_day(ix.tz)
            if last >= today and first < horizon:
                self.ahead.append(e)
            elif since <= last < today:
                self.behind.append(e)
        self.behind.reverse()  # most recent first

    @classmethod
    def revised(cls, previous: Changes, ix: PortfolioIndex, schedule: CalendarSchedule) -> Changes:
        """The cut of a revised schedule (``CalendarSchedule.revised``) from the cut of the one it was
        revised from: the events it dropped taken out, those it added placed; the same lists a pass
        over every event gives (schedule order; ``sort_key`` orders it and names each event once)."""
        gone, added = schedule.replaced
        dropped = {id(e) for e in gone}
        fresh = cls(ix, _Only(added))
        key = lambda e: e.sort_key(ix.tz)
        out = cls.__new__(cls)
        out.ix, out.days = ix, fresh.days
        out.ahead = sorted([e for e in previous.ahead if id(e) not in dropped] + fresh.ahead, key=key)
        behind = sorted([e for e in previous.behind if id(e) not in dropped] + fresh.behind, key=key)
        behind.reverse()
        out.behind = behind
        return out

    def row(self, e: CalendarEvent) -> ChangeRow:
        envs = {env.name: env.label for env in self.ix.pf.environments}
        where = (
            envs.get(e.env or "", "")
            if e.env
            else (", ".join(envs.get(a, a) for a in e.applies_to) if e.kind == "freeze" else "")
        )
        if e.kind == "freeze" and not e.applies_to:
            where = "all environments"
        if e.service:
            where = f"{self.ix.service(e.service).label}" + (f" → {where}" if where else "")
        return ChangeRow(
            uid=e.uid,
            kind=e.kind,
            kind_label=KIND_LABELS.get(e.kind, e.kind),
            when=self._when(e),
            title=e.title,
            href=e.href,
            where=where,
            start=e.start,
            end=e.end,
        )

    def _when(self, e: CalendarEvent) -> str:
        tz = self.ix.tz
        first, last = e.first_day(tz), e.last_day(tz)
        if isinstance(e.start, dt.datetime):
            return fmt.when(e.start, tz)
        return fmt.day(first) if first == last else f"{fmt.day(first)} to {fmt.day(last)}"

    @cached_property
    def rows(self) -> tuple[list[ChangeRow], list[ChangeRow]]:
        """The rows ahead and behind, made once for the page and its JSON."""
        return [self.row(e) for e in self.ahead], [self.row(e) for e in self.behind]

    def view(self) -> ChangingView:
        ahead, behind = self.rows
        return ChangingView(as_of=as_of(self.ix), days=self.days, ahead=ahead, behind=behind, json_href=CHANGING_JSON)

    def document(self, site_url: str) -> bytes:
        def entry(r: ChangeRow) -> dict[str, object]:
            return {
                "uid": r.uid,
                "kind": r.kind,
                "title": r.title,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "all_day": not isinstance(r.start, dt.datetime),
                "where": r.where,
                **({"url": f"{site_url}{r.href}"} if r.href else {}),
            }

        data = {
            "portfolio": self.ix.pf.config.name,
            "as_of": self.ix.today.isoformat(),
            "days": self.days,
            "ahead": [entry(r) for r in self.rows[0]],
            "behind": [entry(r) for r in self.rows[1]],
        }
        return json_text.indented(data)


def changing_page(changes: Changes) -> Page:
    view = changes.view()
    return page(
        CHANGING_PAGE,
        "Changing soon",
        "changing.html.j2",
        view,
        (("ahead", f"Next {view.days} days"), ("behind", f"Last {view.days} days")),
        searchable=False,
    )


def changing_asset(changes: Changes, site_url: str) -> Asset:
    return Asset(path=CHANGING_JSON, render=lambda: changes.document(site_url))


def service_feeds(ix: PortfolioIndex, schedule: CalendarSchedule, writer: EventWriter) -> Iterator[Asset]:
    by_service = schedule.by_service

    def feed(service: ServiceDef) -> Callable[[], bytes]:
        return lambda: writer.calendar(f"{ix.pf.config.name}: {service.label}", by_service.get(service.name, []))

    for name in ix.pf.services:
        yield Asset(path=service_feed(name), render=feed(ix.service(name)))


@dataclass(frozen=True)
class _Only:
    """A few events, for ``Changes`` to cut."""

    all: list[CalendarEvent]


class Events(Protocol):
    """What ``Changes`` cuts: a schedule's events in order."""

    @property
    def all(self) -> list[CalendarEvent]: ...
