"""A portfolio index made from the last one, for the live preview's re-plan.

A re-plan builds a new ``PortfolioIndex`` for the edited portfolio, and at 10,000 releases making
its window slots and release groups again (sorting every release and window) was half a second of
each save. Both depend on a release's own model alone (and the portfolio's settings and today), so
the new index takes the last one's, drops the entries of the releases whose model changed and files
their new ones in by binary search: keys are unique (a release id is in every key), so the lists are
exactly the sorted lists a fresh index makes. tests/test_replan_property.py holds the pages built
from them to a full plan.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections.abc import Callable

from relsite.plan.index import _FAR, _NEAR, PortfolioIndex, ReleaseGroup, Slot
from relsite.validate.models import Release

_AHEAD = ("in_progress", "upcoming", "later")


def revise(ix: PortfolioIndex, previous: PortfolioIndex) -> None:
    """Give ``ix`` the slots and groups of ``previous`` revised, where ``previous`` has made them and
    indexes the same releases under the same settings and day."""
    if previous.pf.config is not ix.pf.config or previous.today != ix.today:
        return
    if [r.id for r in previous.pf.releases] != [r.id for r in ix.pf.releases]:
        return
    changed = {r.id for r in ix.pf.releases if previous.pf.by_id[r.id] is not r}
    if "slots" in previous.__dict__ and "slots" not in ix.__dict__:
        ix.__dict__["slots"] = _slots(ix, previous.slots, changed)
    if "groups" in previous.__dict__ and "groups" not in ix.__dict__:
        ix.__dict__["groups"] = _groups(ix, previous.groups, changed)


def _slots(ix: PortfolioIndex, before: list[Slot], changed: set[str]) -> list[Slot]:
    env_index = ix.pf.env_index

    def key(s: Slot) -> tuple[dt.datetime | None, int, str]:
        return s.start, env_index[s.env], s.release.id

    out = [s for s in before if s.release.id not in changed]
    for rid in sorted(changed):
        r = ix.pf.by_id[rid]
        for env, dep in r.environments.items():
            if (dep.window or dep.deployed_at) and env in env_index:
                insort(out, Slot(release=r, env=env, dep=dep), key=key)
    return out


def _groups(
    ix: PortfolioIndex, before: dict[ReleaseGroup, list[Release]], changed: set[str]
) -> dict[ReleaseGroup, list[Release]]:
    out = {group: [r for r in rs if r.id not in changed] for group, rs in before.items()}
    for rid in sorted(changed):
        r = ix.pf.by_id[rid]
        group = ix.group(r)
        if group in _AHEAD:
            insort(out[group], r, key=lambda x: (ix.prod_start(x) or _FAR, x.id))
        else:
            _insort_descending(out[group], r, lambda x: (ix.when(x) or _NEAR, x.id))
    return out


def _insort_descending(items: list[Release], item: Release, key: Callable[[Release], tuple[dt.datetime, str]]) -> None:
    """Insert into a list sorted by ``key`` from the largest down."""
    k, lo, hi = key(item), 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(items[mid]) > k:
            lo = mid + 1
        else:
            hi = mid
    items.insert(lo, item)
