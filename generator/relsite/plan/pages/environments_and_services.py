"""Environment and service pages: what is live where, what is coming, what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.attention import concerns
from relsite.plan.deployment_ledger import Entry, entries
from relsite.plan.index import RECENT_DAYS, UPCOMING_DAYS, Live, PortfolioIndex, Slot, Track
from relsite.plan.line_status import release_support, shown_first
from relsite.plan.pages.common import page
from relsite.plan.pages.ledger_views import EnvLedger, environment_ledgers
from relsite.plan.pages.service_identity import ServiceIdentity, service_identity
from relsite.plan.pages.supported_versions import ServiceSupport, service_support, support_page, support_summary
from relsite.plan.site import Page
from relsite.plan.technical import Technical, TechnicalView
from relsite.plan.view_parts import (
    AsOf,
    Link,
    LiveCell,
    ReleaseTable,
    SlotTable,
    as_of,
    env_link,
    handover_readiness,
    live_cell,
    live_cells,
    release_link,
    release_row,
    service_link,
    slot_table,
)
from relsite.validate import lifecycle
from relsite.validate.models import Release, ServiceDef
from relsite.validate.support_phases import version_key

MATRIX_RECENT_DAYS = 30
ENV_RECENT_DAYS = RECENT_DAYS // 3


# --- all environments ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MatrixCell:
    env: str
    status: str
    """The deployment status, or "" when the release does not list the environment."""
    date: str
    late: str = ""
    """Why the window is overrunning, or ""."""
    clashes: list[Link] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class MatrixRow:
    release: Link
    title: str
    status: str
    cells: list[MatrixCell]
    readiness: str


@dataclass(frozen=True, kw_only=True)
class LiveRow:
    service: Link
    line: str
    cells: list[LiveCell]


@dataclass(frozen=True, kw_only=True)
class EnvironmentsView:
    as_of: AsOf
    environments: list[Link]
    upcoming_days: int
    recent_days: int
    matrix: list[MatrixRow]
    live: list[LiveRow]
    live_ended: int = 0
    """Lines past their end of life still recorded live somewhere, left out of ``live``."""


def _matrix_row(ix: PortfolioIndex, r: Release) -> MatrixRow:
    cells = []
    found = concerns(ix)
    for env in ix.pf.environments:
        d = r.environments.get(env.name)
        when = lifecycle.deployment_time(d) if d else None
        status = (
            (lifecycle.CANCELLED if r.status == lifecycle.CANCELLED else d.status) if d else ""
        )  # never "not planned" for a cancelled release
        cells.append(
            MatrixCell(
                env=env.name,
                status=status,
                date=fmt.day(when, ix.tz) if when else "",
                late=found.overruns.get((r.id, env.name), ""),
                clashes=[release_link(o) for o in found.clash_with.get((r.id, env.name), [])],
            )
        )
    return MatrixRow(
        release=release_link(r), title=r.title, status=r.status, cells=cells, readiness=handover_readiness(r).short
    )


def live_rows(ix: PortfolioIndex) -> list[LiveRow]:
    """One row per service, or per line live somewhere for a service that declares lines."""
    rows = []
    for s in ix.pf.services.values():
        for track in ix.tracks_live_anywhere(s.name) or [(s.name, "")]:
            cells = [live_cell(ix, env.name, track) for env in ix.pf.environments]
            if any(c.folded for c in cells) and not any(c.release and not c.folded for c in cells):
                continue  # a line past its end of life: counted on the page, not listed
            rows.append(
                LiveRow(service=service_link(ix, s.name), line=next((c.line for c in cells if c.line), ""), cells=cells)
            )
    return rows


def environments_page(ix: PortfolioIndex) -> Page:
    horizon = ix.day_start + dt.timedelta(days=UPCOMING_DAYS)
    since = ix.day_start - dt.timedelta(days=MATRIX_RECENT_DAYS)
    rows = list(ix.groups["in_progress"])
    rows += [r for r in ix.groups["upcoming"] if (ix.prod_start(r) or horizon) < horizon]
    rows += [r for r in ix.groups["recent"] if (ix.when(r) or since) > since]
    live = live_rows(ix)
    every = sum(len(ix.tracks_live_anywhere(s.name)) or 1 for s in ix.pf.services.values())
    view = EnvironmentsView(
        as_of=as_of(ix),
        environments=[env_link(ix, e.name) for e in ix.pf.environments],
        upcoming_days=UPCOMING_DAYS,
        recent_days=MATRIX_RECENT_DAYS,
        matrix=[_matrix_row(ix, r) for r in rows],
        live=live,
        live_ended=every - len(live),
    )
    return page(
        urls.ENVIRONMENTS_SRC,
        "Environments",
        "environments.html.j2",
        view,
        (("matrix", "Releases by environment"), ("live", "Live now")),
    )


# --- one environment ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LiveVersion:
    service: Link
    cell: LiveCell


@dataclass(frozen=True, kw_only=True)
class EnvironmentView:
    as_of: AsOf
    label: str
    production: bool
    role: str
    """Where it stands in promotion: "stage 2 of 4 in promotion order"."""
    requires_sign_off: bool
    calendar: Link
    live: list[LiveVersion]
    upcoming: SlotTable
    upcoming_days: int
    recent: SlotTable
    recent_days: int
    live_ended: int = 0
    """Versions of lines past their end of life, counted but not listed."""
    now: SlotTable | None = None
    """Deployments running now or overrunning: neither upcoming nor recent, but what matters most."""
    ledger: EnvLedger | None = None
    """Its deployment history, and what reached it since the previous production deployment."""


def environment_pages(
    ix: PortfolioIndex,
    only: Collection[str] | None = None,
    ledger: list[Entry] | None = None,
    ledgers: dict[str, EnvLedger] | None = None,
) -> Iterator[Page]:
    """Every environment's page, or those named in ``only``; ``ledger``: the portfolio's, or
    ``ledgers``: the environments' views of it, when the caller has them."""
    count = len(ix.pf.environments)
    late = concerns(ix).overruns
    if ledgers is None:
        ledgers = environment_ledgers(ix, entries(ix.pf) if ledger is None else ledger)
    for i, env in enumerate(ix.pf.environments):
        if only is not None and env.name not in only:
            continue
        role = f"stage {i + 1} of {count} in promotion order"
        every = [_live_version(ix, env.name, track, live) for track, live in ix.live[env.name].items()]
        live = [lv for lv in every if not lv.cell.folded]
        view = EnvironmentView(
            as_of=as_of(ix),
            label=env.label,
            production=env.production,
            role=role,
            requires_sign_off=env.requires_sign_off,
            calendar=Link(text="Subscribe to its calendar", href=urls.calendar_ics(env.name)),
            live=live,
            upcoming=slot_table(ix, ix.upcoming_slots(env.name, days=UPCOMING_DAYS)),
            upcoming_days=UPCOMING_DAYS,
            recent=slot_table(ix, ix.recent_slots(env.name, ENV_RECENT_DAYS)),
            recent_days=ENV_RECENT_DAYS,
            live_ended=len(every) - len(live),
            now=slot_table(ix, _now_slots(ix, env.name, late)),
            ledger=ledgers[env.name],
        )
        yield page(
            urls.environment_src(env.name),
            f"{env.label} environment",
            "environment.html.j2",
            view,
            (
                ("now", "Now"),
                ("live", "Live versions"),
                ("upcoming", "Upcoming"),
                ("recent", "Recent"),
                ("changed", "Changed"),
                ("history", "History"),
            ),
        )


def _live_version(ix: PortfolioIndex, env: str, track: Track, live: Live) -> LiveVersion:
    """Made once per ``Live`` (kept by a re-planned index for the lines an edit did not touch)."""
    made = live.shown.get(("version", env))
    if made is None:
        made = live.shown[("version", env)] = LiveVersion(
            service=service_link(ix, track[0]), cell=live_cell(ix, env, track, long=True)
        )
    assert isinstance(made, LiveVersion)
    return made


def _now_slots(ix: PortfolioIndex, env: str, late: Collection[tuple[str, str]]) -> list[Slot]:
    """The environment's deployments in progress or overrunning, in schedule order: found from those
    in progress and the overruns, not by a pass over every window of the environment."""
    found = {s.release.id: s for s in ix.in_progress_slots if s.env == env}
    for rid, where in late:
        if where == env and rid not in found:
            r = ix.pf.by_id[rid]
            found[rid] = Slot(release=r, env=env, dep=r.environments[env])
    return sorted(found.values(), key=lambda s: (s.start or _NEAR, s.release.id))


# --- services -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ServiceRow:
    service: Link
    owner: str
    releases: int
    support: str
    live: list[LiveCell]
    """In production: every line not past its end of life (or the one version of a service without lines)."""
    ended: int
    """Lines live in production but past their end of life, left out of ``live``."""


@dataclass(frozen=True, kw_only=True)
class ServicesView:
    as_of: AsOf
    production: str
    lines: bool
    rows: list[ServiceRow]


def services_page(ix: PortfolioIndex) -> Page:
    prod = ix.pf.production
    rows = []
    for s in ix.pf.services.values():
        cells = live_cells(ix, prod, s.name)
        current = [c for c in cells if not c.ended]
        rows.append(
            ServiceRow(
                service=service_link(ix, s.name),
                owner=s.owner or "",
                releases=len(ix.by_service.get(s.name, [])),
                support=support_summary(ix, s),
                live=current
                if current or not s.lines
                else [LiveCell(env=prod, service=s.name, version="", release=None, since="")],
                ended=len(cells) - len(current),
            )
        )
    return page(
        urls.SERVICES_SRC,
        "Services",
        "services.html.j2",
        ServicesView(
            as_of=as_of(ix),
            production=ix.production.label,
            lines=any(s.lines for s in ix.pf.services.values()),
            rows=rows,
        ),
    )


@dataclass(frozen=True, kw_only=True)
class ServiceEnvRow:
    env: Link
    cell: LiveCell


@dataclass(frozen=True, kw_only=True)
class ServiceView:
    as_of: AsOf
    description: str | None
    owner: str
    support: ServiceSupport | None
    live: list[ServiceEnvRow]
    history: ReleaseTable
    live_ended: int = 0
    """Environments and lines still running a version past its end of life, counted but not listed."""
    older: int = 0
    """Releases left out of ``history``: older, or of lines past their end of life."""
    years: list[Link] = field(default_factory=list)
    """The year pages that list every release of the service."""
    identity: ServiceIdentity | None = None
    draft: TechnicalView | None = None
    """What is pending for its next release (imported notes), shown as a draft."""


def service_pages(ix: PortfolioIndex, technical: Technical | None = None) -> Iterator[Page]:
    for s in ix.pf.services.values():
        yield service_page(ix, s, technical)


def service_page(ix: PortfolioIndex, s: ServiceDef, technical: Technical | None = None) -> Page:
    support = service_support(ix, s)
    draft = technical.draft(s.name) if technical else None
    live = [
        ServiceEnvRow(env=env_link(ix, env.name), cell=cell)
        for env in ix.pf.environments
        for cell in live_cells(ix, env.name, s.name, long=True)
    ]
    current_live = [row for row in live if not row.cell.folded]
    releases = sorted(
        ix.by_service.get(s.name, []), key=lambda r: (ix.when(r) or _NEAR, version_key(r.version)), reverse=True
    )
    shown = [r for r in releases if not _line_ended(ix, r)][:HISTORY_ROWS]
    years = sorted({y for y in (ix.year_of(r) for r in releases) if y is not None}, reverse=True)
    view = ServiceView(
        as_of=as_of(ix),
        description=s.description,
        owner=s.owner or "",
        support=support,
        live=current_live,
        history=ReleaseTable(caption=f"Releases of {s.label}", rows=[release_row(ix, r) for r in shown]),
        live_ended=len(live) - len(current_live),
        older=len(releases) - len(shown),
        years=[Link(text=str(y), href=urls.archive(str(y))) for y in years],
        identity=service_identity(s),
        draft=draft,
    )
    toc: tuple[tuple[str, str], ...] = (("support", "Support"),) if support else ()
    toc += ((urls.UNRELEASED, "Unreleased (draft)"),) if draft else ()
    return page(
        urls.service_src(s.name),
        s.label,
        "service.html.j2",
        view,
        (*toc, ("live", "Live where"), ("history", "Release history")),
    )


HISTORY_ROWS = 30
"""Releases a service page lists before pointing at the year pages: the page's size follows what is
shown first, not the length of the history."""
_NEAR = dt.datetime.min.replace(tzinfo=dt.UTC)


def _line_ended(ix: PortfolioIndex, r: Release) -> bool:
    status = release_support(ix, r)
    return status is not None and not shown_first(ix, status)


def pages(
    ix: PortfolioIndex,
    technical: Technical | None = None,
    ledger: list[Entry] | None = None,
    ledgers: dict[str, EnvLedger] | None = None,
) -> Iterator[Page]:
    """``ledger`` or ``ledgers``: the portfolio's, or the environments' views of it, when the caller has them."""
    yield environments_page(ix)
    yield from environment_pages(ix, ledger=ledger, ledgers=ledgers)
    yield services_page(ix)
    yield from service_pages(ix, technical)
    yield support_page(ix)
