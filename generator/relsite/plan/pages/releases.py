"""The releases index, the per-year archive and the release notes page of every release."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.attention import concerns
from relsite.plan.index import UPCOMING_DAYS, PortfolioIndex, ReleaseGroup
from relsite.plan.line_status import release_support
from relsite.plan.pages.common import page
from relsite.plan.pages.ledger_views import ReleaseAttempts, release_attempts
from relsite.plan.site import Page
from relsite.plan.technical import TechnicalView
from relsite.plan.view_parts import (
    AsOf,
    Link,
    ReleaseFilter,
    ReleaseTable,
    as_of,
    env_link,
    handover_readiness,
    release_filter,
    release_link,
    release_row,
    service_link,
)
from relsite.validate import lifecycle
from relsite.validate.models import Emergency, KnownIssue, Release

SECTIONS: tuple[tuple[ReleaseGroup, str, str], ...] = (
    ("in_progress", "In progress", "Being built, tested or deployed."),
    ("upcoming", "Upcoming", f"Not started yet, going to production in the next {UPCOMING_DAYS} days (or not scheduled)."),
    ("recent", "Recent", "Reached production, rolled back or cancelled in the last 90 days."),
)
NOTE_SECTIONS = (("highlights", "Highlights"), ("features", "New features"), ("fixes", "Fixes"))


# --- the index and the archive ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Section:
    anchor: str
    heading: str
    intro: str
    table: ReleaseTable


@dataclass(frozen=True, kw_only=True)
class YearLink:
    link: Link
    count: int


@dataclass(frozen=True, kw_only=True)
class ReleasesIndexView:
    as_of: AsOf
    years: list[YearLink]
    filter: ReleaseFilter
    sections: list[Section]
    later_count: int
    later_years: list[Link]
    later_days: int


def _year_link(year: int | None) -> Link:
    name = str(year) if year is not None else urls.UNSCHEDULED
    return Link(text=name, href=urls.archive(name))


def index_page(ix: PortfolioIndex) -> Page:
    years = sorted((y for y in ix.by_year if y is not None), reverse=True)
    sections = [Section(anchor=key.replace("_", "-"), heading=heading, intro=intro,
                        table=ReleaseTable(caption=heading, rows=[release_row(ix, r) for r in ix.groups[key]]))
                for key, heading, intro in SECTIONS]
    later = ix.groups["later"]
    later_years = sorted({y for y in (ix.year_of(r) for r in later) if y is not None})
    view = ReleasesIndexView(
        as_of=as_of(ix), years=[YearLink(link=_year_link(y), count=len(ix.by_year[y])) for y in years],
        filter=release_filter(ix, sum(len(s.table.rows) for s in sections)), sections=sections,
        later_count=len(later), later_years=[_year_link(y) for y in later_years], later_days=UPCOMING_DAYS)
    toc = tuple((s.anchor, s.heading) for s in sections) + (("later", "Later"),)
    return page(urls.RELEASES_SRC, "Releases", "releases_index.html.j2", view, toc, searchable=False)


@dataclass(frozen=True, kw_only=True)
class YearView:
    as_of: AsOf
    year: str
    """The year, or a phrase for releases with no date at all."""
    filter: ReleaseFilter
    table: ReleaseTable


def year_pages(ix: PortfolioIndex) -> Iterator[Page]:
    for year in ix.by_year:
        yield year_page(ix, year)


def year_page(ix: PortfolioIndex, year: int | None) -> Page:
    """The archive of one year (None: the releases with no date at all)."""
    releases = ix.by_year[year]
    name = _year_link(year).text
    view = YearView(as_of=as_of(ix), year=str(year) if year is not None else "no year (nothing scheduled)",
                    filter=release_filter(ix, len(releases)), table=ReleaseTable(caption=f"Releases {name}", rows=[release_row(ix, r) for r in releases]))
    return page(urls.archive_src(name), f"Releases {name}", "releases_year.html.j2", view, searchable=False)


# --- one release --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScheduleRow:
    env: Link
    window: str
    status: str
    deployed: str
    sign_off_result: str
    """passed, failed, waived, or "" when there is none."""
    sign_off_text: str
    note: str | None
    late: str = ""
    """Why the window is overrunning, or ""."""
    clashes: list[Link] = field(default_factory=list)
    """Other teams' releases whose window on this environment overlaps this one."""


@dataclass(frozen=True, kw_only=True)
class NoteSection:
    anchor: str
    heading: str
    items: list[str]


@dataclass(frozen=True, kw_only=True)
class Related:
    link: Link
    text: str


@dataclass(frozen=True, kw_only=True)
class ReleaseView:
    as_of: AsOf
    r: Release
    """For its plain fields (title, summary, notes): nothing is derived from it in the template."""
    service: Link
    service_name: str
    emergency: Emergency | None
    production_window: str
    timezone: str
    schedule: list[ScheduleRow]
    milestones: list[tuple[str, str]]
    notes: list[NoteSection]
    known_issues: list[KnownIssue]
    approach: str
    depends_on: list[Related]
    needed_by: list[Related]
    handover: Link
    calendar: Link
    readiness: str
    """Handover readiness for the header: "ready", "missing: runbook", "" for a cancelled release."""
    readiness_missing: bool
    support: Link | None = None
    """Its support line and where it stands: "Python 3.12: security fixes only until 1 Oct 2028"."""
    support_ended: bool = False
    """The line is past its end of life: the page marks it."""
    when_heading: str = "When it reaches each environment"
    """Past tense once nothing more will happen to the release."""
    late: bool = False
    """A window is overrunning: the header says so."""
    clashing: bool = False
    """A window clashes with another team's: the header says so."""
    evidence: tuple[Link, ...] = ()
    """Its SBOMs and VEX documents: "SBOM (CycloneDX)" and where it is published."""
    attempts: ReleaseAttempts | None = None
    """Every recorded deployment attempt, failures and rollbacks included (the ledger)."""
    technical: TechnicalView | None = None
    """Imported technical notes (towncrier, reno, changesets, commits), when the service configures them."""


EVIDENCE_FORMATS = {"cyclonedx": "CycloneDX", "spdx": "SPDX", "openvex": "OpenVEX", "csaf": "CSAF"}


def evidence_links(r: Release) -> tuple[Link, ...]:
    """SBOMs first, then VEX documents, as the release lists them."""
    return tuple([Link(text=f"SBOM ({EVIDENCE_FORMATS[d.format]})", href=d.url) for d in r.sbom]
                 + [Link(text=f"VEX ({EVIDENCE_FORMATS[d.format]})", href=d.url) for d in r.vex])


def _schedule_row(ix: PortfolioIndex, r: Release, env: str) -> ScheduleRow:
    d = r.environments[env]
    result: str
    if d.sign_off:
        result, text = d.sign_off.result, f"{d.sign_off.by}, {fmt.day(d.sign_off.date)}"
    else:
        result, text = "", "required" if ix.env(env).requires_sign_off else ""
    found = concerns(ix)
    return ScheduleRow(env=env_link(ix, env), window=fmt.span(d.window.start, d.window.end, ix.tz) if d.window else "—", status=d.status,
                       deployed=fmt.when(d.deployed_at, ix.tz), sign_off_result=result, sign_off_text=text, note=d.note, late=found.overruns.get((r.id, env), ""),
                       clashes=[release_link(o) for o in found.clash_with.get((r.id, env), [])])


def _production_window(ix: PortfolioIndex, r: Release) -> str:
    prod = r.environments.get(ix.pf.production)
    return fmt.span(prod.window.start, prod.window.end, ix.tz) if prod and prod.window else ""


def release_view(ix: PortfolioIndex, r: Release) -> ReleaseView:
    m = r.milestones
    milestones = [(name, fmt.when(value, ix.tz)) for name, value in
                  (("Code freeze", m.code_freeze), ("CAB review", m.cab), ("Go/no-go", m.go_no_go)) if value is not None]
    depends = []
    for dep_id in r.depends_on:
        other = ix.pf.by_id.get(dep_id)
        depends.append(Related(link=Link(text=dep_id, href=urls.release(dep_id)), text=f"{other.title} ({fmt.label(other.status)})" if other else ""))
    schedule = [_schedule_row(ix, r, env.name) for env in ix.pf.environments if env.name in r.environments]
    approach = ", ".join(fmt.label(a) for a in (r.approach.rollout, r.approach.distribution, r.approach.automation) if a) if r.approach else ""
    return ReleaseView(
        as_of=as_of(ix), r=r, service=service_link(ix, r.service), service_name=r.service,
        emergency=r.emergency if r.type == "emergency" else None,
        production_window=_production_window(ix, r), timezone=ix.pf.config.timezone,
        schedule=schedule,
        milestones=milestones,
        notes=[NoteSection(anchor=key, heading=heading, items=getattr(r.notes, key)) for key, heading in NOTE_SECTIONS if getattr(r.notes, key)],
        known_issues=list(r.notes.known_issues), approach=approach, depends_on=depends,
        needed_by=[Related(link=release_link(d), text=d.title) for d in ix.dependents.get(r.id, [])],
        handover=Link(text="Handover for operations", href=urls.handover(r.id)),
        calendar=Link(text="Add to calendar (.ics)", href=urls.release_ics(r.id)),
        readiness=handover_readiness(r).short, readiness_missing=bool(handover_readiness(r).missing),
        when_heading=_when_heading(r.status), late=any(row.late for row in schedule), clashing=any(row.clashes for row in schedule),
        evidence=evidence_links(r),
        **_support(ix, r),
    )


def _when_heading(status: str) -> str:
    if status in lifecycle.PRODUCTION_REACHED:
        return "Where and when it was deployed"
    if status in lifecycle.FINISHED:
        return "Where it got to"
    return "When it reaches each environment"


def _support(ix: PortfolioIndex, r: Release) -> dict[str, Any]:
    status = release_support(ix, r)
    if status is None:
        return {}
    return {"support": Link(text=f"{status.label}: {status.summary}", href=urls.service(r.service, status.anchor)),
            "support_ended": status.now.phase == "end_of_life"}


def release_page(ix: PortfolioIndex, r: Release, technical: TechnicalView | None = None) -> Page:
    view = dataclasses.replace(release_view(ix, r), attempts=release_attempts(ix, r), technical=technical)
    toc = [(urls.WHEN, "When")] + [(n.anchor, n.heading) for n in view.notes]
    if view.known_issues:
        toc.append(("known-issues", "Known issues"))
    if technical:
        toc += [(urls.OPERATIONS, "For operations"), (urls.TECHNICAL, "Technical changes")]
    toc.append((urls.DETAILS, "Details"))
    return page(urls.release_src(r.id), f"{r.id}: {r.title}", "release.html.j2", view, tuple(toc),
                description=r.summary[:200])
