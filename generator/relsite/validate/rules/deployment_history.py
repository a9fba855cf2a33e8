"""Rules for an environment's deployment history: in order, and in agreement with its status."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from relsite.problems import Problem
from relsite.validate import ledger, lifecycle
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules.registry import err, fmt_time, register


@register("release", "history-order", "A deployment history is listed oldest first")
def _history_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """The attempts under an environment's `history` are listed by time, oldest first, so that the
    last one is the latest and readers see them in the order they happened; no attempt is listed twice."""
    for env, dep in r.environments.items():
        for i, (a, b) in enumerate(itertools.pairwise(dep.history), start=1):
            if a == b:
                yield err(
                    r.source,
                    ("environments", env, "history", i),
                    f"{env}: the attempt at {fmt_time(b.at)} is listed twice",
                    "remove one of the two entries",
                )
                break
            if ledger.order_key(b) < ledger.order_key(a):
                yield err(
                    r.source,
                    ("environments", env, "history", i, "at"),
                    f"{env}: this attempt ({fmt_time(b.at)}) is listed after a later one ({fmt_time(a.at)})",
                    "list the history oldest first",
                )
                break


@register("release", "history-agrees", "A deployment's status agrees with its history")
def _history_agrees(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """When an environment has a history and its status says something happened (in_progress,
    deployed, failed, rolled_back), the status is the latest attempt's, and `deployed_at` its time."""
    for env, dep in r.environments.items():
        last = ledger.latest(dep.history)
        if last is None or dep.status not in ledger.ATTEMPT_STATUSES:
            continue
        if dep.status != last.status:
            yield err(
                r.source,
                ("environments", env, "status"),
                f"{env} is {dep.status}, but its latest attempt ({fmt_time(last.at)}) is {last.status}",
                f"set status: {last.status}, or record the attempt with relsite record",
            )
        elif dep.status in lifecycle.TIME_RECORDED and dep.deployed_at is not None and dep.deployed_at != last.at:
            yield err(
                r.source,
                ("environments", env, "deployed_at"),
                f"{env} says deployed_at {fmt_time(dep.deployed_at)}, but its latest attempt was at "
                f"{fmt_time(last.at)}",
                "make deployed_at the time of the latest attempt",
            )
