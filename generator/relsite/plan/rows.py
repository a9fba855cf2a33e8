"""View models shared by several page kinds: links, release rows, deployment rows, filters.

Everything a template shows is decided here, as finished text and site-relative links; the
templates only lay these fields out (``u()`` makes the links relative to the page).
"""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.index import PortfolioIndex, Slot, Track
from relsite.plan.support import release_support
from relsite.validate import lifecycle
from relsite.validate.lifecycle import RELEASE_STATUSES
from relsite.validate.models import Release


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    """Site-relative, e.g. ``releases/REL-1/``."""


@dataclass(frozen=True)
class AsOf:
    """The "status as of" line every status page opens with."""

    iso: str
    text: str


def as_of(ix: PortfolioIndex) -> AsOf:
    return AsOf(ix.today.isoformat(), fmt.long_day(ix.today))


def release_link(r: Release) -> Link:
    return Link(r.id, urls.release(r.id))


def service_link(ix: PortfolioIndex, name: str) -> Link:
    return Link(ix.service(name).label, urls.service(name))


def env_link(ix: PortfolioIndex, name: str) -> Link:
    return Link(ix.env(name).label, urls.environment(name))


@dataclass(frozen=True)
class ReleaseRow:
    release: Link
    title: str
    service: Link
    service_name: str
    version: str
    type: str
    status: str
    risk: str
    production: str
    """The production date, or "not scheduled"."""
    production_sort: str
    search_text: str
    """What the filter box matches, lower case."""
    readiness: str
    """Handover readiness, short: "8 of 11"."""
    readiness_missing: str
    """What the handover still lacks for operations, or ""."""


@dataclass(frozen=True)
class HandoverReadiness:
    done: int
    total: int
    missing: list[str]
    """Items required before operations take over that are not there yet."""

    @property
    def short(self) -> str:
        return f"{self.done} of {self.total}"

    @property
    def sentence(self) -> str:
        return f"{self.short}" + (f", missing: {', '.join(m.lower() for m in self.missing)}" if self.missing else "")


def handover_readiness(r: Release) -> HandoverReadiness:
    done = sum(e.present(r) for e in lifecycle.CHECKLIST)
    missing = [e.name for e in lifecycle.CHECKLIST if lifecycle.required_before_handover(e) and not e.present(r)]
    return HandoverReadiness(done, len(lifecycle.CHECKLIST), missing)


def release_row(ix: PortfolioIndex, r: Release) -> ReleaseRow:
    prod = ix.prod_start(r)
    ready = handover_readiness(r)
    return ReleaseRow(
        release=release_link(r), title=r.title, service=service_link(ix, r.service), service_name=r.service,
        version=r.version, type=r.type, status=r.status, risk=r.risk,
        production=fmt.day(prod, ix.tz) if prod else "not scheduled", production_sort=prod.isoformat() if prod else "",
        search_text=f"{r.id} {r.title} {r.service} {r.version} {r.owner}".lower(),
        readiness=ready.short, readiness_missing=", ".join(m.lower() for m in ready.missing),
    )


@dataclass(frozen=True)
class ReleaseTable:
    caption: str
    rows: list[ReleaseRow]


@dataclass(frozen=True)
class SlotRow:
    when: str
    env: Link
    release: Link
    title: str
    service: str
    version: str
    status: str


def slot_row(ix: PortfolioIndex, s: Slot) -> SlotRow:
    dep = s.dep
    when = fmt.span(dep.window.start, dep.window.end, ix.tz) if dep.window else fmt.when(dep.deployed_at, ix.tz)
    return SlotRow(when, env_link(ix, s.env), release_link(s.release), s.release.title, ix.service(s.release.service).label,
                   s.release.version, dep.status)


@dataclass(frozen=True)
class SlotTable:
    timezone: str
    rows: list[SlotRow]
    show_env: bool = False


def slot_table(ix: PortfolioIndex, slots: list[Slot], show_env: bool = False) -> SlotTable:
    return SlotTable(ix.pf.config.timezone, [slot_row(ix, s) for s in slots], show_env)


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class ReleaseFilter:
    services: list[Choice]
    statuses: list[Choice]
    total: int


def release_filter(ix: PortfolioIndex, total: int) -> ReleaseFilter:
    return ReleaseFilter([Choice(s.name, s.label) for s in ix.pf.services.values()],
                         [Choice(s, fmt.label(s)) for s in RELEASE_STATUSES], total)


@dataclass(frozen=True)
class LiveCell:
    """What is live for one service (or one of its support lines) on one environment; ``release``
    None when nothing is recorded."""

    env: str
    service: str
    version: str
    release: Link | None
    since: str
    line: str = ""
    """The support line's name when the service declares lines."""
    support: str = ""
    """Where the line stands today: "security fixes only until 1 Oct 2028"."""
    ended: bool = False
    """The version's line is past its end of life: shown, but marked, never as if current."""


def live_cell(ix: PortfolioIndex, env: str, track: Track, long: bool = False) -> LiveCell:
    live = ix.live[env].get(track)
    if live is None:
        return LiveCell(env, track[0], "", None, "")
    since = fmt.when(live.since, ix.tz) if long else fmt.day(live.since, ix.tz)
    status = release_support(ix, live.release)
    if status is None:
        return LiveCell(env, track[0], live.release.version, release_link(live.release), since)
    return LiveCell(env, track[0], live.release.version, release_link(live.release), since, status.label, status.summary,
                    status.now.phase == "end_of_life")


def live_cells(ix: PortfolioIndex, env: str, service: str, long: bool = False) -> list[LiveCell]:
    """One cell per line of ``service`` live on ``env``, newest line first; one empty cell when none is."""
    cells = [live_cell(ix, env, track, long) for track in ix.live_tracks(env, service)]
    return cells or [LiveCell(env, service, "", None, "")]
