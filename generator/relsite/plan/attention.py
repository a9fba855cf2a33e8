"""What needs the release manager's attention, as of the build date.

Each item names a release, what it lacks or what went wrong, and the line of the page that shows
it. The decisions use the lifecycle module's definitions, so this page, validation and the
handover pages agree on what "ready", "signed off" and "deployed" mean. One pass over the
releases (and the window sweep validation already does): linear in the portfolio.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Collection
from dataclasses import dataclass, field

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import release_support
from relsite.validate import lifecycle
from relsite.validate.models import Release
from relsite.validate.support_phases import same_track

KINDS = (
    ("behind", "Overrunning", "A window has ended, but the deployment is still scheduled or in progress."),
    ("clash", "Clashes", "Windows of different teams' releases overlap on one environment, now or later."),
    ("handover", "Handover incomplete", "Heading for production soon without what operations need."),
    ("sign-off", "Sign-off missing", "Heading for production soon without a required test sign-off."),
    ("cab", "CAB review missing", "Major or high-risk, heading for production soon, with no CAB review recorded."),
    (
        "dependency",
        "Waiting for a dependency",
        "Heading for production soon while a release it depends on is not live.",
    ),
    ("freeze", "In a change freeze", "A window that falls in a freeze."),
    ("els", "Early life support overdue", "Early life support has ended but the release is not closed."),
    (
        "end-of-life",
        "Support ending",
        "Live in production on a support line whose end of life is near: plan the move to a newer line.",
    ),
)

ALARM = frozenset({"behind", "clash"})
"""Kinds that mean something is wrong now, not soon: listed first, in the alarm colour."""


@dataclass(frozen=True, kw_only=True)
class AttentionItem:
    kind: str
    release: Release
    message: str
    """What is missing or wrong, in a sentence."""
    href: str
    """The page and anchor that show it, site-relative."""
    when: str
    """The date that makes it urgent, for sorting and display."""
    other: Release | None = None
    """The second release of a clash."""


@dataclass(frozen=True, kw_only=True)
class Clash:
    """Two releases of different owners whose windows overlap on one environment."""

    env: str
    start: dt.datetime
    """When the overlap begins."""
    end: dt.datetime
    first: Release
    second: Release


@dataclass(kw_only=True)
class Concerns:
    """What is late and what clashes, decided once per build and shown on every page that names the
    release or the window (attention, home, matrix, environment and release pages)."""

    overruns: dict[tuple[str, str], str] = field(default_factory=dict)
    """(release id, environment) -> why it is late, in words: "window ended 27 Nov 2026; still in progress"."""
    clashes: list[Clash] = field(default_factory=list)
    clash_with: dict[tuple[str, str], list[Release]] = field(default_factory=dict)
    """(release id, environment) -> the releases its window clashes with."""


_CONCERNS: weakref.WeakKeyDictionary[PortfolioIndex, Concerns] = weakref.WeakKeyDictionary()


def overrun_text(ix: PortfolioIndex, env: str, status: str, end: dt.datetime) -> str:
    late = (ix.today - end.astimezone(ix.tz).date()).days
    ago = "today" if late <= 0 else ("yesterday" if late == 1 else f"{late} days ago")
    state = "nothing was recorded" if status == "scheduled" else f"still {fmt.label(status)}"
    return f"window ended {fmt.when(end, ix.tz)} ({ago}); {state}"


def concerns(ix: PortfolioIndex) -> Concerns:
    """Overruns and clashes for this build: one pass over the releases and one window sweep,
    remembered per index so that each release page looks its own up instead of sweeping again."""
    found = _CONCERNS.get(ix)
    if found is not None:
        return found
    found = Concerns()
    for r in ix.pf.releases:
        _note_overruns(ix, r, found)
    _note_clashes(ix, found)
    _CONCERNS[ix] = found
    return found


def keep_concerns(ix: PortfolioIndex, previous: PortfolioIndex, changed: set[str]) -> None:
    """Give a re-planned ``ix`` the concerns of ``previous`` (same settings and day), the overruns of
    the ``changed`` releases found again and the clashes taken from its own window sweep. Overruns
    are only looked up, so their order does not matter."""
    before = _CONCERNS.get(previous)
    if before is None or ix in _CONCERNS:
        return
    found = Concerns(overruns={k: v for k, v in before.overruns.items() if k[0] not in changed})
    for rid in sorted(changed):
        _note_overruns(ix, ix.pf.by_id[rid], found)
    _note_clashes(ix, found)
    _CONCERNS[ix] = found


def _note_overruns(ix: PortfolioIndex, r: Release, found: Concerns) -> None:
    for env, dep in r.environments.items():
        if dep.window is not None and lifecycle.overrunning(r.status, dep, ix.day_start):
            found.overruns[(r.id, env)] = overrun_text(ix, env, dep.status, dep.window.end)


def _note_clashes(ix: PortfolioIndex, found: Concerns) -> None:
    for o in ix.overlaps:
        if o.coordinated and not same_track(ix.pf, o.earlier.release, o.later.release):
            continue  # planned together (the calendar agrees: calendar_events.conflicts)
        a, b = o.earlier, o.later
        found.clashes.append(Clash(env=a.env, start=b.start, end=min(a.end, b.end), first=a.release, second=b.release))
        found.clash_with.setdefault((a.release.id, a.env), []).append(b.release)
        found.clash_with.setdefault((b.release.id, b.env), []).append(a.release)


def _heading_for_production(ix: PortfolioIndex, r: Release, horizon: dt.datetime) -> dt.datetime | None:
    """The production window's start when it lies between today and the horizon and is still to happen."""
    dep = r.environments.get(ix.pf.production)
    if dep is None or dep.window is None or dep.status not in lifecycle.PENDING or r.status in lifecycle.FINISHED:
        return None
    start = dep.window.start
    return start if ix.day_start <= start < horizon else None


def _soon(ix: PortfolioIndex, r: Release, start: dt.datetime) -> list[AttentionItem]:
    items = []
    day = fmt.day(start, ix.tz)
    missing = [e.name for e in lifecycle.CHECKLIST if lifecycle.required_before_handover(e) and not e.present(r)]
    if missing:
        items.append(
            AttentionItem(
                kind="handover",
                release=r,
                message=f"production {day}; the handover lacks {', '.join(missing).lower()}",
                href=urls.handover(r.id, urls.READINESS),
                when=start.isoformat(),
            )
        )
    requires = lambda env: env in ix.pf.env_by_name and ix.env(env).requires_sign_off
    for env, dep in lifecycle.missing_sign_offs(r, requires, ix.pf.production):
        got = "no sign-off" if dep.sign_off is None else f"a {dep.sign_off.result} sign-off"
        items.append(
            AttentionItem(
                kind="sign-off",
                release=r,
                message=f"production {day}; {ix.env(env).label} has {got}",
                href=urls.release(r.id, urls.WHEN),
                when=start.isoformat(),
            )
        )
    if lifecycle.cab_review_expected(r) and r.milestones.cab is None:
        why = "major release" if r.type == "major" else f"{r.risk}-risk release"
        items.append(
            AttentionItem(
                kind="cab",
                release=r,
                message=f"production {day}; a {why} with no CAB review",
                href=urls.release(r.id, urls.WHEN),
                when=start.isoformat(),
            )
        )
    for dep_id in r.depends_on:
        other = ix.pf.by_id.get(dep_id)
        theirs = other.environments.get(ix.pf.production) if other else None
        if other is not None and (theirs is None or theirs.status != "deployed"):
            state = fmt.label(theirs.status) if theirs else "not planned for production"
            items.append(
                AttentionItem(
                    kind="dependency",
                    release=r,
                    message=f"production {day}; depends on {dep_id}, which is {state} in production",
                    href=urls.release(r.id, urls.DETAILS),
                    when=start.isoformat(),
                )
            )
    return items


def _ending_support(ix: PortfolioIndex) -> list[AttentionItem]:
    """Versions live in production whose line's end of life falls within ``end_of_life_days``."""
    last = ix.today + dt.timedelta(days=ix.pf.config.attention.end_of_life_days)
    items = []
    for live in ix.live[ix.pf.production].values():
        status = release_support(ix, live.release)
        eol = status.line.phases.end_of_life if status else None
        if status is not None and eol is not None and ix.today < eol <= last:
            items.append(
                AttentionItem(
                    kind="end-of-life",
                    release=live.release,
                    message=f"{status.label} reaches its end of life on {fmt.day(eol)} "
                    f"(in {(eol - ix.today).days} days); {live.release.version} is live in {ix.production.label}",
                    href=urls.service(live.release.service, status.anchor),
                    when=eol.isoformat(),
                )
            )
    return items


def _clashes_and_freezes(ix: PortfolioIndex, found: Concerns) -> list[AttentionItem]:
    """Overlapping windows and windows inside a freeze, from today on: the portfolio-wide items."""
    items: list[AttentionItem] = []
    for c in found.clashes:
        if c.end > ix.day_start:
            env = ix.env(c.env).label if c.env in ix.pf.env_by_name else c.env
            items.append(
                AttentionItem(
                    kind="clash",
                    release=c.first,
                    message=f"{env} windows overlap from {fmt.when(c.start, ix.tz)}: "
                    f"{c.first.id} ({c.first.owner}) and {c.second.id} ({c.second.owner})",
                    href=urls.release(c.first.id, urls.WHEN),
                    when=c.start.isoformat(),
                    other=c.second,
                )
            )
    for slot, freeze in ix.freeze_hits:
        if slot.end > ix.day_start and slot.release.environments[slot.env].status in lifecycle.PENDING:
            kind = f"{freeze.kind} freeze '{freeze.name}'"
            items.append(
                AttentionItem(
                    kind="freeze",
                    release=slot.release,
                    message=f"the {slot.env} window ({fmt.day(slot.start, ix.tz)}) falls in the {kind}",
                    href=urls.release(slot.release.id, urls.WHEN),
                    when=slot.start.isoformat(),
                )
            )
    return items


_OF_ONE_RELEASE = frozenset({"handover", "sign-off", "cab", "dependency", "behind", "els"})
"""Kinds decided from one release and the production deployments of those it depends on."""


def attention_items(
    ix: PortfolioIndex, previous: tuple[list[AttentionItem], Collection[str]] | None = None
) -> list[AttentionItem]:
    """``previous``: the items of the portfolio this one was re-planned from, with the releases
    that changed (a live preview); only theirs, and those of the releases depending on them, are
    decided again. Items of one release sort among themselves as they were made, so the order is
    a full pass's."""
    horizon = ix.day_start + dt.timedelta(days=ix.pf.config.attention.horizon_days)
    found = concerns(ix)
    items: list[AttentionItem] = []
    if previous is None:
        for r in ix.pf.releases:
            items += _release_items(ix, r, horizon, found)
    else:
        before, changed = previous
        again = set(changed) | {d.id for rid in changed for d in ix.dependents.get(rid, [])}
        items = [i for i in before if i.kind in _OF_ONE_RELEASE and i.release.id not in again]
        for rid in sorted(again):
            items += _release_items(ix, ix.pf.by_id[rid], horizon, found)
    items += _ending_support(ix)
    items += _clashes_and_freezes(ix, found)
    order = {kind: i for i, (kind, _, _) in enumerate(KINDS)}
    return sorted(items, key=lambda i: (order[i.kind], i.when, i.release.id))


def _release_items(ix: PortfolioIndex, r: Release, horizon: dt.datetime, found: Concerns) -> list[AttentionItem]:
    if r.status == lifecycle.CANCELLED:
        return []
    items: list[AttentionItem] = []
    start = _heading_for_production(ix, r, horizon)
    if start is not None:
        items += _soon(ix, r, start)
    for env, dep in r.environments.items():
        late = found.overruns.get((r.id, env))
        if late is not None and dep.window is not None:
            items.append(
                AttentionItem(
                    kind="behind",
                    release=r,
                    message=f"the {ix.env(env).label if env in ix.pf.env_by_name else env} {late}",
                    href=urls.release(r.id, urls.WHEN),
                    when=dep.window.end.isoformat(),
                )
            )
    els = r.handover.early_life_support if r.handover else None
    if els is not None and els.until < ix.today and r.status in lifecycle.PRODUCTION_REACHED - {lifecycle.CLOSED}:
        items.append(
            AttentionItem(
                kind="els",
                release=r,
                message=f"early life support ended {fmt.day(els.until)}; the release is {fmt.label(r.status)}",
                href=urls.handover(r.id, urls.EARLY_LIFE_SUPPORT),
                when=els.until.isoformat(),
            )
        )
    return items
