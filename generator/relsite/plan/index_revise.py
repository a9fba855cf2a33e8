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
from relsite.plan.index import Live, PortfolioIndex, ReleaseGroup, Slot, Track, newest_lines_first
from relsite.validate.models import Release

_AHEAD = ("in_progress", "upcoming", "later")
K = TypeVar("K")


def revise(ix: PortfolioIndex, previous: PortfolioIndex) -> None:
    """Give ``ix`` the lookups ``previous`` made, revised, where ``previous`` indexes the same releases
    (ids in the same order) under the same settings and day; else leave ``ix`` to make its own."""
    if previous.pf.config is not ix.pf.config or previous.today != ix.today:
        return
    changed = _changed(previous, ix)
    if changed is None:
        return
    if _wanted(ix, previous, "slots"):
        _revise_slots(ix, previous, changed)
    if _wanted(ix, previous, "groups"):
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
        members.sort(key=ix.when_key, reverse=newest_first)
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


def _revise_slots(ix: PortfolioIndex, previous: PortfolioIndex, changed: set[str]) -> None:
    """``slots``, and ``slots_by_env`` and ``in_progress_slots`` where ``previous`` made them: the changed
    releases' last slots found by binary search and taken out (a pass over 40,000 windows read each
    one's release id), their new ones filed in."""
    gone = [previous.slot_key(s) for rid in changed for s in previous.release_slots(previous.pf.by_id[rid])]
    fresh = [s for rid in sorted(changed) for s in ix.release_slots(ix.pf.by_id[rid])]
    ix.__dict__["slots"] = _spliced(previous.slots, gone, fresh, ix.slot_key)
    if _wanted(ix, previous, "slots_by_env"):
        ix.__dict__["slots_by_env"] = {
            env: _spliced(slots, gone, [s for s in fresh if s.env == env], ix.slot_key)
            for env, slots in previous.slots_by_env.items()
        }
    if _wanted(ix, previous, "in_progress_slots"):
        joining = [s for s in fresh if s.dep.status == "in_progress"]
        ix.__dict__["in_progress_slots"] = _spliced(previous.in_progress_slots, gone, joining, ix.slot_key)


def _spliced(
    slots: list[Slot], gone: list[tuple[Any, ...]], joining: list[Slot], key: Callable[[Slot], tuple[Any, ...]]
) -> list[Slot]:
    """``slots`` (sorted by ``key``, every key once) without those whose key is in ``gone`` (if they
    are there), with ``joining`` filed in."""
    out = list(slots)
    for k in gone:
        i = bisect_left(out, k, key=key)
        if i < len(out) and key(out[i]) == k:
            del out[i]
    for s in joining:
        insort(out, s, key=key)
    return out


def _groups(
    ix: PortfolioIndex, before: dict[ReleaseGroup, list[Release]], changed: set[str]
) -> dict[ReleaseGroup, list[Release]]:
    out = {group: [r for r in rs if r.id not in changed] for group, rs in before.items()}
    for rid in sorted(changed):
        r = ix.pf.by_id[rid]
        group = ix.group(r)
        if group in _AHEAD:
            insort(out[group], r, key=ix.ahead_key)
        else:
            _insort_descending(out[group], r, ix.when_key)
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
