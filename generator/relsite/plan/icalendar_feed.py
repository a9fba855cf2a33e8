"""iCalendar (RFC 5545) feeds written with the icalendar library.

Times are written in UTC, whole days as VALUE=DATE with an exclusive DTEND, DTSTAMP is the build
date (never the wall clock), and the library folds lines and ends them with CRLF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from relsite.plan.calendar_events import CalendarEvent
from relsite.validate.lifecycle import calendar_status

PRODID = "-//relsite//release portal//EN"


def _status(e: CalendarEvent) -> str:
    return "CONFIRMED" if e.release is None else calendar_status(e.release.status, e.status if e.kind == "window" else None)


def _when(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


EventKey = tuple[object, ...]


def event_key(e: CalendarEvent) -> EventKey:
    """Everything ``vevent`` reads from an event: equal keys, equal bytes. The cache is keyed by it,
    not by the uid, so that a writer kept across re-plans (plan/incremental.py) never serves the
    bytes of an event's earlier version."""
    return (e.uid, e.kind, e.title, e.start, e.end, e.status, e.conflicts, e.description, e.href, e.categories, e.env,
            e.release.status if e.release is not None else None)


class EventWriter:
    """Serialises each event once with icalendar and reuses the bytes in every calendar it belongs to
    (the portfolio's, its environment's and its release's): icalendar is thorough but slow."""

    def __init__(self, stamp: dt.datetime, site_url: str = "", env_labels: dict[str, str] | None = None) -> None:
        self.stamp = stamp
        self.site_url = site_url
        self.labels = env_labels or {}
        self._cache: dict[EventKey, bytes] = {}
        self._objects: dict[int, tuple[CalendarEvent, bytes]] = {}
        """By identity: the same event object again (a re-plan keeps the events of releases it did
        not touch) costs one lookup, not a key."""

    def event(self, e: CalendarEvent) -> bytes:
        seen = self._objects.get(id(e))
        if seen is not None and seen[0] is e:
            return seen[1]
        key = event_key(e)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = bytes(vevent(e, self.stamp, self.site_url, self.labels).to_ical())
        self._objects[id(e)] = (e, cached)
        return cached

    @property
    def size(self) -> int:
        """Events (by value and by identity) whose bytes are kept."""
        return len(self._cache) + len(self._objects)

    def forget(self, events: Iterable[CalendarEvent]) -> None:
        """Keep the bytes of ``events`` only: a long-lived writer holds the current events, not every
        earlier version."""
        current = {id(e): e for e in events}
        self._objects = {k: v for k, v in self._objects.items() if current.get(k) is v[0]}
        keys = {event_key(e) for e in current.values()}
        self._cache = {k: v for k, v in self._cache.items() if k in keys}

    def calendar(self, name: str, events: Iterable[CalendarEvent]) -> bytes:
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", vText(name))  # an X- property is not escaped unless typed: a title's line break crashed the build
        head, tail = bytes(cal.to_ical()).split(b"END:VCALENDAR")
        return head + b"".join(self.event(e) for e in events) + b"END:VCALENDAR" + tail


def vevent(e: CalendarEvent, stamp: dt.datetime, site_url: str, labels: dict[str, str]) -> VEvent:
    ev = VEvent()
    ev.add("uid", e.uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", _when(e.start))
    ev.add("dtend", _when(e.end))
    summary = e.title + (f" ({e.status.replace('_', ' ')})" if e.kind == "window" and e.status else "")
    ev.add("summary", ("⚠ " if e.conflicts else "") + summary)
    description = e.description + ("\nConflicts: " + "; ".join(e.conflicts) if e.conflicts else "")
    if e.href and site_url:
        description += f"\n{site_url}{e.href}"
        ev.add("url", f"{site_url}{e.href}")
    ev.add("description", description)
    ev.add("categories", [e.kind, *e.categories])
    ev.add("status", _status(e))
    ev.add("transp", "TRANSPARENT" if e.all_day else "OPAQUE")
    if e.env:
        ev.add("location", labels.get(e.env, e.env))
    return ev
