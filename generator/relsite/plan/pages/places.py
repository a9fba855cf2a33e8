"""Environment and service pages: what is live where, what is coming, what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.deployment_ledger import entries
from relsite.plan.index import RECENT_DAYS, UPCOMING_DAYS, PortfolioIndex
from relsite.plan.pages.changing import service_feed
from relsite.plan.pages.common import page
from relsite.plan.pages.ledger_views import EnvLedger, environment_ledgers
from relsite.plan.pages.support import ServiceSupport, service_support, support_page, support_summary
from relsite.plan.rows import (
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
from relsite.plan.site import Page
from relsite.plan.technical import Technical, TechnicalView
from relsite.validate import lifecycle
from relsite.validate.models import Release, ServiceDef

MATRIX_RECENT_DAYS = 30
ENV_RECENT_DAYS = RECENT_DAYS // 3


# --- all environments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    env: str
    status: str
    """The deployment status, or "" when the release does not list the environment."""
    date: str


@dataclass(frozen=True)
class MatrixRow:
    release: Link
    title: str
    status: str
    cells: list[MatrixCell]
    readiness: str


@dataclass(frozen=True)
class LiveRow:
    service: Link
    line: str
    cells: list[LiveCell]


@dataclass(frozen=True)
class EnvironmentsView:
    as_of: AsOf
    environments: list[Link]
    upcoming_days: int
    recent_days: int
    matrix: list[MatrixRow]
    live: list[LiveRow]


def _matrix_row(ix: PortfolioIndex, r: Release) -> MatrixRow:
    cells = []
    for env in ix.pf.environments:
        d = r.environments.get(env.name)
        when = lifecycle.deployment_time(d) if d else None
        cells.append(MatrixCell(env.name, d.status if d else "", fmt.day(when, ix.tz) if when else ""))
    return MatrixRow(release_link(r), r.title, r.status, cells, handover_readiness(r).short)


def live_rows(ix: PortfolioIndex) -> list[LiveRow]:
    """One row per service, or per line live somewhere for a service that declares lines."""
    rows = []
    for s in ix.pf.services.values():
        for track in ix.tracks_live_anywhere(s.name) or [(s.name, "")]:
            cells = [live_cell(ix, env.name, track) for env in ix.pf.environments]
            rows.append(LiveRow(service_link(ix, s.name), next((c.line for c in cells if c.line), ""), cells))
    return rows


def environments_page(ix: PortfolioIndex) -> Page:
    horizon = ix.day_start + dt.timedelta(days=UPCOMING_DAYS)
    since = ix.day_start - dt.timedelta(days=MATRIX_RECENT_DAYS)
    rows = list(ix.groups["in_progress"])
    rows += [r for r in ix.groups["upcoming"] if (ix.prod_start(r) or horizon) < horizon]
    rows += [r for r in ix.groups["recent"] if (ix.when(r) or since) > since]
    view = EnvironmentsView(as_of(ix), [env_link(ix, e.name) for e in ix.pf.environments], UPCOMING_DAYS, MATRIX_RECENT_DAYS,
                            [_matrix_row(ix, r) for r in rows], live_rows(ix))
    return page(urls.ENVIRONMENTS_SRC, "Environments", "environments.html.j2", view,
                (("matrix", "Releases by environment"), ("live", "Live now")))


# --- one environment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveVersion:
    service: Link
    cell: LiveCell


@dataclass(frozen=True)
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
    ledger: EnvLedger | None = None
    """Its deployment history, and what reached it since the previous production deployment."""


def environment_pages(ix: PortfolioIndex) -> Iterator[Page]:
    count = len(ix.pf.environments)
    ledgers = environment_ledgers(ix, entries(ix.pf))
    for i, env in enumerate(ix.pf.environments):
        role = f"stage {i + 1} of {count} in promotion order"
        live = [LiveVersion(service_link(ix, track[0]), live_cell(ix, env.name, track, long=True)) for track in ix.live[env.name]]
        view = EnvironmentView(
            as_of(ix), env.label, env.production, role, env.requires_sign_off, Link("Subscribe to its calendar", urls.calendar_ics(env.name)), live,
            slot_table(ix, ix.upcoming_slots(env.name, days=UPCOMING_DAYS)), UPCOMING_DAYS,
            slot_table(ix, ix.recent_slots(env.name, ENV_RECENT_DAYS)), ENV_RECENT_DAYS, ledgers[env.name])
        yield page(urls.environment_src(env.name), f"{env.label} environment", "environment.html.j2", view,
                   (("live", "Live versions"), ("upcoming", "Upcoming"), ("recent", "Recent"), ("changed", "Changed"),
                    ("history", "History")))


# --- services -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRow:
    service: Link
    owner: str
    releases: int
    support: str
    live: list[LiveCell]
    """In production: every line not past its end of life (or the one version of a service without lines)."""
    ended: int
    """Lines live in production but past their end of life, left out of ``live``."""


@dataclass(frozen=True)
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
        rows.append(ServiceRow(service_link(ix, s.name), s.owner or "", len(ix.by_service.get(s.name, [])), support_summary(ix, s),
                               current if current or not s.lines else [LiveCell(prod, s.name, "", None, "")], len(cells) - len(current)))
    return page(urls.SERVICES_SRC, "Services", "services.html.j2",
                ServicesView(as_of(ix), ix.production.label, any(s.lines for s in ix.pf.services.values()), rows))


@dataclass(frozen=True)
class ServiceEnvRow:
    env: Link
    cell: LiveCell


@dataclass(frozen=True)
class ServiceView:
    as_of: AsOf
    description: str | None
    owner: str
    support: ServiceSupport | None
    live: list[ServiceEnvRow]
    history: ReleaseTable
    identity: ServiceIdentity | None = None
    draft: TechnicalView | None = None
    """What is pending for its next release (imported notes), shown as a draft."""


@dataclass(frozen=True, kw_only=True)
class ServiceIdentity:
    """What tools join on, and where they read the service's lifecycle: shown beside the owner."""

    identifiers: list[tuple[str, str]]
    """(label, id): "Package URL", "CPE", "Repology"."""
    feed: str
    """The service's calendar feed."""
    lifecycle: list[Link]
    """Its endoflife.date API product and CLE document, when it declares support lines."""


def service_identity(s: ServiceDef) -> ServiceIdentity:
    lifecycle_links = [Link("endoflife.date API", urls.eol_product(s.name)),
                       Link("CLE (ECMA-428)", urls.cle_document(s.name))] if s.lines else []
    labels = {"purl": "Package URL", "cpe": "CPE", "repology": "Repology"}
    return ServiceIdentity(identifiers=[(labels[kind], value) for kind, value in s.identifiers], feed=service_feed(s.name), lifecycle=lifecycle_links)


def service_pages(ix: PortfolioIndex, technical: Technical | None = None) -> Iterator[Page]:
    for s in ix.pf.services.values():
        support = service_support(ix, s)
        draft = technical.draft(s.name) if technical else None
        view = ServiceView(
            as_of(ix), s.description, s.owner or "", support,
            [ServiceEnvRow(env_link(ix, env.name), cell) for env in ix.pf.environments for cell in live_cells(ix, env.name, s.name, long=True)],
            ReleaseTable(f"Releases of {s.label}", [release_row(ix, r) for r in ix.by_service.get(s.name, [])]), service_identity(s), draft)
        toc: tuple[tuple[str, str], ...] = (("support", "Support"),) if support else ()
        toc += ((urls.UNRELEASED, "Unreleased (draft)"),) if draft else ()
        yield page(urls.service_src(s.name), s.label, "service.html.j2", view, (*toc, ("live", "Live where"), ("history", "Release history")))


def pages(ix: PortfolioIndex, technical: Technical | None = None) -> Iterator[Page]:
    yield environments_page(ix)
    yield from environment_pages(ix)
    yield services_page(ix)
    yield from service_pages(ix, technical)
    yield support_page(ix)
