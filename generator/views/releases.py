"""Release notes, handover pages, the releases index and the per-year archive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..facts import Facts
from ..model import RELEASE_STATUSES, Release, ServiceDef
from ..site import Page
from .common import page

SECTIONS = [
    ("in_progress", "In progress", "Being built, tested or deployed."),
    ("upcoming", "Upcoming", "Not started yet, going to production in the next 90 days (or not scheduled)."),
    ("recent", "Recent", "Reached production, rolled back or cancelled in the last 90 days."),
]


def _service(f: Facts, r: Release) -> ServiceDef:
    return f.pf.services.get(r.service) or ServiceDef(name=r.service)


def release_page(f: Facts, r: Release) -> Page:
    toc = [("when", "When")]
    toc += [(k, h) for k, h in (("highlights", "Highlights"), ("features", "New features"), ("fixes", "Fixes")) if getattr(r.notes, k)]
    if r.notes.known_issues:
        toc.append(("known-issues", "Known issues"))
    toc.append(("details", "Details"))
    return page(f, f"releases/{r.id}/index.md", f"{r.id}: {r.title}", "release.html.j2", tuple(toc),
                description=r.summary[:200], r=r, service=_service(f, r), dependents=f.dependents.get(r.id, []))


def handover_page(f: Facts, r: Release) -> Page:
    toc = (("readiness", "Readiness"), ("support", "Support"), ("runbook", "Runbook and monitoring"), ("rollback", "Rollback"),
           ("known-errors", "Known errors"), ("early-life-support", "Early life support"))
    return page(f, f"releases/{r.id}/handover.md", f"Handover: {r.id} {r.title}", "handover.html.j2", toc,
                r=r, service=_service(f, r), checklist=f.checklist(r), required_now=f.required_now)


def _filters(f: Facts) -> dict[str, Any]:
    return {"services": list(f.pf.services.values()), "statuses": RELEASE_STATUSES}


def index_page(f: Facts) -> Page:
    years = sorted((y for y in f.by_year if y is not None), reverse=True)
    toc = tuple((k.replace("_", "-"), h) for k, h, _ in SECTIONS) + (("later", "Later"),)
    later_years = sorted(y for y in {f.year_of(r) for r in f.groups["later"]} if y is not None)
    total = sum(len(f.groups[k]) for k, _, _ in SECTIONS)
    return page(f, "releases/index.md", "Releases", "releases_index.html.j2", toc, searchable=False, sections=SECTIONS, years=years,
                total=total, later_years=later_years, **_filters(f))


def year_pages(f: Facts) -> Iterator[Page]:
    for year, releases in f.by_year.items():
        name = str(year) if year is not None else "unscheduled"
        yield page(f, f"releases/{name}/index.md", f"Releases {name}", "releases_year.html.j2", searchable=False, year=year,
                   releases=releases, **_filters(f))


def pages(f: Facts) -> Iterator[Page]:
    yield index_page(f)
    yield from year_pages(f)
    for r in f.pf.releases:
        yield release_page(f, r)
        yield handover_page(f, r)
