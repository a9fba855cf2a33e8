"""Support lines as readers see them: a service's lines newest first, and what the portfolio supports now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import timeline, urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import RECENTLY_ENDED_DAYS, LineStatus, portfolio_lines, service_lines, shown_first
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.plan.timeline import Timeline
from relsite.plan.view_parts import AsOf, Link, as_of, release_link, service_link
from relsite.validate.models import ServiceDef
from relsite.validate.support_phases import NOT_STARTED, PHASES, SUPPORTED

COLUMN = {
    "preview": "Preview",
    "active": "Active",
    "security": "Security only",
    "extended": "Extended",
    "end_of_life": "End of life",
}
"""Short headings, each over the first day of that phase."""
PORTFOLIO_TIMELINE_ROWS = 60
"""Beyond this many lines a shared picture stops being readable: the tables list them all, and
each service's page draws its own."""
PORTFOLIO_YEARS_BACK = 5
PORTFOLIO_YEARS_AHEAD = 6
"""The portfolio timeline's window around today; each service's own timeline shows its whole history."""


@dataclass(frozen=True, kw_only=True)
class LineRow:
    anchor: str
    service: Link
    label: str
    phase: str
    """Phase today, or "not_started"."""
    phase_label: str
    until: str
    """"until 1 Oct 2028" (or "starts 6 Oct 2027" before the first phase); "" when nothing follows."""
    dates: list[str]
    """First day of each phase in LineTable.phases, "" when not declared."""
    releases: int
    latest: Link | None
    latest_version: str
    no_release: str = "none yet"
    """What the latest-release cell says without one: "none yet", or "none recorded" once the line has ended."""


@dataclass(frozen=True, kw_only=True)
class LineTable:
    caption: str
    phases: list[tuple[str, str]]
    """(phase, column heading) for the phases any of the rows declares."""
    rows: list[LineRow]


def line_table(ix: PortfolioIndex, caption: str, lines: list[LineStatus]) -> LineTable:
    declared = [p for p in PHASES if any(getattr(s.line.phases, p) for s in lines)]
    return LineTable(
        caption=caption, phases=[(p, COLUMN[p]) for p in declared], rows=[_line_row(ix, s, declared) for s in lines]
    )


def _line_row(ix: PortfolioIndex, s: LineStatus, declared: list[str]) -> LineRow:
    """Made once per status and set of columns (``LineStatus.kept``: a re-planned index keeps the
    statuses of the lines an edit did not touch)."""
    key = ("row", *declared)
    made = s.kept.get(key)
    if made is None:
        released = (r for r in s.releases if (w := ix.when(r)) is not None and w < ix.now)
        latest = next(released, s.releases[0] if s.releases else None)  # the newest out, not a plan for next year
        made = s.kept[key] = LineRow(
            anchor=s.anchor,
            service=service_link(ix, s.service.name),
            label=s.label,
            phase=s.now.phase,
            phase_label=s.now.label,
            until=s.until_text,
            dates=[fmt.day(getattr(s.line.phases, p)) for p in declared],
            releases=len(s.releases),
            latest=release_link(latest) if latest else None,
            latest_version=latest.version if latest else "",
            no_release="none recorded" if s.now.phase == "end_of_life" else "none yet",
        )
    assert isinstance(made, LineRow)
    return made


@dataclass(frozen=True, kw_only=True)
class ServiceSupport:
    """The support section of a service's page."""

    timeline: timeline.Timeline
    """The lines not past their end of life, on the years they span: what readers ask first."""
    table: LineTable
    """Lines supported now or coming."""
    summary: str
    ended: LineTable
    """Lines past their end of life: folded on the page."""
    history: Timeline | None = None
    """Every line over the whole span, without release marks (bounded by the number of lines), one click away."""


def service_support(ix: PortfolioIndex, service: ServiceDef) -> ServiceSupport | None:
    if not service.lines:
        return None
    lines = service_lines(ix, service)
    supported = [s.label for s in lines if s.now.phase in SUPPORTED]
    summary = (
        f"{len(supported)} of {len(lines)} lines supported as of {fmt.day(ix.today)}: {', '.join(supported)}."
        if supported
        else f"None of its {len(lines)} lines is supported as of {fmt.day(ix.today)}."
    )
    current = [s for s in lines if shown_first(ix, s)] or lines[:1]
    ended = [s for s in lines if s not in current]
    history = (
        timeline.build(ix, lines, "timeline-all", f"Whole support history of {service.label}", marks=False, short=True)
        if ended
        else None
    )
    return ServiceSupport(
        timeline=timeline.build(ix, current, "timeline", f"Support timeline of {service.label}", short=True),
        table=line_table(ix, f"Support lines of {service.label} supported now or coming, newest first", current),
        summary=summary,
        ended=line_table(ix, f"Support lines of {service.label} past their end of life, newest first", ended),
        history=history,
    )


def support_summary(ix: PortfolioIndex, service: ServiceDef) -> str:
    """For the services list: "3 of 27 lines supported", or "" for a service without lines."""
    if not service.lines:
        return ""
    lines = service_lines(ix, service)
    return f"{sum(1 for s in lines if s.now.phase in SUPPORTED)} of {len(lines)} lines supported"


@dataclass(frozen=True, kw_only=True)
class SupportView:
    as_of: AsOf
    declared: bool
    """Any service declares lines; else the page explains how to."""
    timeline: timeline.Timeline | None
    timeline_note: str
    """Says so when the timeline shows only the first PORTFOLIO_TIMELINE_ROWS lines."""
    supported: LineTable
    coming: LineTable
    ended: LineTable
    ended_days: int
    feed: Link


def support_page(ix: PortfolioIndex) -> Page:
    shown = portfolio_lines(ix)
    supported = [s for s in shown if s.now.phase in SUPPORTED]
    coming = [s for s in shown if s.now.phase in (NOT_STARTED, "preview")]
    ended = [s for s in shown if s.now.phase == "end_of_life"]
    clip = (dt.date(ix.today.year - PORTFOLIO_YEARS_BACK, 1, 1), dt.date(ix.today.year + PORTFOLIO_YEARS_AHEAD, 12, 31))
    current = [s for s in shown if s.now.phase != "end_of_life"]
    charted = current[:PORTFOLIO_TIMELINE_ROWS]
    chart = (
        timeline.build(
            ix, charted, "portfolio-timeline", "Support timeline of the supported and coming lines", clip, marks=False
        )
        if charted
        else None
    )
    note = (
        f"The timeline shows the first {len(charted)} of {len(current)} current lines; the tables list them all, and "
        "each service's page has a timeline of its own."
        if len(current) > len(charted)
        else ""
    )
    view = SupportView(
        as_of=as_of(ix),
        declared=any(s.lines for s in ix.pf.services.values()),
        timeline=chart,
        timeline_note=note,
        supported=line_table(ix, "Lines supported today", supported),
        coming=line_table(ix, "Lines not supported yet", coming),
        ended=line_table(ix, f"Lines that reached their end of life in the last {RECENTLY_ENDED_DAYS} days", ended),
        ended_days=RECENTLY_ENDED_DAYS,
        feed=Link(text="Subscribe to support dates (.ics)", href=urls.SUPPORT_ICS),
    )
    return page(
        urls.SUPPORT_SRC,
        "Supported versions",
        "support.html.j2",
        view,
        (("supported", "Supported now"), ("coming", "Coming"), ("ended", "Recently ended")),
    )
