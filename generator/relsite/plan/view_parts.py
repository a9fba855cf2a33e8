"""View models shared by several page kinds: links, release rows, deployment rows, filters.

Everything a template shows is decided here, as finished text and site-relative links; the
templates only lay these fields out (``u()`` makes the links relative to the page).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.attention import concerns
from relsite.plan.index import Live, PortfolioIndex, Slot, Track
from relsite.plan.line_status import release_support, shown_first
from relsite.validate import lifecycle
from relsite.validate.lifecycle import RELEASE_STATUSES
from relsite.validate.models import Release


@dataclass(frozen=True, kw_only=True)
class Link:
    text: str
    href: str
    """Site-relative, e.g. ``releases/REL-1/``."""


@dataclass(frozen=True, kw_only=True)
class AsOf:
    """The "status as of" line every status page opens with."""

    iso: str
    text: str


def as_of(ix: PortfolioIndex) -> AsOf:
    return AsOf(iso=ix.today.isoformat(), text=fmt.long_day(ix.today))


def release_link(r: Release) -> Link:
    return Link(text=r.id, href=urls.release(r.id))


def service_link(ix: PortfolioIndex, name: str) -> Link:
    return Link(text=ix.service(name).label, href=urls.service(name))


def env_link(ix: PortfolioIndex, name: str) -> Link:
    return Link(text=ix.env(name).label, href=urls.environment(name))


@dataclass(frozen=True, kw_only=True)
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
    """Handover readiness, short: "ready", "missing: runbook", or "" for a cancelled release."""
    readiness_missing: bool
    """Something required is missing: the tag is marked."""
    shown: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Its HTML by link prefix, written once (markup.release_rows)."""


@dataclass(frozen=True, kw_only=True)
class HandoverReadiness:
    applies: bool
    """False for a cancelled release: it shows no readiness at all."""
    missing: list[str]
    """Items required before operations take over that are not there yet."""
    recommended: list[str]
    """Recommended items not there yet: said apart, never counted with the required ones."""

    @property
    def short(self) -> str:
        """ "ready", "missing: runbook, rollback plan", or "" when there is no handover."""
        if not self.applies:
            return ""
        return f"missing: {', '.join(m.lower() for m in self.missing)}" if self.missing else "ready"

    @property
    def sentence(self) -> str:
        if not self.applies:
            return ""
        extra = (
            f"; recommended, not there yet: {', '.join(m.lower() for m in self.recommended)}"
            if self.recommended
            else ""
        )
        return self.short + extra


def handover_readiness(r: Release) -> HandoverReadiness:
    required, recommended = lifecycle.handover_gaps(r)
    return HandoverReadiness(
        applies=lifecycle.handover_applies(r),
        missing=[e.name for e in required],
        recommended=[e.name for e in recommended],
    )


_ROWS: weakref.WeakKeyDictionary[PortfolioIndex, dict[str, tuple[Release, ReleaseRow]]] = weakref.WeakKeyDictionary()


def release_row(ix: PortfolioIndex, r: Release) -> ReleaseRow:
    """Made once per index and release: a year page lists thousands, the index and the service pages
    list them again. A re-planned index keeps the rows of the releases that did not change (``keep_rows``)."""
    made = _ROWS.setdefault(ix, {})
    kept = made.get(r.id)
    if kept is None or kept[0] is not r:
        kept = made[r.id] = (r, _release_row(ix, r))
    return kept[1]


def keep_rows(ix: PortfolioIndex, previous: PortfolioIndex) -> None:
    """Give a re-planned ``ix`` (same settings and day) the rows ``previous`` made: a row reads its
    release and the settings only, and is used again only for the very release model it was made of."""
    made = _ROWS.get(previous)
    if made is not None and ix not in _ROWS:
        _ROWS[ix] = dict(made)


def _release_row(ix: PortfolioIndex, r: Release) -> ReleaseRow:
    prod = ix.prod_start(r)
    ready = handover_readiness(r)
    return ReleaseRow(
        release=release_link(r),
        title=r.title,
        service=service_link(ix, r.service),
        service_name=r.service,
        version=r.version,
        type=r.type,
        status=r.status,
        risk=r.risk,
        production=fmt.day(prod, ix.tz) if prod else "not scheduled",
        production_sort=prod.isoformat() if prod else "",
        search_text=f"{r.id} {r.title} {r.service} {r.version} {r.owner}".lower(),
        readiness=ready.short,
        readiness_missing=bool(ready.missing),
    )


@dataclass(frozen=True, kw_only=True)
class ReleaseTable:
    caption: str
    rows: list[ReleaseRow]


@dataclass(frozen=True, kw_only=True)
class SlotRow:
    when: str
    env: Link
    release: Link
    title: str
    service: str
    version: str
    status: str
    late: str = ""
    """Why the window is overrunning, or ""."""
    clashes: list[Link] = field(default_factory=list)
    """Releases of other teams whose window on the same environment overlaps this one."""


def slot_row(ix: PortfolioIndex, s: Slot) -> SlotRow:
    """Made once per slot while its overrun and clashes stay as they were (``Slot.shown``: a
    re-planned index keeps the slots of unchanged releases, whose clashes an edit may still change)."""
    found = concerns(ix)
    key = (s.release.id, s.env)
    late, clashes = found.overruns.get(key, ""), [o.id for o in found.clash_with.get(key, [])]
    made = s.shown.get("row")
    if made is None or made[0] != late or made[1] != clashes:
        made = s.shown["row"] = (late, clashes, _slot_row(ix, s))
    row = made[2]
    assert isinstance(row, SlotRow)
    return row


def _slot_row(ix: PortfolioIndex, s: Slot) -> SlotRow:
    dep = s.dep
    when = fmt.span(dep.window.start, dep.window.end, ix.tz) if dep.window else fmt.when(dep.deployed_at, ix.tz)
    found = concerns(ix)
    return SlotRow(
        when=when,
        env=env_link(ix, s.env),
        release=release_link(s.release),
        title=s.release.title,
        service=ix.service(s.release.service).label,
        version=s.release.version,
        status=dep.status,
        late=found.overruns.get((s.release.id, s.env), ""),
        clashes=[release_link(o) for o in found.clash_with.get((s.release.id, s.env), [])],
    )


@dataclass(frozen=True, kw_only=True)
class SlotTable:
    timezone: str
    rows: list[SlotRow]
    show_env: bool = False


def slot_table(ix: PortfolioIndex, slots: list[Slot], show_env: bool = False) -> SlotTable:
    return SlotTable(timezone=ix.pf.config.timezone, rows=[slot_row(ix, s) for s in slots], show_env=show_env)


@dataclass(frozen=True, kw_only=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True, kw_only=True)
class ReleaseFilter:
    services: list[Choice]
    statuses: list[Choice]
    total: int


def release_filter(ix: PortfolioIndex, total: int) -> ReleaseFilter:
    return ReleaseFilter(
        services=[Choice(value=s.name, text=s.label) for s in ix.pf.services.values()],
        statuses=[Choice(value=s, text=fmt.label(s)) for s in RELEASE_STATUSES],
        total=total,
    )


@dataclass(frozen=True, kw_only=True)
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
    folded: bool = False
    """Ended longer ago than a page leads with (``support.shown_first``): counted, not listed."""


def live_cell(ix: PortfolioIndex, env: str, track: Track, long: bool = False) -> LiveCell:
    """The cell is made once per ``Live``: it reads the live release, its line and the index's
    settings, which a ``Live`` kept by a re-planned index shares (index_revise)."""
    live = ix.live[env].get(track)
    if live is None:
        return LiveCell(env=env, service=track[0], version="", release=None, since="")
    made = live.shown.get((env, long))
    if made is None:
        made = live.shown[(env, long)] = _live_cell(ix, env, track, live, long)
    assert isinstance(made, LiveCell)
    return made


def _live_cell(ix: PortfolioIndex, env: str, track: Track, live: Live, long: bool) -> LiveCell:
    since = fmt.when(live.since, ix.tz) if long else fmt.day(live.since, ix.tz)
    status = release_support(ix, live.release)
    if status is None:
        return LiveCell(
            env=env, service=track[0], version=live.release.version, release=release_link(live.release), since=since
        )
    return LiveCell(
        env=env,
        service=track[0],
        version=live.release.version,
        release=release_link(live.release),
        since=since,
        line=status.label,
        support=status.summary,
        ended=status.now.phase == "end_of_life",
        folded=not shown_first(ix, status),
    )


def live_cells(ix: PortfolioIndex, env: str, service: str, long: bool = False) -> list[LiveCell]:
    """One cell per line of ``service`` live on ``env``, newest line first; one empty cell when none is."""
    cells = [live_cell(ix, env, track, long) for track in ix.live_tracks(env, service)]
    return cells or [LiveCell(env=env, service=service, version="", release=None, since="")]
