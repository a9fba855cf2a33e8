"""The change schedule in other tools' formats: Argo CD sync windows and GitLab deploy freeze periods.

Pure functions from the expanded schedule. Cron holds no year, so every occurrence in the next 12
months becomes a one-off cron (minute, hour, day, month) that fires once in that year; an
occurrence already under way starts at the export's moment, and one running past the 12 months is
cut there (each is said on stderr: re-export on a schedule, as the guide shows). Times are written
in the portfolio's zone, or in UTC for an occurrence whose local start or end happens twice or not
at all (clocks changing), which cron cannot name. What a tool cannot express (a soft freeze in
GitLab, break-glass that checks an approval) is said on stderr, never widened or narrowed silently.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from relsite.validate.models import ChangeWindow, Freeze, PortfolioConfig
from relsite.validate.schedule import (
    Interval,
    change_windows_for,
    exists_once,
    freezes_for,
    merged,
    occurrences,
    year_after,
)


@dataclass
class Export:
    text: str
    """What goes to stdout, ready to apply."""
    notes: list[str] = field(default_factory=list)
    """What could not be expressed exactly, and how it was written instead (for stderr)."""


def span(since: dt.datetime, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[since floored to the minute, a year later): the export's horizon."""
    start = since.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return start, year_after(start, tz)


def _clip(iv: Interval, lo: dt.datetime, hi: dt.datetime, what: str, notes: list[str]) -> Interval:
    end = iv.end
    if end > hi:
        notes.append(f"{what}: the occurrence from {iv.start.isoformat()} is cut at {hi.isoformat()}, where this export's "
                     "12 months end (cron holds no year); re-export before then")
        end = hi
    return Interval(max(iv.start, lo), end)


def cron(moment: dt.datetime, tz: dt.tzinfo) -> tuple[str, str]:
    """A one-off cron (fires once a year) for ``moment``, and the zone it is written in."""
    wall = moment.astimezone(tz).replace(tzinfo=None)
    zone = getattr(tz, "key", "UTC")
    if not exists_once(wall, tz):
        wall, zone = moment.astimezone(dt.UTC).replace(tzinfo=None), "UTC"
    return f"{wall.minute} {wall.hour} {wall.day} {wall.month} *", zone


def go_duration(length: dt.timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


def _yaml_scalar(value: Any) -> str:
    """Every value as JSON (which is YAML): data stays one quoted, escaped token on its own key's line."""
    return json.dumps(value, ensure_ascii=False)


def _applications(fr: Freeze, cfg: PortfolioConfig, notes: list[str]) -> list[str]:
    if fr.services is None:
        return ["*"]
    apps, unmapped = [], []
    for s in fr.services:
        mapped = cfg.argocd_applications.get(s)
        if mapped:
            apps += mapped
        else:
            unmapped.append(s)
    if unmapped:
        notes.append(f"freeze {fr.name!r}: services {', '.join(unmapped)} have no Argo CD application in argocd_applications; "
                     "the window applies to every application (\"*\"), wider than the freeze")
        return ["*"]
    return sorted(set(apps))


def argocd_sync_windows(cfg: PortfolioConfig, env: str, since: dt.datetime) -> Export:
    """A YAML list of AppProject ``spec.syncWindows`` entries for ``env``: deny for each freeze
    occurrence, allow for each change window occurrence (Argo CD then allows syncs only inside
    an allow window, and deny wins where both are active)."""
    tz = cfg.tz
    lo, hi = span(since, tz)
    notes: list[str] = []
    entries: list[dict[str, Any]] = []
    for fr in freezes_for(cfg, env):
        apps = _applications(fr, cfg, notes)
        manual = bool(fr.break_glass.types) or fr.kind == "soft"
        if fr.kind == "soft":
            notes.append(f"freeze {fr.name!r} is soft: exported as a deny window that allows manual syncs")
        elif manual:
            notes.append(f"freeze {fr.name!r}: break-glass ({', '.join(fr.break_glass.types)}) becomes manualSync: true; Argo CD "
                         "lets anyone with sync rights sync by hand and cannot check the release type or its approval "
                         "(gate the manual sync with `relsite gate`)")
        for iv in occurrences(fr, tz, lo, hi):
            entries.append(_window("deny", _clip(iv, lo, hi, f"freeze {fr.name!r}", notes), tz, apps, manual, _label(fr)))
    windows = change_windows_for(cfg, env)
    if windows:
        notes.append(f"change windows of {env} become allow windows for every application (\"*\"): apply them to the AppProject "
                     f"that deploys {env}")
    for cw in windows:
        for iv in occurrences(cw, tz, lo, hi):
            entries.append(_window("allow", _clip(iv, lo, hi, f"change window {cw.name!r}", notes), tz, ["*"], False, _label(cw)))
    entries.sort(key=lambda e: (e["_start"], e["kind"]))
    lines = [] if entries else ["[]"]
    for e in entries:
        lines.append(f"- kind: {_yaml_scalar(e['kind'])}")
        for key in ("schedule", "duration", "timeZone"):
            lines.append(f"  {key}: {_yaml_scalar(e[key])}")
        lines.append("  applications:")
        lines += [f"    - {_yaml_scalar(a)}" for a in e["applications"]]
        lines.append(f"  manualSync: {'true' if e['manualSync'] else 'false'}")
        lines.append(f"  description: {_yaml_scalar(e['description'])}")
    return Export("\n".join(lines) + "\n", notes)


def _label(item: Freeze | ChangeWindow) -> str:
    if isinstance(item, Freeze):
        return f"relsite freeze: {item.name}" + (f" ({item.ticket})" if item.ticket else "")
    return f"relsite change window: {item.name}"


def _window(kind: str, iv: Interval, tz: dt.tzinfo, apps: list[str], manual: bool, label: str) -> dict[str, Any]:
    schedule, zone = cron(iv.start, tz)
    return {"_start": iv.start, "kind": kind, "schedule": schedule, "duration": go_duration(iv.end - iv.start), "timeZone": zone,
            "applications": apps, "manualSync": manual, "description": label}


def _denied(cfg: PortfolioConfig, env: str, lo: dt.datetime, hi: dt.datetime, notes: list[str]) -> list[Interval]:
    """When deployments to ``env`` are frozen in [lo, hi): hard freezes, and the time outside its change windows."""
    spans = []
    for fr in freezes_for(cfg, env):
        if fr.kind == "soft":
            notes.append(f"freeze {fr.name!r} is soft: GitLab freeze periods have no soft kind, so it is not exported")
            continue
        if fr.services is not None:
            notes.append(f"freeze {fr.name!r} applies to services {', '.join(fr.services)}; a GitLab freeze period applies to the "
                         "whole project: export it to the projects of those services only")
        if fr.break_glass.types:
            notes.append(f"freeze {fr.name!r}: GitLab has no break-glass; $CI_DEPLOY_FREEZE is set for every pipeline, so let "
                         "approved emergency jobs through with a rule on `relsite gate` (see the guide)")
        spans += [_clip(iv, lo, hi, f"freeze {fr.name!r}", notes) for iv in occurrences(fr, cfg.tz, lo, hi)]
    windows = change_windows_for(cfg, env)
    if windows:
        allowed = merged(iv for w in windows for iv in occurrences(w, cfg.tz, lo, hi))
        cursor = lo
        for iv in allowed:
            if iv.start > cursor:
                spans.append(Interval(cursor, iv.start))
            cursor = max(cursor, iv.end)
        if cursor < hi:
            spans.append(Interval(cursor, hi))
            notes.append(f"{env} has no change window from {cursor.isoformat()} to the end of this export "
                         f"({hi.isoformat()}): exported as frozen until then; re-export before it ends")
    return merged(spans)


def gitlab_freeze_periods(cfg: PortfolioConfig, env: str, since: dt.datetime) -> Export:
    """A JSON list of freeze periods (the body of POST /projects/:id/freeze_periods, one each) for
    ``env``: hard freezes, and the gaps between its change windows; overlapping periods joined."""
    tz = cfg.tz
    lo, hi = span(since, tz)
    notes: list[str] = []
    periods = []
    for iv in _denied(cfg, env, lo, hi, notes):
        start, zone = cron(iv.start, tz)
        end, end_zone = cron(iv.end, tz)
        if end_zone != zone:  # one period has one zone
            start, zone = cron(iv.start, dt.UTC)
            end, end_zone = cron(iv.end, dt.UTC)
        periods.append({"freeze_start": start, "freeze_end": end, "cron_timezone": zone})
    return Export(json.dumps(periods, indent=2) + "\n", notes)


EXPORTS = {"argocd-sync-windows": argocd_sync_windows, "gitlab-freeze-periods": gitlab_freeze_periods}
