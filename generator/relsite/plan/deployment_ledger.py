"""Every deployment attempt in the portfolio, in one list: what the history pages, the deployments
feed and API, and the delivery metrics read.

An environment with a history contributes its attempts; one without (files written before the
ledger, or by hand) contributes its recorded outcome as a single attempt, so older portfolios
still count. One pass over the releases; sorting is the only cost above linear.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections.abc import Collection
from dataclasses import dataclass

from relsite.validate import ledger, lifecycle
from relsite.validate.models import Deployment
from relsite.validate.portfolio import Portfolio


@dataclass(frozen=True, kw_only=True)
class Entry:
    release_id: str
    service: str
    version: str
    env: str
    status: str
    """in_progress, deployed, failed or rolled_back."""
    at: dt.datetime
    by: str | None
    event: str | None
    production: bool


def attempts_of(dep: Deployment) -> list[ledger.Attempt]:
    """A deployment's attempts: its history, or its recorded outcome when it keeps none."""
    if not dep.history and dep.status in lifecycle.TIME_RECORDED and dep.deployed_at is not None:
        return [ledger.Attempt(status=dep.status, at=dep.deployed_at, by=dep.deployed_by)]  # type: ignore[arg-type]
    return dep.history


def entries(pf: Portfolio, only: Collection[str] | None = None) -> list[Entry]:
    """All attempts, oldest first (ties in the ledger's own order); ``only``: of those releases alone."""
    found: list[tuple[tuple[dt.datetime, int, str, str], Entry]] = []
    for r in pf.releases if only is None else [pf.by_id[i] for i in only if i in pf.by_id]:
        for env, dep in r.environments.items():
            for a in attempts_of(dep):
                entry = Entry(
                    release_id=r.id,
                    service=r.service,
                    version=r.version,
                    env=env,
                    status=a.status,
                    at=a.at,
                    by=a.by,
                    event=a.event,
                    production=env == pf.production,
                )
                found.append(((*ledger.order_key(a)[:3], r.id), entry))
    found.sort(key=lambda pair: pair[0])
    return [e for _, e in found]


def entry_key(e: Entry) -> tuple[dt.datetime, int, str, str]:
    """Where ``entries`` files an entry: its attempt's order (time, kind, status) and its release."""
    return (*ledger.order_key(ledger.Attempt(status=e.status, at=e.at))[:3], e.release_id)  # type: ignore[arg-type]


def revised(before: list[Entry], ids: Collection[str], theirs: list[Entry]) -> list[Entry]:
    """``entries`` of a portfolio that differs from the one ``before`` was made of only in the
    releases ``ids``, whose attempts are now ``theirs`` (``entries(pf, ids)``): theirs filed into the
    rest by binary search. Entries with equal keys come from one release, and ``theirs`` holds them
    in ``entries``' own order, so the list is the one a full pass sorts."""
    out = [e for e in before if e.release_id not in ids]
    for e in theirs:
        insort(out, e, key=entry_key)
    return out
