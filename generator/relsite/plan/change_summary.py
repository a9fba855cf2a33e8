"""What a change does to the portal, short enough for a pull-request comment (`relsite diff`).

Both sides were validated with the same code; the portfolios are compared by release id and the
problems by rule and message. Pure: the command fetches the base side from git.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from relsite.problems import Problem, printable
from relsite.validate.checker import CheckResult
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules import fmt_time
from relsite.validate.support_phases import PHASES, phase_dates


@dataclass(kw_only=True)
class Change:
    added: list[Release] = field(default_factory=list)
    removed: list[Release] = field(default_factory=list)
    status: list[tuple[Release, str]] = field(default_factory=list)
    moved: list[tuple[Release, str, str]] = field(default_factory=list)
    new_problems: list[Problem] = field(default_factory=list)
    fixed_problems: int = 0
    support: list[tuple[str, str]] = field(default_factory=list)
    """(service and line, what changed): support lines added, removed or with phases moved."""


def _key(p: Problem, base: str) -> tuple[str, str, str]:
    return (p.file.rsplit("/", 1)[-1], p.rule, p.message.replace(base, ""))


def _delta(a: dt.datetime, b: dt.datetime) -> str:
    seconds = (b - a).total_seconds()
    sign = "+" if seconds > 0 else "-"
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours = rest / 3600
    parts = ([f"{int(days)} day{'s' if days != 1 else ''}"] if days else []) + ([f"{hours:g} h"] if hours else [])
    return sign + " ".join(parts)


def compare(old: CheckResult, new: CheckResult, old_base: str) -> Change:
    change = Change()
    old_pf: Portfolio | None = old.portfolio
    new_pf: Portfolio | None = new.portfolio
    before = {r.id: r for r in old_pf.releases} if old_pf else {}
    after = {r.id: r for r in new_pf.releases} if new_pf else {}
    change.added = [after[i] for i in sorted(after.keys() - before.keys())]
    change.removed = [before[i] for i in sorted(before.keys() - after.keys())]
    tz = new_pf.tz if new_pf else None
    for rid in sorted(after.keys() & before.keys()):
        a, b = before[rid], after[rid]
        if a.status != b.status:
            change.status.append((b, a.status))
        for env, dep in b.environments.items():
            prev = a.environments.get(env)
            if dep.window and prev and prev.window and dep.window.start != prev.window.start:
                start = dep.window.start.astimezone(tz) if tz else dep.window.start
                was = prev.window.start.astimezone(tz) if tz else prev.window.start
                change.moved.append((b, env, f"{fmt_time(was)} → {fmt_time(start)} ({_delta(was, start)})"))
            elif dep.window and prev and not prev.window:
                change.moved.append(
                    (b, env, f"scheduled for {fmt_time(dep.window.start.astimezone(tz) if tz else dep.window.start)}")
                )
    change.support = _support_changes(old_pf, new_pf)
    old_keys = {_key(p, old_base) for p in old.problems}
    new_keys = {_key(p, "") for p in new.problems}
    change.new_problems = [p for p in new.problems if _key(p, "") not in old_keys]
    change.fixed_problems = len(old_keys - new_keys)
    return change


def _lines(pf: Portfolio | None) -> dict[str, dict[str, str]]:
    """service and line -> phase -> first day, as text."""
    if pf is None:
        return {}
    return {
        f"{service.name} {line.version or ''}".strip(): {name: day.isoformat() for name, day in phase_dates(line)}
        for service in pf.services.values()
        for line in service.lines
    }


def _support_changes(old: Portfolio | None, new: Portfolio | None) -> list[tuple[str, str]]:
    before, after = _lines(old), _lines(new)
    out = []
    for key in sorted(after.keys() | before.keys()):
        a, b = before.get(key), after.get(key)
        if a is None:
            out.append((key, "new line: " + ", ".join(f"{name} from {day}" for name, day in (b or {}).items())))
        elif b is None:
            out.append((key, "line removed"))
        elif a != b:
            moved = [
                f"{name} {a.get(name, 'none')} → {b.get(name, 'none')}" for name in PHASES if a.get(name) != b.get(name)
            ]
            out.append((key, "; ".join(moved)))
    return out


def _release(r: Release, pf: Portfolio | None) -> str:
    prod = r.environments.get(pf.production) if pf else None
    when = f", production {fmt_time(prod.window.start.astimezone(pf.tz))}" if pf and prod and prod.window else ""
    return f"**{md_text(r.id)}** {md_text(r.title)} ({md_text(r.service)} {md_text(r.version)}, {r.type}{when})"


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"})
_INLINE = re.compile(r"([\\`*_\[\]~|])")
_SPACE = re.compile(r"\s+")


def md_text(text: str) -> str:
    """Contributor text made inert in a pull-request comment: on one line (no new heading, list or
    block), no HTML (no comment that hides the rest, no tag), no emphasis, link or table syntax, and
    no @mention that would notify people."""
    return _INLINE.sub(r"\\\1", printable(_SPACE.sub(" ", text).strip()).translate(_HTML))


def md_code(text: str) -> str:
    """A file name as inline code; backticks cannot close the span early."""
    return "`" + printable(_SPACE.sub(" ", text)).replace("`", "'") + "`"


def markdown(change: Change, new: CheckResult, ref: str, notes: list[str] | None = None) -> str:
    """The comment. ``ref`` and ``notes`` come from the command, every other text from contributors'
    files, so all of it passes through ``md_text``."""
    pf = new.portfolio
    lines = [f"### Release portal: changes against {md_code(ref)}", ""]
    errors = [p for p in change.new_problems if p.severity.value == "error"]
    warnings = [p for p in change.new_problems if p.severity.value == "warning"]
    if errors:
        lines += [f"**{len(errors)} new error{'s' if len(errors) != 1 else ''}** (the site will not build):", ""]
        lines += [f"- {md_code(f'{p.file}:{p.line}')} {md_text(p.message)}" for p in errors] + [""]
    if change.added:
        lines += (
            ["**New releases**", ""]
            + [f"- {_release(r, pf)}, status {r.status.replace('_', ' ')}" for r in change.added]
            + [""]
        )
    if change.removed:
        lines += (
            ["**Removed releases**", ""] + [f"- **{md_text(r.id)}** {md_text(r.title)}" for r in change.removed] + [""]
        )
    if change.status:
        lines += (
            ["**Status changes**", ""]
            + [
                f"- **{md_text(r.id)}** {md_text(r.title)}: {old.replace('_', ' ')} → {r.status.replace('_', ' ')}"
                for r, old in change.status
            ]
            + [""]
        )
    if change.moved:
        lines += (
            ["**Dates moved**", ""]
            + [f"- **{md_text(r.id)}** {md_text(env)}: {text}" for r, env, text in change.moved]
            + [""]
        )
    if change.support:
        lines += (
            ["**Support dates**", ""]
            + [f"- **{md_text(key)}**: {md_text(text)}" for key, text in change.support]
            + [""]
        )
    if warnings:
        lines += (
            ["**New conflicts and warnings**", ""]
            + [f"- {md_code(f'{p.file}:{p.line}')} {md_text(p.message)}" for p in warnings]
            + [""]
        )
    if change.fixed_problems:
        lines += [f"{change.fixed_problems} earlier problem{'s' if change.fixed_problems != 1 else ''} resolved.", ""]
    if len(lines) == 2:
        lines += ["No change to releases, dates or conflicts.", ""]
    for note in notes or []:
        lines += [f"Note: {md_text(note)}", ""]
    return "\n".join(lines).rstrip() + "\n"
