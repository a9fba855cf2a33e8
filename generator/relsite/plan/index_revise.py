"""A portfolio index made from the last one, for the live preview's re-plan.

A re-plan builds a new ``PortfolioIndex`` for the edited portfolio, and at 10,000 releases making
its lookups again (sorting every release and window, finding every release's line and what is live
on every line) was most of each save. Each lookup is made of per-release parts, so the new index
takes the last one's and makes again only what the releases whose model changed can reach:

- window slots and release groups: the changed releases' entries dropped and their new ones filed
  in by binary search; keys are unique (a release id is in every key), so the lists are exactly the
  sorted lists a fresh index makes;
- lines (``by_track``), years, services and dependents: the lists of the keys a changed release
  left or joined are made again, every other list is the last index's own object;
- what is live: the lines a changed release left or joined are decided again on every environment;
  every other line keeps its ``Live`` (and the cells made of it), and the line statuses
  (``line_status``) of the lines untouched are kept.

tests/test_replan_property.py holds the pages built from them to a full plan, and
tests/test_index_revise.py each lookup to a fresh index's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Callable
from typing import Any, TypeVar

from relsite.plan import attention, line_status, view_parts
from relsite.plan.index import _FAR, _NEAR, Live, PortfolioIndex, ReleaseGroup, Slot, Track, newest_lines_first
from relsite.validate.models import Release

_AHEAD = ("in_progress", "upcoming", "later")
K = TypeVar("K")


def revise(ix: PortfolioIndex, previous: PortfolioIndex) -> None:
    """Give ``ix`` the slots and groups of ``previous`` revised, where ``previous`` has made them and
    indexes the same releases under the same settings and day."""
    if previous.pf.config is not ix.pf.config or previous.today != ix.today:
        return
    changed = _changed(previous, ix)
    if changed is None:
        return
    if "slots" in previous.__dict__ and "slots" not in ix.__dict__:
        ix.__dict__["slots"], fresh = _slots(ix, previous, previous.slots, changed)
        for name in ("slots_by_env", "in_progress_slots"):
            if _wanted(ix, previous, name):
                ix.__dict__[name] = _slots_kept(ix, previous, getattr(previous, name), changed, fresh, name)
    if "groups" in previous.__dict__ and "groups" not in ix.__dict__:
        ix.__dict__["groups"] = _groups(ix, previous.groups, changed)
    _revise_keyed(ix, previous, changed)
    attention.keep_concerns(ix, previous, changed)
    view_parts.keep_rows(ix, previous)
    if _wanted(ix, previous, "by_track"):
        touched = {previous.track(previous.pf.by_id[rid]) for rid in changed}
        touched |= {ix.track(ix.pf.by_id[rid]) for rid in changed}
        ix.__dict__["by_track"] = _regrouped(previous.by_track, changed, touched, ix, ix.track, newest_first=True)
        if _wanted(ix, previous, "live"):
            ix.__dict__["live"] = _live(ix, previous.live, touched)
        line_status.keep_untouched(ix, previous, touched, changed)


def _revise_keyed(ix: PortfolioIndex, previous: PortfolioIndex, changed: set[str]) -> None:
    """Years, services and dependents: made again only for the keys a changed release left or joined.
    Years are listed in the order of their first release, which an edit moving a release to another
    year may change: then they are made afresh."""
    old = [previous.pf.by_id[rid] for rid in changed]
    new = [ix.pf.by_id[rid] for rid in changed]
    same_years = all(previous.year_of(a) == ix.year_of(b) for a, b in zip(old, new, strict=True))
    if _wanted(ix, previous, "by_year") and same_years:
        years = {ix.year_of(r) for r in new}
        ix.__dict__["by_year"] = _regrouped(previous.by_year, changed, years, ix, ix.year_of, newest_first=False)
    if _wanted(ix, previous, "by_service") and all(a.service == b.service for a, b in zip(old, new, strict=True)):
        services = {r.service for r in new}
        ix.__dict__["by_service"] = _regrouped(
            previous.by_service, changed, services, ix, lambda r: r.service, newest_first=True
        )
    if _wanted(ix, previous, "dependents"):
        ix.__dict__["dependents"] = _dependents(ix, previous.dependents, old, new)


def _changed(previous: PortfolioIndex, ix: PortfolioIndex) -> set[str] | None:
    """The ids whose model changed, or None unless both index the same ids in the same order."""
    if len(previous.pf.releases) != len(ix.pf.releases):
        return None
    changed = set()
    for a, b in zip(previous.pf.releases, ix.pf.releases, strict=True):
        if a is not b:
            if a.id != b.id:
                return None
            changed.add(b.id)
    return changed


def _wanted(ix: PortfolioIndex, previous: PortfolioIndex, name: str) -> bool:
    """Whether ``previous`` made the lookup ``name`` and ``ix`` has not yet."""
    return name in previous.__dict__ and name not in ix.__dict__


def _regrouped(
    before: dict[K, list[Release]],
    changed: set[str],
    touched: set[K],
    ix: PortfolioIndex,
    key_of: Callable[[Release], K],
    newest_first: bool,
) -> dict[K, list[Release]]:
    """``before`` with the lists of the ``touched`` keys made again: the changed releases taken out
    and the new models of those that now belong put in, sorted as the index sorts them (by when,
    then id); a key left empty is dropped."""
    out = dict(before)
    joining: dict[K, list[Release]] = {}
    for rid in sorted(changed):
        r = ix.pf.by_id[rid]
        joining.setdefault(key_of(r), []).append(r)
    for k in touched:
        members = [r for r in before.get(k, []) if r.id not in changed] + joining.get(k, [])
        members.sort(key=lambda r: (ix.when(r) or _NEAR, r.id), reverse=newest_first)
        if members:
            out[k] = members
        else:
            out.pop(k, None)
    return out


def _dependents(
    ix: PortfolioIndex, before: dict[str, list[Release]], old: list[Release], new: list[Release]
) -> dict[str, list[Release]]:
    """Dependents lists in portfolio order: those naming a changed release before or after made again."""
    touched = {d for r in (*old, *new) for d in r.depends_on}
    if not touched:
        return before
    position = {r.id: i for i, r in enumerate(ix.pf.releases)}
    changed = {r.id for r in new}
    out = dict(before)
    for d in touched:
        members = [r for r in before.get(d, []) if r.id not in changed] + [r for r in new if d in r.depends_on]
        members.sort(key=lambda r: position[r.id])
        if members:
            out[d] = members
        else:
            out.pop(d, None)
    return out


def _live(
    ix: PortfolioIndex, before: dict[str, dict[Track, Live]], touched: set[Track]
) -> dict[str, dict[Track, Live]]:
    """What is live: the touched lines decided again on every environment, every other line's ``Live`` kept."""
    out: dict[str, dict[Track, Live]] = {}
    for env, tracks in before.items():
        now = {t: found for t in touched if (found := ix.live_among(ix.by_track.get(t, []), env)) is not None}
        if now.keys() == {t for t in touched if t in tracks}:  # the same lines: the same order
            out[env] = {t: now.get(t, lv) for t, lv in tracks.items()} if now else tracks
        else:
            out[env] = newest_lines_first({**{t: lv for t, lv in tracks.items() if t not in touched}, **now})
    return out


def _slots(
    ix: PortfolioIndex, previous: PortfolioIndex, before: list[Slot], changed: set[str]
) -> tuple[list[Slot], list[Slot]]:
    """The revised slots, and the new slots of the changed releases among them."""
    env_index = ix.pf.env_index

    def key(s: Slot) -> tuple[dt.datetime | None, int, str]:
        return s.start, env_index[s.env], s.release.id

    out = _without(before, changed, previous, key)
    fresh = []
    for rid in sorted(changed):
        r = ix.pf.by_id[rid]
        for env, dep in r.environments.items():
            if (dep.window or dep.deployed_at) and env in env_index:
                slot = Slot(release=r, env=env, dep=dep)
                insort(out, slot, key=key)
                fresh.append(slot)
    return out, fresh


def _without(
    slots: list[Slot], changed: set[str], previous: PortfolioIndex, key: Callable[[Slot], tuple[Any, ...]]
) -> list[Slot]:
    """``slots`` (sorted by ``key``) without the slots of the ``changed`` releases' last models, each
    found by binary search (a pass over 40,000 windows read each one's release id)."""
    out = list(slots)
    env_index = previous.pf.env_index
    for rid in changed:
        for env, dep in previous.pf.by_id[rid].environments.items():
            if (dep.window or dep.deployed_at) and env in env_index:
                start = dep.window.start if dep.window else dep.deployed_at
                i = bisect_left(out, (start, env_index[env], rid), key=key)
                if i < len(out) and out[i].release.id == rid and out[i].env == env:
                    del out[i]
    return out


def _slots_kept(
    ix: PortfolioIndex, previous: PortfolioIndex, before: Any, changed: set[str], fresh: list[Slot], name: str
) -> Any:
    """``slots_by_env`` or ``in_progress_slots`` of the revised ``slots``: the changed releases' slots
    taken out of the last lists and their new ones (``fresh``, the revised ``slots``' own) filed in."""
    env_index = ix.pf.env_index

    def key(s: Slot) -> tuple[dt.datetime | None, int, str]:
        return s.start, env_index[s.env], s.release.id

    def revised(slots: list[Slot], joining: list[Slot]) -> list[Slot]:
        out = _without(slots, changed, previous, key)
        for s in joining:
            insort(out, s, key=key)
        return out

    if name == "in_progress_slots":
        return revised(before, [s for s in fresh if s.dep.status == "in_progress"])
    return {env: revised(slots, [s for s in fresh if s.env == env]) for env, slots in before.items()}


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
