"""Rules for the change schedule: recurring freezes and change windows well formed, and deployment
windows inside the change windows of their environment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from relsite.load.reader import SourceMap
from relsite.problems import Problem
from relsite.validate import lifecycle
from relsite.validate.model_errors import did_you_mean
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules.registry import err, fmt_time, register, warn
from relsite.validate.schedule import (
    SEARCH_YEARS,
    allowed_spans,
    first_occurrence,
    naive_start,
    starts_between,
    wall_length,
)
from relsite.validate.schedule_models import Recurring
from relsite.validate.windows import slots_of


def _iso(value: dt.date | dt.datetime | None) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else str(value)


def _exdates(item: Recurring, src: SourceMap, path: tuple[str | int, ...], what: str) -> Iterator[Problem]:
    """Each exdate is of the start's kind (date or time) and names an occurrence the rrule has."""
    for i, ex in enumerate(item.exdate):
        if isinstance(ex, dt.datetime) and not isinstance(item.start, dt.datetime):
            yield err(src, (*path, "exdate", i), f"{what} is whole days: exclude an occurrence by its date, not a time")
            continue
        day = ex if isinstance(ex, dt.datetime) else dt.datetime(ex.year, ex.month, ex.day)
        hits = starts_between(
            item.model_copy(update={"exdate": []}),
            day,
            day + (dt.timedelta(0) if isinstance(ex, dt.datetime) else dt.timedelta(hours=23, minutes=59)),
        )
        if not hits:
            yield warn(
                src,
                (*path, "exdate", i),
                f"exdate {ex.isoformat()} of {what} excludes nothing: no occurrence starts then",
                f"occurrences start at {naive_start(item):%H:%M} on the days the rrule gives",
            )


def _shape(item: Recurring, src: SourceMap, path: tuple[str | int, ...], what: str, tz: dt.tzinfo) -> Iterator[Problem]:
    if item.end is None and item.duration is None:
        yield err(
            src,
            path,
            f"{what} needs an end or a duration",
            "add end: (a date or YYYY-MM-DDTHH:MM) or duration: (e.g. PT3H)",
            key=True,
        )
        return
    if item.end is not None and item.duration is not None:
        yield err(src, (*path, "duration"), f"{what} has both an end and a duration", "keep one of them")
        return
    if item.end is not None and isinstance(item.start, dt.datetime) != isinstance(item.end, dt.datetime):
        yield err(
            src,
            (*path, "end"),
            f"{what} starts with a {'time' if isinstance(item.start, dt.datetime) else 'date'} "
            f"but ends with a {'time' if isinstance(item.end, dt.datetime) else 'date'}",
            "write both as dates (whole days) or both as YYYY-MM-DDTHH:MM",
        )
        return
    if (
        item.duration is not None
        and not isinstance(item.start, dt.datetime)
        and wall_length(item) % dt.timedelta(days=1)
    ):
        yield err(
            src,
            (*path, "duration"),
            f"{what} starts on a whole day but lasts part of a day ({item.duration})",
            "start at a time (YYYY-MM-DDTHH:MM), or give whole days (P2D)",
        )
        return
    if wall_length(item) <= dt.timedelta(0):
        yield err(src, (*path, "end"), f"{what} ends ({_iso(item.end)}) before it starts ({_iso(item.start)})")
        return
    if first_occurrence(item, tz) is None:
        yield err(
            src,
            (*path, "rrule" if item.rrule else "start"),
            f"{what} never occurs in the {SEARCH_YEARS} years after {item.start}",
            "check BYMONTHDAY and BYMONTH (30 February does not exist) and the exdates",
        )
        return
    yield from _exdates(item, src, path, what)


@register("config", "config.schedule", "Freezes and change windows are well formed")
def _schedule_shape(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """Each freeze and change window has an end or a duration (not both), ends after it starts, uses dates or times
    throughout, occurs at least once, and excludes (`exdate`) only occurrences its `rrule` has."""
    for i, fr in enumerate(cfg.freezes):
        yield from _shape(fr, src, ("freezes", i), f"freeze '{fr.name}'", cfg.tz)
    for i, cw in enumerate(cfg.change_windows):
        yield from _shape(cw, src, ("change_windows", i), f"change window '{cw.name}'", cfg.tz)


def _known(
    src: SourceMap, path: tuple[str | int, ...], names: Sequence[str] | None, known: list[str], what: str, kind: str
) -> Iterator[Problem]:
    for j, name in enumerate(names or []):
        if name not in known:
            yield err(
                src,
                (*path, j),
                f"{what} names unknown {kind} '{name}'",
                did_you_mean(name, known) or "known: " + ", ".join(known),
            )


@register("config", "config.change-windows", "Change windows and break-glass name what exists")
def _scopes(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """Change windows name known environments; freezes name known services (when there is a catalog); a break-glass
    policy that asks for an approval lets through only emergency releases, the one type that names its approver;
    `argocd_applications` names known services."""
    envs = [e.name for e in cfg.environments]
    services = [s.name for s in cfg.services] if cfg.services is not None else None
    for i, cw in enumerate(cfg.change_windows):
        yield from _known(
            src,
            ("change_windows", i, "environments"),
            cw.environments,
            envs,
            f"change window '{cw.name}'",
            "environment",
        )
    for i, fr in enumerate(cfg.freezes):
        if services is not None:
            yield from _known(src, ("freezes", i, "services"), fr.services, services, f"freeze '{fr.name}'", "service")
        if fr.break_glass.approval:
            for j, kind in enumerate(fr.break_glass.types):
                if kind != lifecycle.EMERGENCY:
                    yield err(
                        src,
                        ("freezes", i, "break_glass", "types", j),
                        f"freeze '{fr.name}' lets {kind} releases through with an approval, but only emergency "
                        "releases name their approver",
                        "set break_glass.approval: false, or list only emergency",
                    )
    if services is not None:
        for name in cfg.argocd_applications:
            if name not in services:
                yield err(
                    src,
                    ("argocd_applications", name),
                    f"argocd_applications names unknown service '{name}'",
                    did_you_mean(name, services) or "known: " + ", ".join(services),
                    key=True,
                )


@register("release", "change-window", "Deployments inside change windows")
def _inside_change_windows(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A deployment window on an environment with change windows lies inside one of them; an error or a warning as the
    change windows' `enforce` says (error when any of them says error). Emergency releases are exempt."""
    if r.type == lifecycle.EMERGENCY:
        return
    for s in slots_of(r):
        spans = allowed_spans(pf.config, s.env, s.start, s.end)
        if spans is None or any(iv.start <= s.start and s.end <= iv.end for iv in spans):
            continue
        windows = [w for w in pf.config.change_windows if s.env in w.environments]
        names = ", ".join(f"'{w.name}'" for w in windows)
        msg = (
            f"the {s.env} window ({fmt_time(s.start)} to {fmt_time(s.end)}) is outside every change window of {s.env} "
            f"({names})"
        )
        hint = "move the window into a change window (see calendar/agenda), or make it an approved emergency release"
        path = ("environments", s.env, "window", "start")
        if any(w.enforce == "error" for w in windows):
            yield err(s.release.source, path, msg, hint)
        else:
            yield warn(s.release.source, path, msg, hint)
