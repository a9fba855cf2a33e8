"""iCalendar (RFC 5545) feeds.

Times are written in UTC, whole days as VALUE=DATE with an exclusive DTEND, DTSTAMP is the build
date (never the wall clock), lines are folded and end with CRLF. The icalendar library is the
reference (``vevent``, ``reference_calendar``); the feeds are written by ``plan/ical_text.py``,
which writes the same bytes ten times faster (at 10,000 releases icalendar was 18 of the asset
writer's 26 seconds), and tests/test_ical_text.py holds the two equal byte for byte on every
event of the portal and on generated hostile text, so an icalendar upgrade that writes
differently fails there instead of changing the feeds silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, vText
from icalendar import Event as VEvent

from relsite.plan.calendar_events import CalendarEvent
from relsite.plan.ical_text import CALENDAR_TAIL, PRODID, calendar_head, event_status, utc, vevent_bytes

EventKey = tuple[object, ...]


def event_key(e: CalendarEvent) -> EventKey:
    """Everything ``vevent`` reads from an event: equal keys, equal bytes. The cache is keyed by it,
    not by the uid, so that a writer kept across re-plans (plan/incremental.py) never serves the
    bytes of an event's earlier version."""
    return (
        e.uid,
        e.kind,
        e.title,
        e.start,
        e.end,
        e.status,
        e.conflicts,
        e.description,
        e.href,
        e.categories,
        e.env,
        e.release.status if e.release is not None else None,
    )


class EventWriter:
    """Serialises each event once and reuses the bytes in every calendar it belongs to (the
    portfolio's, its environment's and its release's)."""

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
            cached = self._cache[key] = vevent_bytes(e, self.stamp, self.site_url, self.labels)
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
        """The calendar: ``event``'s bytes of each event, its identity lookup inlined and joined once
        (at 10,000 releases the portfolio's calendar is 87,000 events, 29 MB)."""
        objects, event = self._objects, self.event
        parts = [calendar_head(name)]
        append = parts.append
        for e in events:
            seen = objects.get(id(e))
            append(seen[1] if seen is not None and seen[0] is e else event(e))
        append(CALENDAR_TAIL)
        return b"".join(parts)


def reference_calendar(name: str, events: bytes) -> bytes:
    """What icalendar writes around ``events`` (serialised VEVENTs): the reference for ``calendar_head``."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add(
        "x-wr-calname", vText(name)
    )  # an X- property is not escaped unless typed: a title's line break crashed the build
    head, tail = bytes(cal.to_ical()).split(b"END:VCALENDAR")
    return head + events + b"END:VCALENDAR" + tail


def vevent(e: CalendarEvent, stamp: dt.datetime, site_url: str, labels: dict[str, str]) -> VEvent:
    ev = VEvent()
    ev.add("uid", e.uid)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", utc(e.start))
    ev.add("dtend", utc(e.end))
    summary = e.title + (f" ({e.status.replace('_', ' ')})" if e.kind == "window" and e.status else "")
    ev.add("summary", ("⚠ " if e.conflicts else "") + summary)
    description = e.description + ("\nConflicts: " + "; ".join(e.conflicts) if e.conflicts else "")
    if e.href and site_url:
        description += f"\n{site_url}{e.href}"
        ev.add("url", f"{site_url}{e.href}")
    ev.add("description", description)
    ev.add("categories", [e.kind, *e.categories])
    ev.add("status", event_status(e))
    ev.add("transp", "TRANSPARENT" if e.all_day else "OPAQUE")
    if e.env:
        ev.add("location", labels.get(e.env, e.env))
    return ev
