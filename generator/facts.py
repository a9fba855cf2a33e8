"""Facts the pages share, derived once per build from (Portfolio, today).

Everything here is computed in one or two passes over the releases and then looked up, so that no
page costs a scan of the whole portfolio (the quadratic trap named in the architecture).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from .model import Deployment, KnownIssue, Release
from .portfolio import Portfolio
from .rules import READY_ON

IN_PROGRESS = ("in_build", "in_test", "ready", "deploying")
NOT_STARTED = ("draft", "planned", "approved", "on_hold")
FINISHED = ("deployed", "early_life_support", "closed", "rolled_back", "cancelled")
RECENT_DAYS = 90
UPCOMING_DAYS = 90


@dataclass(frozen=True)
class Slot:
    """One release on one environment, as the schedule shows it."""

    release: Release
    env: str
    dep: Deployment

    @property
    def start(self) -> dt.datetime | None:
        return self.dep.window.start if self.dep.window else self.dep.deployed_at

    @property
    def end(self) -> dt.datetime | None:
        return self.dep.window.end if self.dep.window else self.dep.deployed_at


@dataclass(frozen=True)
class Live:
    release: Release
    since: dt.datetime


@dataclass(frozen=True)
class CheckItem:
    name: str
    done: bool
    required_from: str  # "" when advisory


class Facts:
    def __init__(self, pf: Portfolio, today: dt.date) -> None:
        self.pf = pf
        self.today = today
        self.tz = pf.tz
        self.now = pf.day_start(today + dt.timedelta(days=1))  # end of the build day: what happened "today" counts
        self.day_start = pf.day_start(today)

    # --- dates ------------------------------------------------------------------------------

    def prod_start(self, r: Release) -> dt.datetime | None:
        dep = r.environments.get(self.pf.production)
        if dep is None:
            return None
        return dep.deployed_at if dep.status in ("deployed", "rolled_back", "failed") and dep.deployed_at else (
            dep.window.start if dep.window else None)

    def last_activity(self, r: Release) -> dt.datetime | None:
        times = [t for dep in r.environments.values() for t in (dep.deployed_at, dep.window.start if dep.window else None) if t]
        return max(times) if times else None

    # --- grouping ---------------------------------------------------------------------------

    def group(self, r: Release) -> str:
        """in_progress, upcoming, recent or older: the index's sections."""
        when = self.prod_start(r) or self.last_activity(r)
        if r.status in IN_PROGRESS or any(d.status == "in_progress" for d in r.environments.values()):
            return "in_progress"
        if r.status in NOT_STARTED:
            if when is None or when < self.day_start + dt.timedelta(days=UPCOMING_DAYS):
                return "upcoming"
            return "later"
        if when is not None and when >= self.day_start - dt.timedelta(days=RECENT_DAYS):
            return "recent"
        return "older"

    @cached_property
    def groups(self) -> dict[str, list[Release]]:
        out: dict[str, list[Release]] = {"in_progress": [], "upcoming": [], "later": [], "recent": [], "older": []}
        for r in self.pf.releases:
            out[self.group(r)].append(r)
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        near = dt.datetime.min.replace(tzinfo=dt.UTC)
        for key in ("in_progress", "upcoming", "later"):
            out[key].sort(key=lambda r: (self.prod_start(r) or far, r.id))
        for key in ("recent", "older"):
            out[key].sort(key=lambda r: (self.prod_start(r) or self.last_activity(r) or near, r.id), reverse=True)
        return out

    def year_of(self, r: Release) -> int | None:
        when = self.prod_start(r) or self.last_activity(r)
        return when.astimezone(self.tz).year if when else None

    @cached_property
    def by_year(self) -> dict[int | None, list[Release]]:
        out: dict[int | None, list[Release]] = defaultdict(list)
        near = dt.datetime.min.replace(tzinfo=dt.UTC)
        for r in self.pf.releases:
            out[self.year_of(r)].append(r)
        for rs in out.values():
            rs.sort(key=lambda r: (self.prod_start(r) or self.last_activity(r) or near, r.id))
        return dict(out)

    @cached_property
    def by_service(self) -> dict[str, list[Release]]:
        out: dict[str, list[Release]] = defaultdict(list)
        for r in self.pf.releases:
            out[r.service].append(r)
        near = dt.datetime.min.replace(tzinfo=dt.UTC)
        for rs in out.values():
            rs.sort(key=lambda r: (self.prod_start(r) or self.last_activity(r) or near, r.id), reverse=True)
        return dict(out)

    @cached_property
    def dependents(self) -> dict[str, list[Release]]:
        out: dict[str, list[Release]] = defaultdict(list)
        for r in self.pf.releases:
            for d in r.depends_on:
                out[d].append(r)
        return dict(out)

    # --- schedule ---------------------------------------------------------------------------

    @cached_property
    def slots(self) -> list[Slot]:
        """Every release on every environment that has a time, ordered by start."""
        out = [Slot(r, env, dep) for r in self.pf.releases for env, dep in r.environments.items()
               if (dep.window or dep.deployed_at) and env in self.pf.env_index]
        out.sort(key=lambda s: (s.start, self.pf.env_index[s.env], s.release.id))
        return out

    @cached_property
    def slots_by_env(self) -> dict[str, list[Slot]]:
        out: dict[str, list[Slot]] = {env.name: [] for env in self.pf.environments}
        for s in self.slots:
            out[s.env].append(s)
        return out

    def upcoming_slots(self, env: str | None = None, limit: int | None = None, days: int | None = None) -> list[Slot]:
        """Scheduled or running deployments from today on (within ``days`` when given)."""
        pool = self.slots if env is None else self.slots_by_env.get(env, [])
        horizon = self.day_start + dt.timedelta(days=days) if days else None
        out = [s for s in pool if s.start and s.start >= self.day_start and (horizon is None or s.start < horizon)
               and s.dep.status in ("scheduled", "in_progress") and s.release.status != "cancelled"]
        return out[:limit] if limit else out

    def recent_slots(self, env: str, days: int = 30) -> list[Slot]:
        since = self.day_start - dt.timedelta(days=days)
        out = [s for s in self.slots_by_env.get(env, []) if s.start and since <= s.start < self.day_start
               and s.dep.status not in ("not_planned",)]
        return list(reversed(out))

    @cached_property
    def in_progress_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.dep.status == "in_progress"]

    # --- what is live -----------------------------------------------------------------------

    @cached_property
    def live(self) -> dict[str, dict[str, Live]]:
        """environment -> service -> the release deployed there most recently (as of today)."""
        out: dict[str, dict[str, Live]] = {env.name: {} for env in self.pf.environments}
        for r in self.pf.releases:
            for env, dep in r.environments.items():
                if env not in out or dep.deployed_at is None or dep.deployed_at >= self.now:
                    continue
                if dep.status == "deployed":  # a rolled-back deployment leaves the previous one live
                    cur = out[env].get(r.service)
                    if cur is None or (dep.deployed_at, r.id) > (cur.since, cur.release.id):
                        out[env][r.service] = Live(r, dep.deployed_at)
        return {env: dict(sorted(services.items())) for env, services in out.items()}

    # --- freezes ----------------------------------------------------------------------------

    def freezes_near(self, days: int = 30) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        for fr in self.pf.config.freezes:
            if fr.start <= self.today <= fr.end:
                out.append(("active", fr))
            elif self.today < fr.start <= self.today + dt.timedelta(days=days):
                out.append(("soon", fr))
        return out

    # --- readiness --------------------------------------------------------------------------

    def checklist(self, r: Release) -> list[CheckItem]:
        """What operations need, marked with the stage from which validation requires it."""
        h = r.handover
        s = h.support if h else None
        items = [
            CheckItem("Runbook", bool(h and h.runbook), "ready"),
            CheckItem("Support team", bool(s), "ready"),
            CheckItem("Rollback plan", bool(h and h.rollback), "ready"),
            CheckItem("Support hours", bool(s and s.hours), ""),
            CheckItem("Contact", bool(s and s.contact), ""),
            CheckItem("Escalation path", bool(s and s.escalation), ""),
            CheckItem("Monitoring", bool(h and h.monitoring), ""),
            CheckItem("Known errors documented", bool(h and h.known_errors), ""),
            CheckItem("Training", bool(h and h.training), ""),
            CheckItem("Early life support", bool(h and h.early_life_support), ""),
            CheckItem("Accepted by operations", bool(h and h.accepted_by), "closed"),
        ]
        return items

    def known_errors(self, r: Release) -> list[KnownIssue]:
        """What operations may meet: the handover's known errors, then the release notes' known issues."""
        return (list(r.handover.known_errors) if r.handover else []) + list(r.notes.known_issues)

    def required_now(self, r: Release, item: CheckItem) -> bool:
        return (item.required_from == "ready" and r.status in READY_ON) or (item.required_from == "closed" and r.status == "closed")
