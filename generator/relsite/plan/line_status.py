"""Where each support line stands on the build day, as the pages, feeds and API show it.

The phase arithmetic is ``validate.support``; this module only gathers, per line, what readers
ask: the phase today, until when, the end of life, its releases, and the phase changes that
calendars and the Atom feed announce.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from relsite.plan import formatting as fmt
from relsite.plan.index import PortfolioIndex
from relsite.validate.models import Release, ServiceDef, ServiceLine
from relsite.validate.support_phases import (
    ENDS,
    NOT_STARTED,
    PHASE_LABELS,
    PhaseOn,
    line_label,
    newest_first,
    phase_dates,
    phase_on,
    prefix_of,
)

RECENTLY_ENDED_DAYS = 365
"""The portfolio's support page also shows lines that reached their end of life within this many days."""


@dataclass(frozen=True, kw_only=True)
class LineStatus:
    """One support line as of the build day."""

    service: ServiceDef
    line: ServiceLine
    label: str
    prefix: str
    anchor: str
    now: PhaseOn
    phases: list[tuple[str, dt.date]]
    releases: list[Release]
    """Newest first."""
    kept: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)
    """What exporters made of it (lifecycle_facts.cycle_facts): a live preview's index keeps the
    status of every line an edit did not touch (``keep_untouched``), so that is made once."""

    @property
    def until_text(self) -> str:
        """The current phase's end: "until 1 Oct 2028", "" when nothing follows."""
        if self.now.until is None:
            return ""
        return (
            f"starts {fmt.day(self.now.until)}" if self.now.phase == NOT_STARTED else f"until {fmt.day(self.now.until)}"
        )

    @property
    def summary(self) -> str:
        """One phrase: "security fixes only until 1 Oct 2028", "end of life since 1 Oct 2026"."""
        if self.now.phase == "end_of_life":
            return f"end of life since {fmt.day(self.now.since)}"
        return f"{self.now.label} {self.until_text}".strip()


def anchor_of(prefix: str) -> str:
    return "line-" + (re.sub(r"[^A-Za-z0-9]+", "-", prefix).strip("-") or "all")


_STATUSES: weakref.WeakKeyDictionary[PortfolioIndex, dict[tuple[str, str | None], LineStatus]] = (
    weakref.WeakKeyDictionary()
)


def line_status(ix: PortfolioIndex, service: ServiceDef, line: ServiceLine) -> LineStatus:
    """Made once per index and line: pages ask for the line of every release and live version they show."""
    known = _STATUSES.setdefault(ix, {})
    key = (service.name, line.version)
    found = known.get(key)
    if found is None:
        found = known[key] = _line_status(ix, service, line)
    return found


def _line_status(ix: PortfolioIndex, service: ServiceDef, line: ServiceLine) -> LineStatus:
    prefix = prefix_of(line.version)
    return LineStatus(
        service=service,
        line=line,
        label=line_label(service, line),
        prefix=prefix,
        anchor=anchor_of(prefix),
        now=phase_on(line, ix.today),
        phases=phase_dates(line),
        releases=ix.by_track.get((service.name, prefix), []),
    )


_ORDER: weakref.WeakKeyDictionary[PortfolioIndex, dict[str, list[ServiceLine]]] = weakref.WeakKeyDictionary()


def service_lines(ix: PortfolioIndex, service: ServiceDef) -> list[LineStatus]:
    """A service's lines, newest first (ordered once per index: pages and exports ask for every service's)."""
    known = _ORDER.setdefault(ix, {})
    order = known.get(service.name)
    if order is None:
        order = known[service.name] = newest_first(service.lines)
    return [line_status(ix, service, line) for line in order]


def all_lines(ix: PortfolioIndex) -> list[LineStatus]:
    return [status for service in ix.pf.services.values() for status in service_lines(ix, service)]


def shown_first(ix: PortfolioIndex, s: LineStatus) -> bool:
    """Not yet ended, or ended within RECENTLY_ENDED_DAYS: what a page leads with. Older lines are
    folded or counted, so a page's size follows what is supported, not the length of the history."""
    since = ix.today - dt.timedelta(days=RECENTLY_ENDED_DAYS)
    return s.now.phase != "end_of_life" or (s.now.since is not None and s.now.since > since)


def portfolio_lines(ix: PortfolioIndex) -> list[LineStatus]:
    """Lines the portfolio view shows: not yet ended, or ended within RECENTLY_ENDED_DAYS."""
    return [s for s in all_lines(ix) if shown_first(ix, s)]


_RELEASE_LINES: weakref.WeakKeyDictionary[PortfolioIndex, dict[str, LineStatus | None]] = weakref.WeakKeyDictionary()


def release_support(ix: PortfolioIndex, r: Release) -> LineStatus | None:
    """The line ``r`` belongs to, once per index and release: the environment pages ask for every
    live version on every save of a live preview."""
    known = _RELEASE_LINES.setdefault(ix, {})
    if r.id not in known:
        line = ix.pf.line_of(r)
        known[r.id] = line_status(ix, ix.service(r.service), line) if line is not None else None
    return known[r.id]


def keep_untouched(
    ix: PortfolioIndex, previous: PortfolioIndex, touched: set[tuple[str, str]], changed: set[str]
) -> None:
    """Give ``ix`` the line statuses ``previous`` made of the lines outside ``touched`` (a re-planned
    index, whose ``by_track`` keeps those lines' lists: index_revise), and the lines of the releases
    outside ``changed`` that belong to them: the rest of a status reads the service, the line and
    the day, which a re-plan keeps."""
    if previous in _ORDER and ix not in _ORDER:
        _ORDER[ix] = dict(_ORDER[previous])  # the order reads the services alone, which a re-plan keeps
    if previous in _CHANGES and ix not in _CHANGES:
        _CHANGES[ix] = _CHANGES[previous]  # a phase change reads its line, not the line's releases
    made = _STATUSES.get(previous)
    if not made or ix in _STATUSES or ix in _RELEASE_LINES:
        return
    known = dict(made)
    for service, prefix in touched:
        for line in ix.service(service).lines:
            if prefix_of(line.version) == prefix:
                known.pop((service, line.version), None)
    _STATUSES[ix] = known
    lines = dict(_RELEASE_LINES.get(previous, {}))
    for rid in changed:
        lines.pop(rid, None)
    for track in touched:  # a release's status is its own line's: that of its track
        for r in (*previous.by_track.get(track, ()), *ix.by_track.get(track, ())):
            lines.pop(r.id, None)
    _RELEASE_LINES[ix] = lines


@dataclass(frozen=True, kw_only=True)
class PhaseChange:
    """A line entering a phase: what the calendars and the Atom feed announce."""

    status: LineStatus
    phase: str
    day: dt.date

    @property
    def uid(self) -> str:
        """Stable across builds and edits of anything else: service, line and phase."""
        return f"support-{self.status.service.name}-{self.status.prefix or 'all'}-{self.phase}"

    @property
    def title(self) -> str:
        label = self.status.label
        if self.phase == "end_of_life":
            return f"{label}: end of life"
        if self.phase in ("preview", "active"):
            return f"{label}: {PHASE_LABELS[self.phase]} begins"
        return f"{label}: {PHASE_LABELS[self.phase]} from today"

    @property
    def ends(self) -> str:
        """What ends on this day, for the event's description: "active support ends"."""
        phases = [name for name, _ in self.status.phases]
        i = phases.index(self.phase)
        return ENDS[phases[i - 1]] if i else ""

    @property
    def kind(self) -> str:
        """end_of_life, end_of_support (a supported phase narrows), or start."""
        if self.phase == "end_of_life":
            return "end_of_life"
        return "end_of_support" if self.phase in ("security", "extended") else "start"


_CHANGES: weakref.WeakKeyDictionary[PortfolioIndex, list[PhaseChange]] = weakref.WeakKeyDictionary()


def phase_changes(ix: PortfolioIndex) -> list[PhaseChange]:
    """Every dated phase start of every line, oldest first: once per index (the feed asks on every
    save of a live preview, whose re-planned index keeps the last one's: ``keep_untouched``)."""
    found = _CHANGES.get(ix)
    if found is None:
        found = [PhaseChange(status=s, phase=name, day=day) for s in all_lines(ix) for name, day in s.phases]
        found.sort(key=lambda c: (c.day, c.uid))
        _CHANGES[ix] = found
    return found
