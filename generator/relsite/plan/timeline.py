"""Support timelines drawn at build time: the geometry of an inline SVG, one row per line.

Everything is decided here in plain numbers (drawn at one unit per CSS pixel, as wide as the page
column, so that its text is read at the page's size; the row labels are a second picture that stays
put while the years scroll on a phone); the template only writes the elements out, so the drawing is
byte-identical for the same input and needs no script or chart library to be read, printed or
tested. Rows, ticks and marks are each bounded by what they show (lines, years, releases of a line),
never by the size of the portfolio.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import LineStatus
from relsite.validate.support_phases import PHASE_LABELS, SUPPORTED

WIDTH = 660
LABEL_WIDTH = (64, 180)
"""Narrowest and widest label column; in between it fits the longest line name."""
CHAR_WIDTH = 7.4
"""A generous average advance of the page's sans-serif at 13 px, so that names are never clipped."""
RIGHT_PAD = 16
AXIS_HEIGHT = 28
ROW_HEIGHT = 24
BAR_HEIGHT = 14
BOTTOM = 26
"""Room under the rows for the today label."""
LEGEND = ("preview", "active", "security", "extended")


@dataclass(frozen=True, kw_only=True)
class Bar:
    x: float
    width: float
    phase: str
    title: str
    open_end: bool
    """The phase has no declared end: drawn to the edge, faded."""


@dataclass(frozen=True, kw_only=True)
class Mark:
    x: float
    title: str


@dataclass(frozen=True, kw_only=True)
class Row:
    y: float
    label: str
    bars: list[Bar]
    marks: list[Mark]
    state: str
    """Phase today, for the row label's style: "end_of_life" rows are dimmed."""


@dataclass(frozen=True, kw_only=True)
class Tick:
    x: float
    label: str
    """"" for a gridline without a year written under it."""


@dataclass(frozen=True, kw_only=True)
class Timeline:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    plot_width: int
    axis_y: int
    rows: list[Row]
    ticks: list[Tick]
    today_x: float | None
    today_label: str
    today_anchor: str
    """Where the label hangs from the today line: "end" near the right edge, so it stays inside."""
    legend: list[tuple[str, str]]
    bar_height: int
    row_height: int
    marks: bool
    """Releases are marked (the legend says so)."""


def _span(lines: list[LineStatus], ix: PortfolioIndex, clip: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    days = [d for s in lines for _, d in s.phases] + [ix.today]
    days += [w.astimezone(ix.tz).date() for s in lines for r in s.releases if (w := ix.when(r))]
    first, last = min(days), max(days)
    if clip is not None:
        first, last = max(first, clip[0]), min(max(last, clip[0]), clip[1])
    return dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)


def _fit(text: str, chars: int) -> str:
    """A name cut to the label column, never clipped mid-letter by the picture's edge (the table
    beside the timeline has it in full)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _fit_keeping_version(status: LineStatus, chars: int) -> str:
    """ "Identity and single sign-on 3" cut as "Identity and si… 3": lines of one service stay apart."""
    version = status.line.version
    if status.line.title or not version or len(status.label) <= chars:
        return _fit(status.label, chars)
    return (
        _fit(status.service.label, chars - len(version) - 1) + " " + version
        if len(version) < chars // 2
        else _fit(version, chars)
    )


def _tick_step(years: int) -> int:
    return 1 if years <= 12 else 2 if years <= 24 else 5 if years <= 60 else 10


def _phase_bars(status: LineStatus, x: Callable[[dt.date], float], end: dt.date) -> list[Bar]:
    """One bar per phase before end of life, up to the next phase (or the picture's end when none follows)."""
    bars = []
    for j, (phase, day) in enumerate(status.phases):
        if phase == "end_of_life":
            continue
        nxt = status.phases[j + 1][1] if j + 1 < len(status.phases) else None
        a, b = x(day), x(nxt) if nxt else x(end)
        if b > a:
            until = f" until {fmt.day(nxt)}" if nxt else ", no end date declared"
            bars.append(
                Bar(
                    x=a,
                    width=round(b - a, 1),
                    phase=phase,
                    title=f"{status.label}: {PHASE_LABELS[phase]} from {fmt.day(day)}{until}",
                    open_end=nxt is None,
                )
            )
    return bars


def _release_marks(
    ix: PortfolioIndex, status: LineStatus, x: Callable[[dt.date], float], start: dt.date, end: dt.date
) -> list[Mark]:
    """A mark per release of the line that reaches production inside the years shown, left to right."""
    dots = []
    for r in status.releases:
        when = ix.when(r)
        if when is not None and start <= (day := when.astimezone(ix.tz).date()) < end:
            dots.append(Mark(x=x(day), title=f"{r.version} ({r.id}), {fmt.day(day)}"))
    dots.sort(key=lambda m: (m.x, m.title))
    return dots


def _anchor(today_x: float | None, label_width: int) -> str:
    """Where the today label hangs from its line, so that it stays inside the picture."""
    if today_x is not None and today_x > WIDTH - 90:
        return "end"
    if today_x is not None and today_x < label_width + 90:
        return "start"
    return "middle"


def build(
    ix: PortfolioIndex,
    lines: list[LineStatus],
    ident: str,
    title: str,
    clip: tuple[dt.date, dt.date] | None = None,
    marks: bool = True,
    short: bool = False,
) -> Timeline:
    """A timeline of ``lines`` (drawn in the order given); ``clip`` bounds the years shown. Without
    ``marks`` (the portfolio's view) the drawing is bounded by the lines alone, whatever the number
    of releases; each service's own timeline marks its releases. ``short`` names rows by version
    alone (on the service's own page, where the service goes without saying)."""
    start, end = _span(lines, ix, clip)
    span = (end - start).days
    fits = int((LABEL_WIDTH[1] - 14) / CHAR_WIDTH)
    labels = [
        _fit(s.line.title or s.line.version or s.label, fits) if short else _fit_keeping_version(s, fits) for s in lines
    ]
    label_width = int(
        min(max(max((len(t) for t in labels), default=0) * CHAR_WIDTH + 14, LABEL_WIDTH[0]), LABEL_WIDTH[1])
    )
    plot = WIDTH - label_width - RIGHT_PAD

    def x(day: dt.date) -> float:
        day = min(max(day, start), end)
        return round(label_width + (day - start).days / span * plot, 1)

    rows = []
    for i, status in enumerate(lines):
        y = AXIS_HEIGHT + i * ROW_HEIGHT
        bars = _phase_bars(status, x, end)
        dots = _release_marks(ix, status, x, start, end) if marks else []
        rows.append(Row(y=y, label=labels[i], bars=bars, marks=dots, state=status.now.phase))
    step = _tick_step(end.year - start.year)
    ticks = [
        Tick(x=x(dt.date(year, 1, 1)), label=str(year) if (year - start.year) % step == 0 and year < end.year else "")
        for year in range(start.year, end.year + 1)
    ]
    today_x = x(ix.today) if start <= ix.today < end else None
    return Timeline(
        id=ident,
        title=title,
        description=_description(lines, start, end, ix),
        width=WIDTH,
        height=AXIS_HEIGHT + len(lines) * ROW_HEIGHT + BOTTOM,
        label_width=label_width,
        plot_width=WIDTH - label_width,
        axis_y=AXIS_HEIGHT,
        rows=rows,
        ticks=ticks,
        today_x=today_x,
        today_label=f"today, {fmt.day(ix.today)}",
        today_anchor=_anchor(today_x, label_width),
        legend=[(phase, PHASE_LABELS[phase]) for phase in LEGEND],
        bar_height=BAR_HEIGHT,
        row_height=ROW_HEIGHT,
        marks=marks,
    )


def _description(lines: list[LineStatus], start: dt.date, end: dt.date, ix: PortfolioIndex) -> str:
    """The text alternative: what the picture says, in one sentence per fact."""
    counts = {phase: sum(1 for s in lines if s.now.phase == phase) for phase in (*LEGEND, "end_of_life")}
    supported = [s.label for s in lines if s.now.phase in SUPPORTED]
    parts = [f"{len(lines)} support lines from {start.year} to {end.year - 1}, as of {fmt.day(ix.today)}."]
    parts += [f"{n} in {PHASE_LABELS[phase]}." for phase, n in counts.items() if n]
    if supported:
        parts.append("Supported: " + ", ".join(supported) + ".")
    parts.append("The table next to this timeline gives every date.")
    return " ".join(parts)
