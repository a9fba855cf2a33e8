"""load → validate → plan in one call: what every publisher (the MkDocs plugin, the asset writer)
runs before it writes anything. Kept apart from ``publish.atomic``, which only swaps finished
sites into place, so that the stages stay importable without an engine."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from relsite.plan import plan
from relsite.plan.site import Site
from relsite.problems import Problem
from relsite.validate.checker import check_folder
from relsite.validate.fields import MAX_YEAR, MIN_YEAR, in_range


def resolve_today(configured: str | None = None) -> dt.date:
    """RELSITE_TODAY, then the configured date, then the real date (the only non-reproducible input)."""
    text = os.environ.get("RELSITE_TODAY") or configured
    if not text:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"today must be a date as YYYY-MM-DD, got {text!r}") from None
    if not in_range(day):
        raise ValueError(f"today must be between the years {MIN_YEAR} and {MAX_YEAR}, got {text}")
    return day


def plan_site(folder: Path, today: dt.date, site_url: str = "", jobs: int = 1) -> tuple[Site | None, list[Problem], int]:
    """Validate (loading files in ``jobs`` processes) and plan; the Site is None when there are errors."""
    result = check_folder(folder, jobs)
    if result.errors or result.portfolio is None:
        return None, result.problems, result.files
    for r in result.portfolio.releases:
        r.source.forget()  # positions serve error messages only; a large portfolio holds hundreds of thousands
    return plan(result.portfolio, today, site_url), result.problems, result.files
