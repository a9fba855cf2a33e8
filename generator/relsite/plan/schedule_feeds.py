"""The published change schedule: ``api/v1/freezes.json`` (every freeze and change window with its
occurrences for the next 12 months, and a JSON Schema beside it), ``calendar/freezes.ics`` (one
VEVENT per freeze or window, carrying its RRULE, EXDATE and VTIMEZONE rather than expanded copies)
and the occurrences the calendar pages show.

Times in the iCalendar file are written with the portfolio's TZID, whole days as 00:00 to 00:00
there: a freeze is frozen from midnight where the portfolio is, not midnight where a subscriber
happens to be (which is what a floating all-day date would mean).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent
from pydantic import BaseModel

from relsite.plan import json_text, urls
from relsite.plan.calendar_events import UID_DOMAIN, CalendarEvent, slug
from relsite.plan.ical_text import PRODID
from relsite.plan.index import PortfolioIndex
from relsite.plan.json_api import _schema
from relsite.plan.site import Asset
from relsite.validate.models import PortfolioConfig
from relsite.validate.recurrence import rrule_parts
from relsite.validate.schedule import (
    DAY,
    Interval,
    local,
    naive_start,
    occurrences,
    starts_between,
    wall_length,
    whole_days,
    year_after,
)
from relsite.validate.schedule_models import ChangeWindow, Freeze, Recurring

# --- the JSON document --------------------------------------------------------------------------


class ApiInterval(BaseModel):
    start: dt.datetime
    """Inclusive, UTC."""
    end: dt.datetime
    """Exclusive, UTC."""


class ApiFreeze(Freeze):
    intervals: list[ApiInterval]
    """Occurrences overlapping the document's horizon, in order."""


class ApiChangeWindow(ChangeWindow):
    intervals: list[ApiInterval]


class FreezesDocument(BaseModel):
    portfolio: str
    timezone: str
    """The zone the definitions' times are in (IANA)."""
    generated_at: dt.datetime
    """Midnight UTC of the build day: the same input gives the same file."""
    horizon_start: dt.datetime
    horizon_end: dt.datetime
    """Occurrences overlapping [horizon_start, horizon_end) are listed: the build day and the 12 months after it."""
    freezes: list[ApiFreeze]
    change_windows: list[ApiChangeWindow]


def horizon(ix: PortfolioIndex) -> tuple[dt.datetime, dt.datetime]:
    """The build day's start in the portfolio's zone, and a year later."""
    start = local(dt.datetime.combine(ix.today, dt.time()), ix.tz)
    return start, year_after(start, ix.tz)


def generated_at(ix: PortfolioIndex) -> dt.datetime:
    return dt.datetime.combine(ix.today, dt.time(), dt.UTC)


def _entry(item: Recurring, ix: PortfolioIndex, since: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    data = item.model_dump(mode="json", exclude_none=True)
    data["intervals"] = [
        {"start": iv.start.isoformat(), "end": iv.end.isoformat()} for iv in occurrences(item, ix.tz, since, until)
    ]
    return data


def freezes_document(ix: PortfolioIndex) -> dict[str, Any]:
    since, until = horizon(ix)
    cfg = ix.pf.config
    return {
        "portfolio": cfg.name,
        "timezone": cfg.timezone,
        "generated_at": generated_at(ix).isoformat(),
        "horizon_start": since.isoformat(),
        "horizon_end": until.isoformat(),
        "freezes": [_entry(f, ix, since, until) for f in cfg.freezes],
        "change_windows": [_entry(w, ix, since, until) for w in cfg.change_windows],
    }


# --- the iCalendar file -------------------------------------------------------------------------


def _rrule(item: Recurring, tz: dt.tzinfo) -> vRecur | None:
    """The RRULE with UNTIL (a day in the format) as the UTC instant ending that day, as RFC 5545
    requires when DTSTART has a TZID."""
    if not item.rrule:
        return None
    parts = rrule_parts(item.rrule)
    text = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
    rule: vRecur = vRecur.from_ical(text)
    if "UNTIL" in parts:
        last = dt.datetime.strptime(parts["UNTIL"], "%Y%m%d") + DAY - dt.timedelta(seconds=1)
        rule["UNTIL"] = [local(last, tz)]
    return rule


def _exdates(item: Recurring) -> list[dt.datetime]:
    """EXDATEs as the exact starts they remove (a date removes every start on that day)."""
    plain = item.model_copy(update={"exdate": []})
    out: set[dt.datetime] = set()
    for ex in item.exdate:
        if isinstance(ex, dt.datetime):
            out.add(ex)
        else:
            day = dt.datetime(ex.year, ex.month, ex.day)
            out.update(starts_between(plain, day, day + DAY - dt.timedelta(minutes=1)))
    return sorted(out)


def _describe(item: Freeze | ChangeWindow) -> str:
    lines = []
    if isinstance(item, Freeze):
        lines.append(
            f"{item.kind.capitalize()} change freeze on "
            + (", ".join(item.environments) if item.environments else "all environments")
            + (" for " + ", ".join(item.services) if item.services else "")
            + "."
        )
        if item.reason:
            lines.append(f"Reason: {item.reason}")
        if item.ticket:
            lines.append(f"Ticket: {item.ticket}")
        types = ", ".join(item.break_glass.types) or "none"
        lines.append(
            f"Break-glass: {types}"
            + (" with a named approval" if item.break_glass.approval and item.break_glass.types else "")
        )
    else:
        lines.append(
            f"Change window for {', '.join(item.environments)}: changes outside it are "
            + ("errors." if item.enforce == "error" else "warnings.")
        )
    return "\n".join(lines)


def _vevent(item: Freeze | ChangeWindow, tz: dt.tzinfo, utc: bool, stamp: dt.datetime) -> VEvent:
    ev = VEvent()
    kind = "freeze" if isinstance(item, Freeze) else "change-window"
    ev.add("uid", f"{kind}.{slug(item.name)}.{naive_start(item):%Y%m%dT%H%M}@{UID_DOMAIN}")
    ev.add("dtstamp", stamp)
    start = naive_start(item)
    end = start + wall_length(item)

    def when(naive: dt.datetime) -> dt.datetime:
        return local(naive, tz) if utc else naive.replace(tzinfo=tz)

    ev.add("dtstart", when(start))
    ev.add("dtend", when(end))
    rule = _rrule(item, tz)
    if rule is not None:
        ev.add("rrule", rule)
    excluded = _exdates(item)
    if excluded:
        ev.add("exdate", [when(x) for x in excluded])
    title = (
        f"{item.kind.capitalize()} freeze: {item.name}" if isinstance(item, Freeze) else f"Change window: {item.name}"
    )
    ev.add("summary", title)
    ev.add("description", _describe(item))
    ev.add("categories", [kind])
    ev.add("transp", "TRANSPARENT")
    return ev


def freezes_ics(cfg: PortfolioConfig, stamp: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{cfg.name}: change schedule")
    utc = cfg.timezone == "UTC"
    items: list[Freeze | ChangeWindow] = [*cfg.freezes, *cfg.change_windows]
    for item in items:
        cal.add_component(_vevent(item, cfg.tz, utc, stamp))
    if not utc:
        cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def schedule_assets(ix: PortfolioIndex) -> list[Asset]:
    def document() -> bytes:
        return json_text.indented(freezes_document(ix))

    def schema() -> bytes:
        return json_text.indented(_schema(FreezesDocument))

    return [
        Asset(path=urls.FREEZES_JSON, render=document),
        Asset(path=urls.FREEZES_SCHEMA, render=schema),
        Asset(path=urls.FREEZES_ICS, render=lambda: freezes_ics(ix.pf.config, generated_at(ix))),
    ]


# --- what the calendar pages show ---------------------------------------------------------------


def calendar_span(ix: PortfolioIndex) -> tuple[dt.datetime, dt.datetime]:
    """The months the calendar shows (see the calendar settings), as instants."""
    settings = ix.pf.config.calendar
    first = ix.today.replace(day=1)
    back, forward = settings.months_back, settings.months_forward + 1
    start = dt.date(first.year + (first.month - 1 - back) // 12, (first.month - 1 - back) % 12 + 1, 1)
    end = dt.date(first.year + (first.month - 1 + forward) // 12, (first.month - 1 + forward) % 12 + 1, 1)
    return local(dt.datetime.combine(start, dt.time()), ix.tz), local(dt.datetime.combine(end, dt.time()), ix.tz)


def _span(item: Recurring, iv: Interval, tz: dt.tzinfo) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    if whole_days(item):
        return iv.start.astimezone(tz).date(), iv.end.astimezone(tz).date()
    return iv.start, iv.end


def freeze_events(ix: PortfolioIndex) -> list[CalendarEvent]:
    """Each freeze occurrence the calendar shows (a one-off freeze keeps the uid it always had)."""
    since, until = calendar_span(ix)
    out = []
    for fr in ix.pf.config.freezes:
        envs = ", ".join(fr.environments) if fr.environments else "all environments"
        text = f"{fr.kind.capitalize()} change freeze on {envs}." + (f" {fr.reason}" if fr.reason else "")
        for iv in occurrences(fr, ix.tz, since, until):
            start, end = _span(fr, iv, ix.tz)
            key = start.isoformat() if whole_days(fr) else f"{iv.start.astimezone(ix.tz):%Y-%m-%dT%H%M}"
            out.append(
                CalendarEvent(
                    uid=f"freeze.{slug(fr.name)}.{key}@{UID_DOMAIN}",
                    kind="freeze",
                    title=f"{fr.kind.capitalize()} freeze: {fr.name}",
                    start=start,
                    end=end,
                    freeze_kind=fr.kind,
                    applies_to=tuple(fr.environments or ()),
                    description=text,
                )
            )
    return out


def change_window_events(ix: PortfolioIndex) -> list[CalendarEvent]:
    """Each change window occurrence the month grid and agenda show (not the iCalendar feeds of
    releases: calendar/freezes.ics carries the windows as recurring events)."""
    since, until = calendar_span(ix)
    out = []
    for cw in ix.pf.config.change_windows:
        envs = ", ".join(ix.env(e).label if e in ix.pf.env_index else e for e in cw.environments)
        for iv in occurrences(cw, ix.tz, since, until):
            start, end = _span(cw, iv, ix.tz)
            out.append(
                CalendarEvent(
                    uid=f"change-window.{slug(cw.name)}.{iv.start:%Y%m%dT%H%M}@{UID_DOMAIN}",
                    kind="change",
                    title=f"Change window: {cw.name} ({envs})",
                    start=start,
                    end=end,
                    applies_to=tuple(cw.environments),
                    description=f"Changes to {envs} may be made.",
                )
            )
    return out
