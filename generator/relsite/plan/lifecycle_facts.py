"""What lifecycle exports (the endoflife.date API, CLE documents) say of a support line, decided once.

The two formats name the same facts differently (``eoasFrom`` and ``endOfDevelopment``, ``eolFrom``
and ``endOfLife``); both read them from here, so the portal, its pages and every export agree on
when a line's active support ends and which release is its latest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import LineStatus
from relsite.validate import lifecycle
from relsite.validate.models import Release

AFTER_ACTIVE = ("security", "extended", "end_of_life")


@dataclass(frozen=True, kw_only=True)
class Shipped:
    """A release that reached production, and when."""

    release: Release
    at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class CycleFacts:
    """One support line as an exporter needs it."""

    status: LineStatus
    name: str
    """The cycle's name: the line's version prefix, or "all" for a service's only line."""
    release_date: dt.date
    """First day of active support, else of the first declared phase."""
    end_of_active: dt.date | None
    """First day after active support (security, extended or end of life); None without an active phase."""
    extended_from: dt.date | None
    end_of_life: dt.date | None
    shipped: list[Shipped]
    """Releases of the line in production, newest first."""

    @property
    def phases(self) -> dict[str, dt.date]:
        return dict(self.status.phases)

    @property
    def latest(self) -> Shipped | None:
        return self.shipped[0] if self.shipped else None


def shipped_at(ix: PortfolioIndex, r: Release) -> dt.datetime | None:
    """When ``r`` went live in production, if it did before the end of the build day."""
    dep = r.environments.get(ix.production.name)
    return dep.deployed_at if dep is not None and lifecycle.is_live(dep, ix.now) else None


def cycle_facts(ix: PortfolioIndex, status: LineStatus) -> CycleFacts:
    """Made once per status (the status belongs to one index, or to re-planned ones with its settings)."""
    found = status.kept.get("cycle")
    if found is None:
        found = status.kept["cycle"] = _cycle_facts(ix, status)
    assert isinstance(found, CycleFacts)
    return found


def _cycle_facts(ix: PortfolioIndex, status: LineStatus) -> CycleFacts:
    phases = dict(status.phases)
    after_active = next((phases[p] for p in AFTER_ACTIVE if p in phases), None) if "active" in phases else None
    shipped = [Shipped(release=r, at=at) for r in status.releases if (at := shipped_at(ix, r)) is not None]
    shipped.sort(key=lambda s: (s.at, s.release.id), reverse=True)
    return CycleFacts(
        status=status,
        name=status.prefix or "all",
        release_date=phases.get("active") or min(phases.values()),
        end_of_active=after_active,
        extended_from=phases.get("extended"),
        end_of_life=phases.get("end_of_life"),
        shipped=shipped,
    )
