"""A release's notes as other tools read them: Markdown, GitHub and GitLab release payloads, Keep a
Changelog 1.1.0. Pure functions from the portfolio and the imported notes to text.

Everything that comes from data is escaped on the way out: raw HTML and entities stay text
(``\\<``, ``\\&``), no line starts with what a CI runner reads as a workflow command (``::``, ``##[``,
``##vso[``), and control characters become visible escapes (``problems.printable``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from relsite.load.notes.items import ImportedNotes, NoteItem
from relsite.plan.technical import technical_view
from relsite.problems import printable
from relsite.validate.lifecycle import PRODUCTION_REACHED, deployment_time
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio

FORMATS = ("markdown", "github-release", "gitlab-release", "keepachangelog")
MARKER = "<!-- relsite: generated from the release files; edit those, not this file -->"
"""The line that says relsite wrote a changelog file (and may replace it)."""
_HTML = re.compile(r"([<>&])")
_COMMAND = re.compile(r"^(\s*)(::|##\[|##vso\[|\[command\])", re.IGNORECASE)


def text(value: str) -> str:
    """Markdown from data, kept as Markdown but never as HTML, a command line or a control character."""
    lines = []
    for line in value.replace("\r\n", "\n").split("\n"):
        line = _HTML.sub(r"\\\1", printable(line))
        lines.append(_COMMAND.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    return "\n".join(lines)


def one_line(value: str) -> str:
    return " ".join(text(value).split())


def _source(item: NoteItem) -> str:
    if not item.ref:
        return ""
    ref = one_line(item.ref).replace("[", "\\[").replace("]", "\\]")
    return f" ([{ref}]({item.url}))" if item.url.startswith(("https://", "http://")) else f" ({ref})"


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {text(t).replace(chr(10), chr(10) + '  ')}" for t in items]


def tag_of(pf: Portfolio, r: Release) -> str:
    service = pf.services.get(r.service)
    pattern = service.notes.tag if service and service.notes else "v{version}"
    return pattern.format(version=r.version, service=r.service)


def release_markdown(pf: Portfolio, r: Release, notes: ImportedNotes | None) -> str:
    """The layers in order: summary and curated notes, operations' actions, technical changes."""
    out = [text(r.summary).strip(), ""]
    for title, entries in (
        ("Highlights", r.notes.highlights),
        ("Breaking changes", r.notes.breaking),
        ("Action required", r.notes.actions_required),
        ("New features", r.notes.features),
        ("Fixes", r.notes.fixes),
        ("Known issues", [k.summary for k in r.notes.known_issues]),
    ):
        if entries:
            out += [f"## {title}", "", *_bullets(entries), ""]
    items = notes.by_release.get(r.id, []) if notes else []
    if items:
        out += ["## Technical changes", ""]
        view = technical_view(items)
        by_key = {(i.section, i.text, i.ref): i for i in items}
        for section in view.sections:
            out += [f"### {one_line(section.heading)}", ""]
            for entry in section.items:
                item = by_key[(section.heading, entry.text, entry.source)]
                out.append(f"- {text(entry.text).replace(chr(10), chr(10) + '  ')}{_source(item)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def github_payload(pf: Portfolio, r: Release, notes: ImportedNotes | None) -> str:
    """The body of ``POST /repos/{owner}/{repo}/releases``."""
    payload = {
        "tag_name": tag_of(pf, r),
        "name": f"{r.title} {r.version}",
        "body": release_markdown(pf, r, notes),
        "draft": r.status == "draft",
        "prerelease": r.status not in PRODUCTION_REACHED,
    }
    return json.dumps(payload, indent=2, ensure_ascii=True) + "\n"


def gitlab_payload(pf: Portfolio, r: Release, notes: ImportedNotes | None) -> str:
    """The body of ``POST /projects/:id/releases``."""
    payload = {
        "tag_name": tag_of(pf, r),
        "name": f"{r.title} {r.version}",
        "description": release_markdown(pf, r, notes),
    }
    return json.dumps(payload, indent=2, ensure_ascii=True) + "\n"


# --- Keep a Changelog -------------------------------------------------------------------------------

CATEGORIES = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
_CATEGORY_OF = {
    "feature": "Added",
    "feat": "Added",
    "features": "Added",
    "minor": "Added",
    "bugfix": "Fixed",
    "fix": "Fixed",
    "fixes": "Fixed",
    "patch": "Fixed",
    "removal": "Removed",
    "deprecations": "Deprecated",
    "security": "Security",
}


@dataclass(frozen=True, kw_only=True)
class Entry:
    category: str
    line: str


def _entries(r: Release | None, items: list[NoteItem]) -> list[Entry]:
    found: list[Entry] = []
    if r is not None:
        found += [Entry(category="Changed", line=f"**Breaking:** {one_line(t)}") for t in r.notes.breaking]
        found += [Entry(category="Added", line=one_line(t)) for t in r.notes.features]
        found += [Entry(category="Fixed", line=one_line(t)) for t in r.notes.fixes]
    seen = set()
    for item in items:
        line = ("**Breaking:** " if item.kind == "breaking" else "") + one_line(item.text) + _source(item)
        if line not in seen:
            seen.add(line)
            found.append(Entry(category=_CATEGORY_OF.get(item.kind, "Changed"), line=line))
    return found


def _section(heading: str, entries: list[Entry]) -> list[str]:
    out = [heading, ""]
    for category in CATEGORIES:
        lines = [e.line for e in entries if e.category == category]
        if lines:
            out += [f"### {category}", "", *(f"- {line}" for line in lines), ""]
    return out


def release_changelog(pf: Portfolio, r: Release, notes: ImportedNotes | None) -> str:
    """One release as a Keep a Changelog section."""
    return (
        "\n".join(_section(_heading(pf, r), _entries(r, notes.by_release.get(r.id, []) if notes else []))).rstrip()
        + "\n"
    )


def _released_on(pf: Portfolio, r: Release) -> str:
    dep = r.environments.get(pf.production)
    when = deployment_time(dep) if dep else None
    return pf.local(when).date().isoformat() if when else ""


def _heading(pf: Portfolio, r: Release) -> str:
    day = _released_on(pf, r)
    return f"## [{one_line(r.version)}]" + (f" - {day}" if day and r.status in PRODUCTION_REACHED else "")


def changelog(pf: Portfolio, service: str, notes: ImportedNotes | None) -> str:
    """A Keep a Changelog 1.1.0 file for ``service``: its Unreleased draft, then every release that
    reached production, newest first."""
    released = sorted(
        (r for r in pf.releases if r.service == service and r.status in PRODUCTION_REACHED),
        key=lambda r: (_released_on(pf, r), r.id),
        reverse=True,
    )
    out = [
        "# Changelog",
        "",
        MARKER,
        "",
        "All notable changes to this service are documented in this file.",
        "",
        "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).",
        "",
    ]
    out += _section("## [Unreleased]", _entries(None, notes.drafts.get(service, []) if notes else []))
    for r in released:
        out += _section(_heading(pf, r), _entries(r, notes.by_release.get(r.id, []) if notes else []))
    settings = pf.services[service].notes if service in pf.services else None
    base = (settings.url or "").rstrip("/") if settings else ""
    if base and "github.com" in base:
        tags = [tag_of(pf, r) for r in released]
        links = [f"[unreleased]: {base}/compare/{tags[0]}...HEAD"] if tags else []
        links += [f"[{one_line(r.version)}]: {base}/releases/tag/{tag}" for r, tag in zip(released, tags, strict=True)]
        out += links + [""]
    return "\n".join(out).rstrip() + "\n"
