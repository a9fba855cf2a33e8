"""Deployment windows across the portfolio: which overlap, which fall in a freeze.

Shared by the rules (which report them) and the calendar (which shows them), so the calendar shows
exactly what CI reports. Sort-and-sweep per environment: n log n plus the pairs found, never a
loop over all releases per release.
"""

from __future__ import annotations

import datetime as dt
import weakref
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import TypeVar

from relsite.validate import lifecycle
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.schedule import Interval, occurrences
from relsite.validate.schedule_models import Freeze


@dataclass(frozen=True)
class WindowSlot:
    """One release's window on one environment: the unit of overlap and freeze checks."""

    start: dt.datetime
    end: dt.datetime
    env: str
    release: Release


_T = TypeVar("_T")
_SLOTS: dict[int, list[WindowSlot]] = {}
_OVERLAPS: dict[int, list[Overlap]] = {}
_HITS: dict[int, list[tuple[WindowSlot, Freeze]]] = {}


def _once(cache: dict[int, list[_T]], pf: Portfolio, make: Callable[[Portfolio], Iterator[_T]]) -> list[_T]:
    """``make(pf)`` made once per portfolio: the rules, the calendar and the attention list ask for
    the same windows, and a live preview checks the portfolio again on every save (at 10,000
    releases the repeated sweeps were most of a recheck). Kept beside the portfolio, which
    validate/ keeps free of derived state, and dropped with it."""
    found = cache.get(id(pf))
    if found is None:
        weakref.finalize(pf, cache.pop, id(pf), None)
        found = cache[id(pf)] = list(make(pf))
    return found


def slots(pf: Portfolio) -> list[WindowSlot]:
    """Every window that takes place."""
    return _once(_SLOTS, pf, _slots)


def _slots(pf: Portfolio) -> Iterator[WindowSlot]:
    for r in pf.releases:
        yield from slots_of(r)


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


def overlaps(pf: Portfolio) -> list[Overlap]:
    """Pairs of windows on the same environment that overlap: sort, then sweep (n log n + pairs)."""
    return _once(_OVERLAPS, pf, _overlaps)


def _overlaps(pf: Portfolio) -> Iterator[Overlap]:
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


def freeze_hits(pf: Portfolio) -> list[tuple[WindowSlot, Freeze]]:
    """Windows that touch an occurrence of a freeze on their environment and service."""
    return _once(_HITS, pf, _freeze_hits)


def _freeze_hits(pf: Portfolio) -> Iterator[tuple[WindowSlot, Freeze]]:
    """Freezes are few: each is expanded once over the span of all windows into its occurrences'
    starts (sorted) and the latest end among the first k of them, so whether a window touches one
    is a binary search (a weekly freeze over years has hundreds of occurrences)."""
    all_slots = slots(pf)
    if not all_slots or not pf.config.freezes:
        return
    lo, hi = min(s.start for s in all_slots), max(s.end for s in all_slots)
    spans = {id(f): _Occurrences(occurrences(f, pf.tz, lo, hi)) for f in pf.config.freezes}
    by_env = {env.name: pf.freezes_for(env.name) for env in pf.environments}
    for s in all_slots:
        for fr in by_env.get(s.env, ()):
            if fr.services is not None and s.release.service not in fr.services:
                continue
            if spans[id(fr)].touch(s.start, s.end):
                yield s, fr


class _Occurrences:
    """A freeze's occurrences, asked whether any of them overlaps a window."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        ordered = sorted(intervals, key=lambda iv: iv.start)
        self.starts = [iv.start for iv in ordered]
        self.latest_end = list(accumulate((iv.end for iv in ordered), max))

    def touch(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether an occurrence starts before ``end`` and ends after ``start``."""
        k = bisect_left(self.starts, end)  # occurrences [0, k) start before the window ends
        return k > 0 and self.latest_end[k - 1] > start


def revise(old: Portfolio, new: Portfolio) -> None:
    """Make ``new``'s slots, overlaps and freeze hits from ``old``'s, which it equals but for a few
    releases (a recheck keeps the models of the others, with the same settings): only the windows
    of the releases whose model is not ``old``'s are found and compared again. At 10,000 releases
    sorting and sweeping every window was most of a live preview's recheck. The lists equal what
    ``slots``, ``overlaps`` and ``freeze_hits`` would make (tests/test_windows_revise.py)."""
    before = _SLOTS.get(id(old))
    if before is None or id(new) in _SLOTS or old.config is not new.config:
        return
    kept_by_release: dict[str, list[WindowSlot]] = defaultdict(list)
    for s in before:
        kept_by_release[s.release.id].append(s)
    now: list[WindowSlot] = []
    fresh: list[WindowSlot] = []
    for r in new.releases:
        if old.by_id.get(r.id) is r:
            now += kept_by_release.get(r.id, ())
        else:
            mine = list(slots_of(r))
            now += mine
            fresh += mine
    changed = {r.id for r in old.releases if new.by_id.get(r.id) is not r}
    changed |= {r.id for r in new.releases if old.by_id.get(r.id) is not r}
    _once(_SLOTS, new, lambda _: iter(now))
    if id(old) in _OVERLAPS:
        _once(_OVERLAPS, new, lambda _: iter(_revised_overlaps(_OVERLAPS[id(old)], now, fresh, changed)))
    if id(old) in _HITS:
        _once(_HITS, new, lambda _: iter(_revised_hits(new, _HITS[id(old)], now, fresh)))


def slots_of(r: Release) -> Iterator[WindowSlot]:
    """The release's windows that take place, in its order of environments."""
    if r.status == lifecycle.CANCELLED:
        return
    for env, dep in r.environments.items():
        if dep.window and lifecycle.takes_place(dep) and dep.window.end > dep.window.start:
            yield WindowSlot(dep.window.start, dep.window.end, env, r)


def _key(s: WindowSlot) -> tuple[dt.datetime, dt.datetime, str]:
    return s.start, s.end, s.release.id


def _revised_overlaps(
    before: list[Overlap], now: list[WindowSlot], fresh: list[WindowSlot], changed: set[str]
) -> list[Overlap]:
    """The sweep's pairs: those of unchanged releases kept, those of the fresh windows found by
    comparing each with the windows of its environment, all in the sweep's order (environment,
    then the later window's sort key, then the earlier's)."""
    out = [o for o in before if o.earlier.release.id not in changed and o.later.release.id not in changed]
    is_fresh = {id(s) for s in fresh}
    by_env: dict[str, list[WindowSlot]] = defaultdict(list)
    for s in now:
        by_env[s.env].append(s)
    for c in fresh:
        for o in by_env[c.env]:
            if o is c or (id(o) in is_fresh and _key(o) > _key(c)):
                continue  # a pair of two fresh windows is found once
            if o.start < c.end and c.start < o.end:
                out.append(Overlap(o, c) if _key(o) < _key(c) else Overlap(c, o))
    out.sort(key=lambda o: (o.later.env, _key(o.later), _key(o.earlier)))
    return out


def _revised_hits(
    pf: Portfolio, before: list[tuple[WindowSlot, Freeze]], now: list[WindowSlot], fresh: list[WindowSlot]
) -> list[tuple[WindowSlot, Freeze]]:
    """Freeze hits in window order: a kept window's as they were, a fresh window's found again."""
    found: dict[int, list[Freeze]] = defaultdict(list)
    for s, fr in before:
        found[id(s)].append(fr)
    for s in fresh:
        for fr in pf.freezes_for(s.env):
            if fr.services is not None and s.release.service not in fr.services:
                continue
            if occurrences(fr, pf.tz, s.start, s.end):
                found[id(s)].append(fr)
    return [(s, fr) for s in now for fr in found.get(id(s), ())]
