"""Calendar events: the forward schedule of change as one list, shared by the calendar pages and the feeds.

UIDs come from what an event *is* (release id, environment, kind), never from its dates, so a
calendar client that subscribed updates a moved window instead of showing it twice.
Conflicts are computed with the validator's own sweep (rules.overlaps, rules.freeze_hits), so the
calendar shows exactly what CI reports.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from relsite.plan import urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import phase_changes
from relsite.validate.models import Release
from relsite.validate.support_phases import PHASE_LABELS, same_track

UID_DOMAIN = "relsite"
MILESTONES = (("code_freeze", "Code freeze"), ("cab", "CAB review"), ("go_no_go", "Go/no-go"))
MILESTONE_MINUTES = 30


@dataclass(frozen=True, kw_only=True)
class CalendarEvent:
    uid: str
    kind: str
    """window, milestone, cab, els, freeze, change (a change window) or support."""
    title: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    """Exclusive: the day after the last day for all-day events."""
    release: Release | None = None
    env: str | None = None
    status: str | None = None
    freeze_kind: str | None = None
    applies_to: tuple[str, ...] = ()
    """Environments a freeze covers; empty means all."""
    conflicts: tuple[str, ...] = field(default=())
    description: str = ""
    of_service: str | None = None
    """The service a support date belongs to (a release's events take it from the release)."""
    link: str = ""
    """Site-relative page about the event when it is not a release's (a support line on its service page)."""
    categories: tuple[str, ...] = ()
    """Extra iCalendar categories: end-of-life, end-of-support."""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def service(self) -> str | None:
        return self.release.service if self.release else self.of_service

    @property
    def href(self) -> str | None:
        return urls.release(self.release.id) if self.release else (self.link or None)

    _days: tuple[dt.tzinfo, dt.date, dt.date] | None = field(default=None, init=False, compare=False, repr=False)
    """The first and last day in the zone last asked for: month grids ask for every event of a
    month once per week row, three quarters of a million times in a plan of 10,000 releases."""

    def days(self, tz: dt.tzinfo) -> tuple[dt.date, dt.date]:
        """The first and the last calendar day the event touches in ``tz``."""
        kept = self._days
        if kept is not None and kept[0] is tz:
            return kept[1], kept[2]
        first = self.start.astimezone(tz).date() if isinstance(self.start, dt.datetime) else self.start
        if isinstance(self.end, dt.datetime):
            end = self.end.astimezone(tz)
            last = end.date()
            if end.time() == dt.time(0) and last > first:  # an event ending at midnight does not touch that day
                last -= dt.timedelta(days=1)
        else:
            last = self.end - dt.timedelta(days=1)
        object.__setattr__(self, "_days", (tz, first, last))
        return first, last

    def first_day(self, tz: dt.tzinfo) -> dt.date:
        return self.days(tz)[0]

    def last_day(self, tz: dt.tzinfo) -> dt.date:
        """The last calendar day the event touches (an event ending at midnight does not touch that day)."""
        return self.days(tz)[1]

    def sort_key(self, tz: dt.tzinfo) -> tuple[object, ...]:
        start = self.start if isinstance(self.start, dt.datetime) else dt.datetime.combine(self.start, dt.time(), tz)
        return (start, not self.all_day, self.kind, self.uid)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def conflicts(ix: PortfolioIndex) -> dict[tuple[str, str], list[str]]:
    """(release id, environment) -> what its window clashes with, as readers should see it."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in ix.overlaps:
        a, b = o.earlier, o.later
        if o.coordinated and not same_track(ix.pf, a.release, b.release):
            continue  # planned together: not a conflict (the release pages say so)
        out[(b.release.id, b.env)].append(f"overlaps {a.release.id} ({a.release.service})")
        out[(a.release.id, a.env)].append(f"overlaps {b.release.id} ({b.release.service})")
    for s, fr in ix.freeze_hits:
        out[(s.release.id, s.env)].append(f"in {fr.kind} freeze '{fr.name}'")
    return out


def release_events(ix: PortfolioIndex, r: Release, clashes: dict[tuple[str, str], list[str]]) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for env in ix.pf.environments:
        dep = r.environments.get(env.name)
        if dep is None or dep.window is None:
            continue
        events.append(
            CalendarEvent(
                uid=f"{r.id}.{env.name}.window@{UID_DOMAIN}",
                kind="window",
                title=f"{r.id} {r.title} → {env.label}",
                start=dep.window.start,
                end=dep.window.end,
                release=r,
                env=env.name,
                status=dep.status,
                conflicts=tuple(clashes.get((r.id, env.name), ())),
                description=f"{r.service} {r.version}: deployment to {env.label} ({dep.status.replace('_', ' ')}).",
            )
        )
    for key, label in MILESTONES:
        value = getattr(r.milestones, key)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            start: dt.datetime | dt.date = value
            end: dt.datetime | dt.date = value + dt.timedelta(minutes=MILESTONE_MINUTES)
        else:
            start, end = value, value + dt.timedelta(days=1)
        events.append(
            CalendarEvent(
                uid=f"{r.id}.{key}@{UID_DOMAIN}",
                kind="milestone",
                title=f"{label}: {r.id} {r.title}",
                start=start,
                end=end,
                release=r,
                status=r.status,
                description=f"{label} for {r.service} {r.version}.",
            )
        )
    els = r.handover.early_life_support if r.handover else None
    prod = ix.prod_start(r)
    if els is not None and prod is not None:
        first = prod.astimezone(ix.tz).date()
        if first <= els.until:
            events.append(
                CalendarEvent(
                    uid=f"{r.id}.early-life-support@{UID_DOMAIN}",
                    kind="els",
                    title=f"Early life support: {r.id} {r.title}",
                    start=first,
                    end=els.until + dt.timedelta(days=1),
                    release=r,
                    status=r.status,
                    description=f"Early life support by {els.team}.",
                )
            )
    return events


def portfolio_events(ix: PortfolioIndex) -> list[CalendarEvent]:
    """CAB meetings and freezes: the portfolio's own dates."""
    events = [
        CalendarEvent(
            uid=f"cab.{d.isoformat()}@{UID_DOMAIN}",
            kind="cab",
            title="Change Advisory Board",
            start=d,
            end=d + dt.timedelta(days=1),
            description="Change Advisory Board meeting.",
        )
        for d in ix.pf.config.cab_meetings
    ]
    from relsite.plan.schedule_feeds import freeze_events  # it builds on this module's CalendarEvent

    events += freeze_events(ix)
    return events


def support_events(ix: PortfolioIndex) -> list[CalendarEvent]:
    """Each support line entering a phase: end of life, end of (active, extended) support, starts."""
    out = []
    for change in phase_changes(ix):
        service = change.status.service.name
        ends = f" {change.ends[0].upper()}{change.ends[1:]}." if change.ends else ""
        category = {"end_of_life": "end-of-life", "end_of_support": "end-of-support"}.get(change.kind, "support")
        out.append(
            CalendarEvent(
                uid=f"{change.uid}@{UID_DOMAIN}",
                kind="support",
                title=change.title,
                start=change.day,
                end=change.day + dt.timedelta(days=1),
                of_service=service,
                link=urls.service(service, change.status.anchor),
                categories=(category,),
                description=f"{change.status.label} enters {PHASE_LABELS[change.phase]} on {change.day}.{ends}",
            )
        )
    return out


def patched(
    events: list[CalendarEvent], gone: list[CalendarEvent], added: list[CalendarEvent], tz: dt.tzinfo
) -> list[CalendarEvent]:
    """``events`` (sorted by ``sort_key``) without ``gone`` (found by identity) and with ``added``, still sorted."""
    out = list(events)

    def key(e: CalendarEvent) -> tuple[object, ...]:
        return e.sort_key(tz)

    for e in gone:
        i = bisect.bisect_left(out, key(e), key=key)
        while out[i] is not e:
            i += 1
        del out[i]
    for e in added:
        bisect.insort(out, e, key=key)
    return out


class CalendarSchedule:
    """All events, indexed by release and by day, built once."""

    def __init__(self, ix: PortfolioIndex) -> None:
        self.ix = ix
        clashes = conflicts(ix)
        self.by_release: dict[str, list[CalendarEvent]] = {r.id: release_events(ix, r, clashes) for r in ix.pf.releases}
        self.portfolio = portfolio_events(ix)
        self.support = support_events(ix)
        self.portfolio += self.support
        releases = [e for evs in self.by_release.values() for e in evs]
        self.all: list[CalendarEvent] = sorted(self.portfolio + releases, key=lambda e: e.sort_key(ix.tz))
        from relsite.plan.schedule_feeds import change_window_events

        self.changes = change_window_events(ix)
        """Change windows: on the month grid and the agenda, not in the releases' iCalendar feeds."""
        self.shown: list[CalendarEvent] = (
            sorted(self.all + self.changes, key=lambda e: e.sort_key(ix.tz)) if self.changes else self.all
        )

    @classmethod
    def revised(cls, previous: CalendarSchedule, ix: PortfolioIndex, ids: Collection[str]) -> CalendarSchedule:
        """The schedule of ``ix``'s portfolio from ``previous``, the schedule of one that differs only
        in the releases ``ids`` (same configuration, same day): their events made again, every other
        event kept, the sorted lists patched by bisection instead of sorted again."""
        out = cls.__new__(cls)
        out.ix = ix
        clashes = conflicts(ix)
        out.by_release = dict(previous.by_release)
        gone: list[CalendarEvent] = []
        added: list[CalendarEvent] = []
        for rid in ids:
            gone += previous.by_release[rid]
            out.by_release[rid] = release_events(ix, ix.pf.by_id[rid], clashes)
            added += out.by_release[rid]
        out.portfolio, out.support, out.changes = previous.portfolio, previous.support, previous.changes
        out.all = patched(previous.all, gone, added, ix.tz)
        out.shown = patched(previous.shown, gone, added, ix.tz) if out.changes else out.all
        out.replaced = (gone, added)
        out._env_base = previous._by_env
        if "by_service" in previous.__dict__:
            out.by_service = dict(previous.by_service)
            for name in {e.service for e in (*gone, *added)}:
                out.by_service[name] = patched(
                    previous.by_service.get(name, []),
                    [e for e in gone if e.service == name],
                    [e for e in added if e.service == name],
                    ix.tz,
                )
        return out

    @cached_property
    def by_service(self) -> dict[str | None, list[CalendarEvent]]:
        """Each service's events (None: those of no service), in schedule order: its calendar feed."""
        out: dict[str | None, list[CalendarEvent]] = {}
        for e in self.all:
            out.setdefault(e.service, []).append(e)
        return out

    replaced: tuple[list[CalendarEvent], list[CalendarEvent]] = ([], [])
    """For a revised schedule: the events it dropped from, and added to, the previous one."""
    _by_env: dict[str, list[CalendarEvent]] | None = None
    """``for_env`` by environment, as made."""
    _env_base: dict[str, list[CalendarEvent]] | None = None
    """For a revised schedule: the previous schedule's ``_by_env`` (that dict alone, so that schedules
    revised one from another never chain up in memory)."""

    def for_env(self, env: str) -> list[CalendarEvent]:
        """Windows on ``env`` and the freezes that apply to it, in ``all``'s order (not to be changed).

        A revised schedule patches the previous schedule's list like ``all`` (filtering commutes with
        ``patched``: both insert after the equal keys); at 10,000 releases filtering 87,000 events
        was a fortieth of a second for each environment's calendar."""
        if self._by_env is None:
            self._by_env = {}
        found = self._by_env.get(env)
        if found is None:
            base = self._env_base.get(env) if self._env_base is not None else None
            if base is not None:
                gone, added = self.replaced
                on = [e for e in gone if _on_env(e, env)], [e for e in added if _on_env(e, env)]
                found = patched(base, *on, self.ix.tz)
            else:
                found = [e for e in self.all if _on_env(e, env)]
            self._by_env[env] = found
        return found


def _on_env(e: CalendarEvent, env: str) -> bool:
    return e.env == env or (e.kind == "freeze" and (not e.applies_to or env in e.applies_to))
