"""Lookups the page builders share, derived once per build from (Portfolio, today).

Each is computed in one or two passes over the releases and then looked up, so that no page costs
a scan of the whole portfolio (the quadratic trap named in the architecture). Only the page
builders in ``plan.pages`` read this; templates never see it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from relsite.validate import lifecycle
from relsite.validate.models import Deployment, EnvironmentDef, Release, ServiceDef
from relsite.validate.portfolio import Portfolio
from relsite.validate.schedule_models import Freeze
from relsite.validate.support_phases import track_of, version_key
from relsite.validate.windows import Overlap, WindowSlot, freeze_hits, overlaps

ReleaseGroup = Literal["in_progress", "upcoming", "later", "recent", "older"]
"""The sections of the releases index, in the order it shows them."""
RELEASE_GROUPS: tuple[ReleaseGroup, ...] = get_args(ReleaseGroup)
RECENT_DAYS = 90
UPCOMING_DAYS = 90
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)
_NEAR = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, kw_only=True)
class Slot:
    """One release on one environment, as the schedule shows it."""

    release: Release
    env: str
    dep: Deployment
    start: dt.datetime | None = field(init=False, compare=False, repr=False)
    """The window's start, or when it was deployed: read millions of times per plan, so kept."""
    end: dt.datetime | None = field(init=False, compare=False, repr=False)
    shown: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What pages made of it (view_parts.slot_row): a re-planned index keeps the slots of the
    releases an edit did not change (index_revise), so their rows are made once."""

    def __post_init__(self) -> None:
        window = self.dep.window
        object.__setattr__(self, "start", window.start if window else self.dep.deployed_at)
        object.__setattr__(self, "end", window.end if window else self.dep.deployed_at)


Track = tuple[str, str]
"""(service, line prefix): what is live side by side. A service without lines is one track ("")."""


@dataclass(frozen=True, kw_only=True)
class Live:
    """The release deployed most recently on an environment for a service, and since when."""

    release: Release
    since: dt.datetime
    shown: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)
    """What pages made of it (view_parts.live_cell), by (environment, long): a live preview's index
    keeps the Live of every line an edit did not touch (index_revise), so its cells are made once."""


class PortfolioIndex:
    def __init__(self, pf: Portfolio, today: dt.date) -> None:
        self.pf = pf
        self.today = today
        self.tz: ZoneInfo = pf.tz
        self.day_start = pf.day_start(today)
        self.now = pf.day_start(today + dt.timedelta(days=1))
        """End of the build day: what happened "today" counts as happened."""

    # --- names ------------------------------------------------------------------------------

    def env(self, name: str) -> EnvironmentDef:
        return self.pf.env_by_name[name]

    def service(self, name: str) -> ServiceDef:
        return self.pf.services.get(name) or ServiceDef(name=name)

    @property
    def production(self) -> EnvironmentDef:
        return self.pf.env_by_name[self.pf.production]

    # --- dates ------------------------------------------------------------------------------

    def prod_start(self, r: Release) -> dt.datetime | None:
        """When the release reached, or is to reach, production."""
        dep = r.environments.get(self.pf.production)
        return lifecycle.deployment_time(dep) if dep is not None else None

    def last_activity(self, r: Release) -> dt.datetime | None:
        times = [
            t
            for dep in r.environments.values()
            for t in (dep.deployed_at, dep.window.start if dep.window else None)
            if t
        ]
        return max(times) if times else None

    def when(self, r: Release) -> dt.datetime | None:
        """The date a release is filed under: production, else its latest activity."""
        return self.prod_start(r) or self.last_activity(r)

    # --- grouping ---------------------------------------------------------------------------

    def group(self, r: Release) -> ReleaseGroup:
        """in_progress, upcoming, later, recent or older: the index's sections."""
        when = self.when(r)
        if r.status in lifecycle.IN_PROGRESS or any(d.status == "in_progress" for d in r.environments.values()):
            return "in_progress"
        if r.status in lifecycle.WAITING:
            if when is None or when < self.day_start + dt.timedelta(days=UPCOMING_DAYS):
                return "upcoming"
            return "later"
        if when is not None and when >= self.day_start - dt.timedelta(days=RECENT_DAYS):
            return "recent"
        return "older"

    @cached_property
    def groups(self) -> dict[ReleaseGroup, list[Release]]:
        out: dict[ReleaseGroup, list[Release]] = {group: [] for group in RELEASE_GROUPS}
        for r in self.pf.releases:
            out[self.group(r)].append(r)
        for ahead in ("in_progress", "upcoming", "later"):
            out[ahead].sort(key=self.ahead_key)
        for behind in ("recent", "older"):
            out[behind].sort(key=self.when_key, reverse=True)
        return out

    def ahead_key(self, r: Release) -> tuple[dt.datetime, str]:
        """How the sections still ahead order their releases: by production start (none last), then id."""
        return self.prod_start(r) or _FAR, r.id

    def when_key(self, r: Release) -> tuple[dt.datetime, str]:
        """How archives, services and lines order their releases: by ``when``, then id."""
        return self.when(r) or _NEAR, r.id

    def year_of(self, r: Release) -> int | None:
        when = self.when(r)
        return when.astimezone(self.tz).year if when else None

    @cached_property
    def by_year(self) -> dict[int | None, list[Release]]:
        out: dict[int | None, list[Release]] = defaultdict(list)
        for r in self.pf.releases:
            out[self.year_of(r)].append(r)
        for rs in out.values():
            rs.sort(key=self.when_key)
        return dict(out)

    @cached_property
    def by_service(self) -> dict[str, list[Release]]:
        out: dict[str, list[Release]] = defaultdict(list)
        for r in self.pf.releases:
            out[r.service].append(r)
        for rs in out.values():
            rs.sort(key=self.when_key, reverse=True)
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
        """Every release on every environment that has a time, ordered by ``slot_key``."""
        out = [s for r in self.pf.releases for s in self.release_slots(r)]
        out.sort(key=self.slot_key)
        return out

    def release_slots(self, r: Release) -> list[Slot]:
        """The release's slots: its environments with a window or a deployment time."""
        return [
            Slot(release=r, env=env, dep=dep)
            for env, dep in r.environments.items()
            if (dep.window or dep.deployed_at) and env in self.pf.env_index
        ]

    def slot_key(self, s: Slot) -> tuple[dt.datetime | None, int, str]:
        """Where a slot stands in ``slots``: by start, then environment in promotion order, then release."""
        return s.start, self.pf.env_index[s.env], s.release.id

    @cached_property
    def slots_by_env(self) -> dict[str, list[Slot]]:
        out: dict[str, list[Slot]] = {env.name: [] for env in self.pf.environments}
        for s in self.slots:
            out[s.env].append(s)
        return out

    @cached_property
    def overlaps(self) -> list[Overlap]:
        """Windows overlapping on one environment (validate's sweep), once per index: the attention
        list and the calendar both read them."""
        return list(overlaps(self.pf))

    @cached_property
    def freeze_hits(self) -> list[tuple[WindowSlot, Freeze]]:
        """Windows that fall in a freeze (validate's check), once per index."""
        return list(freeze_hits(self.pf))

    def upcoming_slots(self, env: str | None = None, days: int | None = None) -> list[Slot]:
        """Deployments still to happen or happening, from today on (within ``days`` when given)."""
        pool = self.slots if env is None else self.slots_by_env.get(env, [])
        horizon = self.day_start + dt.timedelta(days=days) if days else None
        return [
            s
            for s in pool[_first_from(pool, self.day_start) : _first_from(pool, horizon) if horizon else None]
            if s.dep.status in lifecycle.PENDING and s.release.status != lifecycle.CANCELLED
        ]

    def recent_slots(self, env: str, days: int) -> list[Slot]:
        since = self.day_start - dt.timedelta(days=days)
        pool = self.slots_by_env.get(env, [])
        out = [
            s
            for s in pool[_first_from(pool, since) : _first_from(pool, self.day_start)]
            if s.dep.status != "not_planned"
        ]
        return list(reversed(out))

    @cached_property
    def in_progress_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.dep.status == "in_progress"]

    # --- what is live -----------------------------------------------------------------------

    @cached_property
    def live(self) -> dict[str, dict[Track, Live]]:
        """environment -> track -> the release deployed there most recently (as of today). Each
        support line of a service is live side by side (3.12.8 and 3.13.2 are both current)."""
        out: dict[str, dict[Track, Live]] = {env.name: {} for env in self.pf.environments}
        for r in self.pf.releases:
            track = self.track(r)
            for env, dep in r.environments.items():
                if env in out and lifecycle.is_live(dep, self.now):
                    assert dep.deployed_at is not None
                    cur = out[env].get(track)
                    if cur is None or (dep.deployed_at, r.id) > (cur.since, cur.release.id):
                        out[env][track] = Live(release=r, since=dep.deployed_at)
        return {env: newest_lines_first(tracks) for env, tracks in out.items()}

    def live_among(self, releases: list[Release], env: str) -> Live | None:
        """What ``live`` holds for the track of ``releases`` (all of them on it) on ``env``: the same
        choice, made over one track (a re-plan's index makes the tracks an edit touched again)."""
        found: Live | None = None
        for r in releases:
            dep = r.environments.get(env)
            if dep is not None and lifecycle.is_live(dep, self.now):
                assert dep.deployed_at is not None
                if found is None or (dep.deployed_at, r.id) > (found.since, found.release.id):
                    found = Live(release=r, since=dep.deployed_at)
        return found

    @cached_property
    def _live_by_service(self) -> dict[str, dict[str, list[Track]]]:
        out: dict[str, dict[str, list[Track]]] = {}
        for env, tracks in self.live.items():
            per: dict[str, list[Track]] = defaultdict(list)
            for track in tracks:
                per[track[0]].append(track)
            out[env] = dict(per)
        return out

    def live_tracks(self, env: str, service: str) -> list[Track]:
        """The lines of ``service`` with something live on ``env``, newest first."""
        return self._live_by_service[env].get(service, [])

    def tracks_live_anywhere(self, service: str) -> list[Track]:
        return list(self._tracks_anywhere.get(service, ()))

    @cached_property
    def _tracks_anywhere(self) -> dict[str, list[Track]]:
        """Service -> the lines live on any environment, newest first: once per index, not per ask."""
        found: dict[str, set[Track]] = defaultdict(set)
        for env in self.pf.environments:
            for service, tracks in self._live_by_service[env.name].items():
                found[service].update(tracks)
        return {s: sorted(ts, key=_newest_line, reverse=True) for s, ts in found.items()}

    # --- support lines ----------------------------------------------------------------------

    def track(self, r: Release) -> Track:
        return track_of(self.pf, r)

    @cached_property
    def by_track(self) -> dict[Track, list[Release]]:
        """Releases of each line, newest first. Only looked up, never listed: a re-planned index adds
        a new line's key last, where a fresh one has it where its first release is."""
        out: dict[Track, list[Release]] = defaultdict(list)
        for r in self.pf.releases:
            out[self.track(r)].append(r)
        for rs in out.values():
            rs.sort(key=self.when_key, reverse=True)
        return dict(out)


def _newest_line(track: Track) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """A line's place among its service's, newest first when reversed; the prefix itself decides
    between prefixes that read as one version ("3.12", "3-12"), so no order comes from the input's."""
    return version_key(track[1]), track[1]


def newest_lines_first(tracks: dict[Track, Live]) -> dict[Track, Live]:
    """Services by name, each service's lines newest version first."""
    ordered = sorted(tracks.items(), key=lambda kv: _newest_line(kv[0]), reverse=True)
    ordered.sort(key=lambda kv: kv[0][0])
    return dict(ordered)


def _first_from(ordered: list[Slot], when: dt.datetime) -> int:
    """Where the slots (ordered by start, every one with a start) that start at ``when`` or later begin."""
    return bisect_left(ordered, when, key=lambda s: s.start or _NEAR)
