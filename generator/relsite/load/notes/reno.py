"""reno release notes: one YAML file per change, with lists of notes per section.

The file is YAML from a contributor, so it goes through relsite's own loader (no PyYAML
constructor: no tags, no aliases, scalars resolved strictly), which also says where every note
was written.
"""

from __future__ import annotations

from relsite.load.notes.files import load_note_yaml
from relsite.load.notes.items import Fragment, NoteItem, SourceLinks
from relsite.load.reader import dotted
from relsite.problems import Problem, error, warning

SECTIONS = (
    ("prelude", "Prelude"),
    ("features", "New Features"),
    ("issues", "Known Issues"),
    ("upgrade", "Upgrade Notes"),
    ("deprecations", "Deprecation Notes"),
    ("critical", "Critical Issues"),
    ("security", "Security Issues"),
    ("fixes", "Bug Fixes"),
    ("other", "Other Notes"),
)
"""reno's default sections, in the order its reports use."""
_HEADINGS = dict(SECTIONS)
_RANK = {name: i for i, (name, _) in enumerate(SECTIONS)}


def parse(fragment: Fragment, text: str, display: str, links: SourceLinks) -> tuple[list[NoteItem], list[Problem]]:
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") or ln.strip() == "---" for ln in text.splitlines()
    ):
        return [], []
    doc, problems = load_note_yaml(text, display)
    if doc is None:
        return [], problems
    url = links.file(fragment.path, fragment.commit)
    items: list[NoteItem] = []
    for key, value in doc.data.items():
        line, col = doc.source.at(key)
        if key not in _HEADINGS:
            line, col = doc.source.keys.get((key,), (line, col))
            problems.append(
                warning(
                    display,
                    line,
                    col,
                    f"'{key}' is not a reno section; it is left out",
                    f"use one of: {', '.join(_HEADINGS)}",
                    "notes.reno",
                )
            )
            continue
        notes = [value] if key == "prelude" and isinstance(value, str) else value
        if not isinstance(notes, list):
            problems.append(
                error(
                    display,
                    line,
                    col,
                    f"{key} must be a list of notes",
                    "write each note as '- |' and its text",
                    "notes.reno",
                )
            )
            continue
        for i, note in enumerate(notes):
            at = (key,) if notes is not value else (key, i)
            nline, ncol = doc.source.at(*at)
            if not isinstance(note, str):
                problems.append(error(display, nline, ncol, f"{dotted(at)} must be text", rule="notes.reno"))
                continue
            if note.strip():
                items.append(
                    NoteItem(
                        kind=key,
                        section=_HEADINGS[key],
                        rank=_RANK[key],
                        text=note.strip(),
                        ref=fragment.path,
                        url=url,
                        origin=display,
                        line=nline,
                        labels=(key,),
                    )
                )
    return items, problems
