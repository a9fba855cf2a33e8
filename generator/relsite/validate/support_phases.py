"""Support lines and their phases: which line a version belongs to, and where a line stands on a day.

The rules, the pages, the feeds and the API all ask these two questions; answering them in one
place keeps "supported" meaning the same thing on every page. A phase's date is its first day, so
a line is in the latest phase that has started (end of life included) and a day before its first
phase it has not started yet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relsite.validate.models import Release, ServiceDef, ServiceLine

if TYPE_CHECKING:  # the portfolio keeps a LineIndex per service
    from relsite.validate.portfolio import Portfolio

PHASES = ("preview", "active", "security", "extended", "end_of_life")
"""In the order a line moves through them."""
SUPPORTED = frozenset({"active", "security", "extended"})
NOT_STARTED = "not_started"
"""Where a line stands before its first phase: not a phase one declares, but one the pages, feeds and API name."""
PHASE_LABELS = {
    NOT_STARTED: "not started",
    "preview": "preview",
    "active": "active support",
    "security": "security fixes only",
    "extended": "extended support",
    "end_of_life": "end of life",
}
ENDS = {
    "preview": "previews end",
    "active": "active support ends",
    "security": "security support ends",
    "extended": "extended support ends",
}
"""What the start of the next phase means for the one before it, as calendar events say it."""

_WILDCARD = re.compile(r"(?:[.-][xX*])+$")
SEPARATORS = frozenset(".-+_ ")
"""What may follow a line's prefix in a version of it: "3.12" + ".4", "4" + "-rc1"."""


def prefix_of(version: str | None) -> str:
    """The version prefix a line covers: "4.x" and "4.*" cover what "4" covers; "" covers all."""
    if not version:
        return ""
    return _bare(_WILDCARD.sub("", version))


def _bare(version: str) -> str:
    """A leading "v" is not part of the number: "v4.2" is in line "4"."""
    return version[1:] if version[:1] in "vV" and version[1:2].isdigit() else version


class LineIndex:
    """A service's lines by prefix: finding a version's line costs a few dictionary look-ups (one
    per separator in the version), not a scan of every line; at 10,000 releases of services with a
    hundred lines each, the scan was a third of validation."""

    def __init__(self, service: ServiceDef) -> None:
        self.by_prefix = {prefix_of(line.version): line for line in service.lines}

    def find(self, version: str) -> ServiceLine | None:
        """The line with the longest prefix that ends at a separator of ``version``: "3.12.4" is in
        "3.12" and in "3"; "3.120" is in neither "3.12" nor "3.1"."""
        if not self.by_prefix:
            return None
        bare = _bare(version.strip())
        cuts = [i for i, ch in enumerate(bare) if ch in SEPARATORS]
        for end in (len(bare), *reversed(cuts)):
            line = self.by_prefix.get(bare[:end])
            if line is not None:
                return line
        return self.by_prefix.get("")


def line_of(service: ServiceDef, version: str) -> ServiceLine | None:
    """The declared line ``version`` belongs to: the one with the longest matching prefix."""
    return LineIndex(service).find(version)


def track_of(pf: Portfolio, r: Release) -> tuple[str, str]:
    """(service, line prefix): releases on one track replace each other; different lines of one
    service (3.12.8 and 3.13.2) ship side by side, like different services."""
    line = pf.line_index(r.service).find(r.version)
    return (r.service, prefix_of(line.version) if line else "")


def same_track(pf: Portfolio, a: Release, b: Release) -> bool:
    return a.service == b.service and track_of(pf, a) == track_of(pf, b)


def phase_dates(line: ServiceLine) -> list[tuple[str, dt.date]]:
    """The declared phases with their first days, in phase order."""
    return [(name, day) for name in PHASES if (day := getattr(line.phases, name)) is not None]


@dataclass(frozen=True)
class PhaseOn:
    """Where a line stands on a day."""

    phase: str
    """A name from PHASES, or NOT_STARTED before the line's first phase."""
    since: dt.date | None
    until: dt.date | None
    """First day of the next declared phase (the day this one ends), None when none follows."""

    @property
    def supported(self) -> bool:
        return self.phase in SUPPORTED

    @property
    def label(self) -> str:
        return PHASE_LABELS[self.phase]


def phase_on(line: ServiceLine, day: dt.date) -> PhaseOn:
    dates = phase_dates(line)
    phase, since, until = NOT_STARTED, None, dates[0][1] if dates else None
    for i, (name, start) in enumerate(dates):
        if start <= day:
            phase, since = name, start
            until = dates[i + 1][1] if i + 1 < len(dates) else None
    return PhaseOn(phase, since, until)


def line_label(service: ServiceDef, line: ServiceLine) -> str:
    if line.title:
        return line.title
    return f"{service.label} {line.version}" if line.version else service.label


def version_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Orders "3.9" before "3.10": numbers as numbers, words as words."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|[A-Za-z]+", text))


def newest_first(lines: list[ServiceLine]) -> list[ServiceLine]:
    """By first phase date, then by version, newest first: the order the pages list lines in."""

    def key(line: ServiceLine) -> tuple[dt.date, tuple[tuple[int, int | str], ...]]:
        dates = phase_dates(line)
        return (dates[0][1] if dates else dt.date.max, version_key(line.version or ""))

    return sorted(lines, key=key, reverse=True)
