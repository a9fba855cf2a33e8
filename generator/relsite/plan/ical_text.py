"""An event's iCalendar bytes written directly, exactly as ``icalendar_feed.vevent(...).to_ical()``
writes them with icalendar 7.3 (property order, TEXT escaping, dates, folding at 75 octets), and
the calendar's own lines as ``icalendar_feed.reference_calendar`` does.

Why: building an icalendar ``Event`` and serialising it was two thirds of the asset writer's time
at 10,000 releases (87,000 events: ~20 s of a ~30 s writer), and the writer is on a large build's
critical path. ``EventWriter`` (icalendar_feed.py) writes every feed with it; tests/test_ical_text.py
compares it with icalendar byte for byte, on every event of the portal and on generated texts, so
an icalendar upgrade that writes differently fails there rather than changing feeds silently.
"""

from __future__ import annotations

import datetime as dt

from relsite.plan.calendar_events import CalendarEvent
from relsite.validate.lifecycle import calendar_status

PRODID = "-//relsite//release portal//EN"


def event_status(e: CalendarEvent) -> str:
    """STATUS: what the release's status and its window's say (every other event is confirmed)."""
    return (
        "CONFIRMED"
        if e.release is None
        else calendar_status(e.release.status, e.status if e.kind == "window" else None)
    )


def utc(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    """A time in UTC; a whole day as it is."""
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


_FOLD_LIMIT = 75


def text(value: str) -> str:
    """RFC 5545 TEXT escaping, in icalendar's order (``\\N`` first, then backslashes)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """icalendar's folding: a line is cut before the character that would make it 75 octets
    (so at most 74 before the CRLF), never right after a backslash or caret that starts an escape."""
    if len(line) < _FOLD_LIMIT - 1 and line.isascii():  # short ASCII lines (most) fit as they are
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = 1 if char < "\x80" else len(char.encode("utf-8"))
        if current and count + size >= _FOLD_LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, count = [carried], len(carried.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def calendar_head(name: str) -> bytes:
    """What ``EventWriter.calendar`` takes from icalendar before the events: the calendar's own lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + text(PRODID), "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append("X-WR-CALNAME:" + text(name))
    return ("\r\n".join(map(fold, lines)) + "\r\n").encode("utf-8")


CALENDAR_TAIL = b"END:VCALENDAR\r\n"


def _moment(value: dt.datetime | dt.date) -> str:
    """DTSTART/DTEND/DTSTAMP after the name: a date with VALUE=DATE, a UTC time with a Z."""
    if isinstance(value, dt.datetime):
        if value.utcoffset() != dt.timedelta(0):
            raise ValueError("only UTC times are written directly")
        return f":{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}Z"
    return f";VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def vevent_bytes(e: CalendarEvent, stamp: dt.datetime, site_url: str, labels: dict[str, str]) -> bytes:
    """What ``vevent(e, stamp, site_url, labels).to_ical()`` returns."""
    summary = e.title + (f" ({e.status.replace('_', ' ')})" if e.kind == "window" and e.status else "")
    description = e.description + ("\nConflicts: " + "; ".join(e.conflicts) if e.conflicts else "")
    url = f"{site_url}{e.href}" if e.href and site_url else None
    if url is not None:
        if "\r" in url or "\n" in url:
            raise ValueError(f"A URI value may not contain CR or LF characters: {url!r}")  # as icalendar says
        description += f"\n{url}"
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + text(("⚠ " if e.conflicts else "") + summary),
        "DTSTART" + _moment(utc(e.start)),
        "DTEND" + _moment(utc(e.end)),
        "DTSTAMP" + _moment(stamp),
        "UID:" + text(e.uid),
        # The rest in alphabetical order, as icalendar sorts properties outside its canonical list.
        "CATEGORIES:" + ",".join(text(c) for c in (e.kind, *e.categories)),
        "DESCRIPTION:" + text(description),
    ]
    if e.env:
        lines.append("LOCATION:" + text(labels.get(e.env, e.env)))
    lines += ["STATUS:" + text(event_status(e)), "TRANSP:" + ("TRANSPARENT" if e.all_day else "OPAQUE")]
    if url is not None:
        lines.append("URL:" + url)
    lines.append("END:VEVENT")
    return ("\r\n".join(map(fold, lines)) + "\r\n").encode("utf-8")
