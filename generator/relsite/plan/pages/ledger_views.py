"""What the release and environment pages show of the deployment ledger: attempts per environment
(failures and rollbacks visible), an environment's history, and what reached it since the previous
production deployment. Bounded per page (``HISTORY_ROWS``), computed from one pass over the ledger."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan.deliveries import STATUS_WORDS
from relsite.plan.deployment_ledger import Entry, attempts_of
from relsite.plan.index import PortfolioIndex
from relsite.plan.view_parts import Link
from relsite.validate.models import Release

HISTORY_ROWS = 50


@dataclass(frozen=True, kw_only=True)
class AttemptRow:
    env: str
    release: Link
    version: str
    status: str
    """The attempt status, for the badge: in_progress, deployed, failed, rolled_back."""
    word: str
    when: str
    by: str
    event: str


@dataclass(frozen=True, kw_only=True)
class ReleaseAttempts:
    rows: list[AttemptRow]
    failures: int
    rollbacks: int


@dataclass(frozen=True, kw_only=True)
class EnvLedger:
    history: list[AttemptRow]
    since: str
    """When the previous production deployment was ("" when there was none)."""
    changed: list[AttemptRow]
    """Releases that reached this environment since then, newest first."""


def _row(ix: PortfolioIndex, e: Entry) -> AttemptRow:
    return AttemptRow(
        env=e.env,
        release=Link(text=e.release_id, href=f"releases/{e.release_id}/"),
        version=f"{e.service} {e.version}",
        status=e.status,
        word=STATUS_WORDS[e.status],
        when=fmt.when(e.at, ix.tz),
        by=e.by or "",
        event=e.event or "",
    )


def release_attempts(ix: PortfolioIndex, r: Release) -> ReleaseAttempts | None:
    """Every attempt of one release, environment by environment in promotion order, oldest first."""
    rows = [
        AttemptRow(
            env=env,
            release=Link(text=r.id, href=f"releases/{r.id}/"),
            version=r.version,
            status=a.status,
            word=STATUS_WORDS[a.status],
            when=fmt.when(a.at, ix.tz),
            by=a.by or "",
            event=a.event or "",
        )
        for env, dep in sorted(r.environments.items(), key=lambda kv: ix.pf.env_index.get(kv[0], 0))
        for a in attempts_of(dep)
    ]
    if not rows:
        return None
    return ReleaseAttempts(
        rows=rows,
        failures=sum(x.status == "failed" for x in rows),
        rollbacks=sum(x.status == "rolled_back" for x in rows),
    )


def environment_ledgers(ix: PortfolioIndex, ledger: list[Entry]) -> dict[str, EnvLedger]:
    """Per environment: its latest attempts, and what reached it since the previous production deployment
    (for production itself: since the one before the latest)."""
    by_env: dict[str, list[Entry]] = defaultdict(list)
    prod_times: list[dt.datetime] = []
    for e in ledger:
        if e.at <= ix.now:
            by_env[e.env].append(e)
            if e.production and e.status == "deployed":
                prod_times.append(e.at)
    out = {}
    for env in ix.pf.env_index:
        entries = by_env.get(env, [])
        cut = (
            prod_times[-2]
            if env == ix.pf.production and len(prod_times) > 1
            else (None if env == ix.pf.production or not prod_times else prod_times[-1])
        )
        changed = [e for e in entries if e.status == "deployed" and (cut is None or e.at > cut)] if prod_times else []
        out[env] = EnvLedger(
            history=[_row(ix, e) for e in reversed(entries[-HISTORY_ROWS:])],
            since=fmt.when(cut, ix.tz) if cut else "",
            changed=[_row(ix, e) for e in reversed(changed[-HISTORY_ROWS:])],
        )
    return out
