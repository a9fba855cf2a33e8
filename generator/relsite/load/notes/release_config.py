"""GitHub's ``.github/release.yml``: categories of generated release notes by label.

Imported items carry labels (their type, ``breaking-change``); a project that already sorts its
GitHub release notes into categories gets the same headings here. As on GitHub, an item whose
labels are excluded is left out, the first category that matches wins (``*`` matches all), and what
matches none is listed under "Other Changes".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from relsite.load.notes.files import load_note_yaml
from relsite.load.notes.items import NoteItem
from relsite.problems import Problem, error

OTHER = "Other Changes"


@dataclass(frozen=True)
class Category:
    title: str
    labels: frozenset[str]
    exclude: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReleaseConfig:
    categories: tuple[Category, ...] = ()
    exclude: frozenset[str] = frozenset()

    def apply(self, items: list[NoteItem]) -> list[NoteItem]:
        if not self.categories and not self.exclude:
            return items
        out = []
        for item in items:
            labels = set(item.labels)
            if labels & self.exclude:
                continue
            if not self.categories:
                out.append(item)
                continue
            for rank, cat in enumerate(self.categories):
                if (labels & cat.labels or "*" in cat.labels) and not labels & cat.exclude:
                    out.append(dataclasses.replace(item, section=cat.title, rank=rank))
                    break
            else:
                out.append(dataclasses.replace(item, section=OTHER, rank=len(self.categories)))
        return out


def _labels(value: object) -> frozenset[str]:
    if isinstance(value, dict):
        value = value.get("labels")
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def parse(text: str, display: str) -> tuple[ReleaseConfig, list[Problem]]:
    doc, problems = load_note_yaml(text, display)
    if doc is None:
        return ReleaseConfig(), problems
    changelog = doc.data.get("changelog")
    if not isinstance(changelog, dict):
        line, col = doc.source.at("changelog")
        return ReleaseConfig(), [
            error(display, line, col, "a release configuration has a 'changelog' mapping", rule="notes.release_config")
        ]
    cats = []
    listed = changelog.get("categories") or []
    if not isinstance(listed, list):
        line, col = doc.source.at("changelog", "categories")
        return ReleaseConfig(), [error(display, line, col, "categories must be a list", rule="notes.release_config")]
    for i, entry in enumerate(listed):
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            line, col = doc.source.at("changelog", "categories", i)
            problems.append(
                error(display, line, col, "each category needs a title and labels", rule="notes.release_config")
            )
            continue
        cats.append(Category(entry["title"], _labels(entry.get("labels")), _labels(entry.get("exclude"))))
    return ReleaseConfig(tuple(cats), _labels(changelog.get("exclude"))), problems
