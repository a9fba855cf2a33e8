"""The technical layer of release notes: imported items grouped by type, each with its source.

Sections keep the order the project's tools give them (breaking changes first); an item listed by
several releases of a coordinated change is shown once, naming every service it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from relsite.load.notes.items import ImportedNotes, NoteItem
from relsite.plan import urls
from relsite.plan.view_parts import Link
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio


@dataclass(frozen=True, kw_only=True)
class TechItem:
    text: str
    """Markdown from a fragment or commit (rendered by the template's safe Markdown filter)."""
    source: str
    """What it refers to: ``#123``, a commit, a file."""
    href: str
    """The source's web address, or empty (the template shows the reference as text)."""
    services: tuple[str, ...]
    breaking: bool


@dataclass(frozen=True, kw_only=True)
class TechSection:
    anchor: str
    heading: str
    items: list[TechItem]


@dataclass(frozen=True, kw_only=True)
class TechnicalView:
    sections: list[TechSection]
    count: int
    several_services: bool
    """Items come from more than one service: each names its own."""
    combined: Link | None = None
    """The coordinated change's combined page, from a release that is part of one."""
    draft_from: str = ""
    """For a draft: the tag it counts from ("" when there is none)."""


def technical_view(items: Iterable[NoteItem], combined: Link | None = None, draft_from: str = "") -> TechnicalView:
    """Items grouped into sections, each item once (by section, text and reference)."""
    order: dict[str, tuple[int, int]] = {}
    merged: dict[tuple[str, str, str], tuple[NoteItem, list[str]]] = {}
    for item in items:
        order.setdefault(item.section, (item.rank, len(order)))
        key = (item.section, item.text, item.ref)
        if key in merged:
            if item.service not in merged[key][1]:
                merged[key][1].append(item.service)
        else:
            merged[key] = (item, [item.service])
    by_section: dict[str, list[TechItem]] = {name: [] for name in sorted(order, key=order.__getitem__)}
    services: set[str] = set()
    for item, owners in merged.values():
        services.update(owners)
        by_section[item.section].append(
            TechItem(text=item.text, source=item.ref, href=item.url, services=tuple(owners), breaking=item.breaking)
        )
    sections = [
        TechSection(anchor=urls.technical_section(name), heading=name, items=found)
        for name, found in by_section.items()
    ]
    return TechnicalView(
        sections=sections,
        count=len(merged),
        several_services=len(services) > 1,
        combined=combined,
        draft_from=draft_from,
    )


def coordinated_groups(pf: Portfolio) -> dict[str, list[Release]]:
    """Releases that name each other in ``coordinated_with`` (either way, transitively), by group key
    (the smallest id); only groups of two or more. Linear in releases and links (union-find)."""
    parent: dict[str, str] = {r.id: r.id for r in pf.releases}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in pf.releases:
        for other in r.coordinated_with:
            if other in parent:
                a, b = find(r.id), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[Release]] = {}
    for r in pf.releases:
        groups.setdefault(find(r.id), []).append(r)
    return {min(m.id for m in members): members for members in groups.values() if len(members) > 1}


class Technical:
    """What plan needs from the imported notes: per release, per coordinated change, per service."""

    def __init__(self, pf: Portfolio, notes: ImportedNotes) -> None:
        self.notes = notes
        self.groups = {
            key: members
            for key, members in coordinated_groups(pf).items()
            if any(notes.by_release.get(m.id) for m in members)
        }
        self.group_of = {m.id: key for key, members in self.groups.items() for m in members}

    def release(self, r: Release) -> TechnicalView | None:
        items = self.notes.by_release.get(r.id, [])
        key = self.group_of.get(r.id)
        if not items and key is None:
            return None
        combined = Link(text="the coordinated change", href=urls.coordinated(key)) if key else None
        return technical_view(items, combined)

    def group(self, key: str) -> TechnicalView:
        return technical_view(item for m in self.groups[key] for item in self.notes.by_release.get(m.id, []))

    def draft(self, service: str) -> TechnicalView | None:
        if service not in self.notes.drafts:
            return None
        return technical_view(self.notes.drafts[service], draft_from=self.notes.draft_from.get(service, ""))
