"""load → validate → plan in one call: what every publisher (the MkDocs plugin, the asset writer)
runs before it writes anything. Kept apart from ``publish.atomic``, which only swaps finished
sites into place, so that the stages stay importable without an engine."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from relsite.load.notes.collect import collect_service
from relsite.load.notes.items import ImportedNotes
from relsite.plan import plan
from relsite.plan.site import Site
from relsite.problems import Problem, Severity, error
from relsite.validate.checker import check_folder
from relsite.validate.fields import MAX_YEAR, MIN_YEAR, in_range
from relsite.validate.models import Release
from relsite.validate.notes_check import check_items
from relsite.validate.portfolio import Portfolio


def resolve_today(configured: str | None = None) -> dt.date | None:
    """RELSITE_TODAY, then the configured date; None means "today where the portfolio is", which
    only the portfolio's time zone can say (see ``local_today``)."""
    text = os.environ.get("RELSITE_TODAY") or configured
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"today must be a date as YYYY-MM-DD, got {text!r}") from None
    if not in_range(day):
        raise ValueError(f"today must be between the years {MIN_YEAR} and {MAX_YEAR}, got {text}")
    return day


def now() -> dt.datetime:
    """The clock, in one place (tests set it)."""
    return dt.datetime.now(dt.UTC)


def local_today(zone: dt.tzinfo) -> dt.date:
    """The current date in ``zone``: a portfolio in Auckland has its tomorrow while one in Los
    Angeles still has its today, whatever zone the build machine is set to."""
    return now().astimezone(zone).date()


def plan_site(
    folder: Path, today: dt.date | None, site_url: str = "", jobs: int = 1, prefix: str = ""
) -> tuple[Site | None, list[Problem], int]:
    """Validate (loading files in ``jobs`` processes) and plan; the Site is None when there are errors.
    Without ``today``, the site shows status as of the current date in the portfolio's zone."""
    result = check_folder(folder, jobs, today=today)
    if result.errors or result.portfolio is None:
        return None, result.problems, result.files
    notes, found = collect_notes(result.portfolio, folder.parent, result.allowed)
    problems = sorted(result.problems + found)
    if any(p.severity is Severity.ERROR for p in found):
        return None, problems, result.files
    for r in result.portfolio.releases:
        r.source.forget()  # positions serve error messages only; a large portfolio holds hundreds of thousands
    day = today or local_today(result.portfolio.tz)
    return plan(result.portfolio, day, site_url, prefix, notes), problems, result.files


def collect_notes(
    pf: Portfolio, project: Path, allowed: frozenset[str] = frozenset()
) -> tuple[ImportedNotes | None, list[Problem]]:
    """The technical notes of every service that configures ``notes:``, assigned to its releases by
    git tags, checked like any other text (secrets, length, nesting). None when no service
    configures notes, so that such portfolios plan exactly as before. ``project`` is the folder the
    repositories are relative to (the one that holds the releases folder)."""
    configured = [(i, s) for i, s in enumerate(pf.config.services or []) if s.notes is not None]
    if not configured:
        return None, []
    notes, problems = ImportedNotes(), []
    by_service: dict[str, list[Release]] = {}
    for r in pf.releases:
        by_service.setdefault(r.service, []).append(r)
    for i, service in configured:
        assert service.notes is not None
        releases = by_service.get(service.name, [])
        found, messages, more = collect_service(project, service.notes, service.name, [r.version for r in releases])
        line, col = pf.config_source.at("services", i, "notes")
        problems += [
            error(pf.config_source.file, line, col, f"services[{i}].notes: {m}", rule="notes.config") for m in messages
        ] + more
        for r in releases:
            if r.version in found.by_version:
                notes.by_release[r.id], bad = check_items(found.by_version[r.version], allowed)
                problems += bad
        notes.drafts[service.name], bad = check_items(found.draft, allowed)
        notes.draft_from[service.name] = found.draft_from
        problems += bad
    return notes, sorted(set(problems))
