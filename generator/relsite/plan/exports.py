"""The change schedule in other tools' formats: Argo CD sync windows and GitLab deploy freeze periods.

Pure functions from the expanded schedule. A simple endless rule (every Tuesday and Thursday at
20:00) becomes one repeating cron where that is exact over the next 12 months (Argo CD). Otherwise,
as cron holds no year, every occurrence in the next 12 months becomes a one-off cron (minute, hour,
day, month) that fires once in that year; an occurrence already under way starts at the export's
moment, and one running past the 12 months is cut there (each is said on stderr: re-export on a
schedule, as the guide shows). Times are written in the portfolio's zone, or in UTC for an
occurrence whose local start or end happens twice or not at all (clocks changing), which cron cannot
name. What a tool cannot express (a soft freeze in GitLab, break-glass that checks an approval) is
said on stderr, never widened or narrowed silently.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from relsite.validate.models import PortfolioConfig
from relsite.validate.recurrence import rrule_parts
from relsite.validate.schedule import (
    Interval,
    change_windows_for,
    exists_once,
    freezes_for,
    local,
    merged,
    naive_start,
    occurrences,
    year_after,
)
from relsite.validate.schedule_models import ChangeWindow, Freeze


@dataclass(kw_only=True)
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
        notes.append(
            f"{what}: the occurrence from {iv.start.isoformat()} is cut at {hi.isoformat()}, where this export's "
            "12 months end (cron holds no year); re-export before then"
        )
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
        notes.append(
            f"freeze {fr.name!r}: services {', '.join(unmapped)} have no Argo CD application in argocd_applications; "
            'the window applies to every application ("*"), wider than the freeze'
        )
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
            notes.append(
                f"freeze {fr.name!r}: break-glass ({', '.join(fr.break_glass.types)}) becomes manualSync: true; Argo "
                "CD lets anyone with sync rights sync by hand and cannot check the release type or its approval (gate "
                "the manual sync with `relsite gate`)"
            )
        entries += _windows("deny", fr, tz, lo, hi, apps, manual, notes)
    windows = change_windows_for(cfg, env)
    if windows:
        notes.append(
            f'change windows of {env} become allow windows for every application ("*"): apply them to the AppProject '
            f"that deploys {env}"
        )
    for cw in windows:
        entries += _windows("allow", cw, tz, lo, hi, ["*"], False, notes)
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
    return Export(text="\n".join(lines) + "\n", notes=notes)


CRON_DAYS = {"MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 0}


def compact(
    item: Freeze | ChangeWindow, tz: dt.tzinfo, lo: dt.datetime, hi: dt.datetime
) -> tuple[str, str, dt.timedelta] | None:
    """One cron for every occurrence, when that is exact: an endless DAILY, WEEKLY (plain BYDAY) or
    MONTHLY (BYMONTHDAY) rule that started before the export, with no EXDATE still ahead, whose
    occurrences over the 12 months all start at one wall-clock time that happens once and last the
    same absolute time. Checked against the expansion itself, day by day, so a rule that only looks
    simple (a clock change inside a window) falls back to one-off crons. Beyond the 12 months the
    same wall-clock times recur, so the cron stays right after them too."""
    parts = rrule_parts(item.rrule) if item.rrule else {}
    start = naive_start(item)
    if (
        not parts
        or set(parts) - {"FREQ", "BYDAY", "BYMONTHDAY", "WKST"}
        or start > lo.astimezone(tz).replace(tzinfo=None)
    ):
        return None
    if any((e if isinstance(e, dt.datetime) else dt.datetime(e.year, e.month, e.day)) >= start for e in item.exdate):
        return None
    freq, days, monthdays = parts["FREQ"], parts.get("BYDAY", ""), parts.get("BYMONTHDAY", "")
    matches: Callable[[dt.date], bool]
    if freq == "DAILY" and not days and not monthdays:
        fields, matches = "* * *", lambda d: True
    elif freq == "WEEKLY" and not monthdays and all(x in CRON_DAYS for x in days.split(",") if days):
        wanted = {CRON_DAYS[x] for x in days.split(",")} if days else {(start.weekday() + 1) % 7}
        fields, matches = f"* * {','.join(str(x) for x in sorted(wanted))}", lambda d: (d.weekday() + 1) % 7 in wanted
    elif (
        freq == "MONTHLY"
        and not days
        and monthdays
        and all(x.isdigit() and 1 <= int(x) <= 28 for x in monthdays.split(","))
    ):
        dom = {int(x) for x in monthdays.split(",")}
        fields, matches = f"{','.join(str(x) for x in sorted(dom))} * *", lambda d: d.day in dom
    else:
        return None
    spans = occurrences(item, tz, lo, hi)
    lengths = {iv.end - iv.start for iv in spans}
    if len(lengths) != 1 or not all(exists_once(iv.start.astimezone(tz).replace(tzinfo=None), tz) for iv in spans):
        return None
    if any(iv.start.astimezone(tz).time() != start.time() for iv in spans):
        return None
    got = [iv.start.astimezone(tz).date() for iv in spans]
    first, last = got[0] if got else lo.astimezone(tz).date(), hi.astimezone(tz).date()
    days_between = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    expected = [d for d in days_between if matches(d) and local(dt.datetime.combine(d, start.time()), tz) < hi]
    if got != expected:
        return None
    return f"{start.minute} {start.hour} {fields}", getattr(tz, "key", "UTC"), lengths.pop()


def _label(item: Freeze | ChangeWindow) -> str:
    if isinstance(item, Freeze):
        return f"relsite freeze: {item.name}" + (f" ({item.ticket})" if item.ticket else "")
    return f"relsite change window: {item.name}"


def _windows(
    kind: str,
    item: Freeze | ChangeWindow,
    tz: dt.tzinfo,
    lo: dt.datetime,
    hi: dt.datetime,
    apps: list[str],
    manual: bool,
    notes: list[str],
) -> list[dict[str, Any]]:
    """One entry with a repeating cron where that is exact, else one one-off entry per occurrence."""
    one = compact(item, tz, lo, hi)
    if one is not None:
        schedule, zone, length = one
        return [
            {
                "_start": lo,
                "kind": kind,
                "schedule": schedule,
                "duration": go_duration(length),
                "timeZone": zone,
                "applications": apps,
                "manualSync": manual,
                "description": _label(item),
            }
        ]
    what = f"{'freeze' if isinstance(item, Freeze) else 'change window'} {item.name!r}"
    return [
        _window(kind, _clip(iv, lo, hi, what, notes), tz, apps, manual, _label(item))
        for iv in occurrences(item, tz, lo, hi)
    ]


def _window(kind: str, iv: Interval, tz: dt.tzinfo, apps: list[str], manual: bool, label: str) -> dict[str, Any]:
    schedule, zone = cron(iv.start, tz)
    return {
        "_start": iv.start,
        "kind": kind,
        "schedule": schedule,
        "duration": go_duration(iv.end - iv.start),
        "timeZone": zone,
        "applications": apps,
        "manualSync": manual,
        "description": label,
    }


def _denied(cfg: PortfolioConfig, env: str, lo: dt.datetime, hi: dt.datetime, notes: list[str]) -> list[Interval]:
    """When deployments to ``env`` are frozen in [lo, hi): hard freezes, and the time outside its change windows."""
    spans = []
    for fr in freezes_for(cfg, env):
        if fr.kind == "soft":
            notes.append(f"freeze {fr.name!r} is soft: GitLab freeze periods have no soft kind, so it is not exported")
            continue
        if fr.services is not None:
            notes.append(
                f"freeze {fr.name!r} applies to services {', '.join(fr.services)}; a GitLab freeze period applies to "
                "the whole project: export it to the projects of those services only"
            )
        if fr.break_glass.types:
            notes.append(
                f"freeze {fr.name!r}: GitLab has no break-glass; $CI_DEPLOY_FREEZE is set for every pipeline, so let "
                "approved emergency jobs through with a rule on `relsite gate` (see the guide)"
            )
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
            notes.append(
                f"{env} has no change window from {cursor.isoformat()} to the end of this export "
                f"({hi.isoformat()}): exported as frozen until then; re-export before it ends"
            )
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
    return Export(text=json.dumps(periods, indent=2) + "\n", notes=notes)


EXPORTS = {"argocd-sync-windows": argocd_sync_windows, "gitlab-freeze-periods": gitlab_freeze_periods}
