"""Deployment windows across the portfolio: which overlap, which fall in a freeze.

Shared by the rules (which report them) and the calendar (which shows them), so the calendar shows
exactly what CI reports. Sort-and-sweep per environment: n log n plus the pairs found, never a
loop over all releases per release.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from relsite.validate import lifecycle
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.schedule import occurrences
from relsite.validate.schedule_models import Freeze


@dataclass(frozen=True)
class WindowSlot:
    """One release's window on one environment: the unit of overlap and freeze checks."""

    start: dt.datetime
    end: dt.datetime
    env: str
    release: Release


_SLOTS: dict[int, list[WindowSlot]] = {}


def slots(pf: Portfolio) -> list[WindowSlot]:
    """Every window that takes place, made once per portfolio: three rules and the calendar ask for
    them, and a live preview checks the portfolio again on every save (at 10,000 releases making
    them three times was half of a recheck). Kept beside the portfolio, which validate/ keeps free
    of derived state."""
    found = _SLOTS.get(id(pf))
    if found is None:
        weakref.finalize(pf, _SLOTS.pop, id(pf), None)
        found = _SLOTS[id(pf)] = [WindowSlot(dep.window.start, dep.window.end, env, r)
                              for r in pf.releases if r.status != lifecycle.CANCELLED
                              for env, dep in r.environments.items()
                              if dep.window and lifecycle.takes_place(dep) and dep.window.end > dep.window.start]
    return found


@dataclass(frozen=True)
class Overlap:
    earlier: WindowSlot
    later: WindowSlot

    @property
    def coordinated(self) -> bool:
        """Overlapping on purpose: one owner runs both, or one names the other in coordinated_with
        (a language project shipping several branches on one day is not a clash)."""
        a, b = self.earlier.release, self.later.release
        return a.owner == b.owner or b.id in a.coordinated_with or a.id in b.coordinated_with


def overlaps(pf: Portfolio) -> Iterator[Overlap]:
    """Pairs of windows on the same environment that overlap: sort, then sweep (n log n + pairs)."""
    by_env: dict[str, list[WindowSlot]] = defaultdict(list)
    for s in slots(pf):
        by_env[s.env].append(s)
    for env in sorted(by_env):
        active: list[WindowSlot] = []
        for s in sorted(by_env[env], key=lambda s: (s.start, s.end, s.release.id)):
            active = [a for a in active if a.end > s.start]
            for a in active:
                yield Overlap(a, s)
            active.append(s)



def freeze_hits(pf: Portfolio) -> Iterator[tuple[WindowSlot, Freeze]]:
    """Windows that touch an occurrence of a freeze on their environment and service (freezes are
    few: each is expanded once over the span of all windows, then slots x freezes is linear)."""
    all_slots = slots(pf)
    if not all_slots or not pf.config.freezes:
        return
    lo, hi = min(s.start for s in all_slots), max(s.end for s in all_slots)
    spans = {id(f): occurrences(f, pf.tz, lo, hi) for f in pf.config.freezes}
    by_env = {env.name: pf.freezes_for(env.name) for env in pf.environments}
    for s in all_slots:
        for fr in by_env.get(s.env, ()):
            if fr.services is not None and s.release.service not in fr.services:
                continue
            if any(iv.start < s.end and iv.end > s.start for iv in spans[id(fr)]):
                yield s, fr
