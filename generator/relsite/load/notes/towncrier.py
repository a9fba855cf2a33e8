"""towncrier news fragments: ``{issue}.{type}[.{counter}][.ext]`` and orphans ``+slug.{type}``.

The types come from the project's own towncrier configuration (``[tool.towncrier]`` in
pyproject.toml or towncrier.toml: the ``type`` list or the ``fragment`` table), else towncrier's
defaults, so a project's ``vendor`` or ``process`` fragments are read under its own headings.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from relsite.load.notes.items import Fragment, NoteItem, SourceLinks

DEFAULT_TYPES = (
    ("feature", "Features"),
    ("bugfix", "Bugfixes"),
    ("doc", "Improved Documentation"),
    ("removal", "Deprecations and Removals"),
    ("misc", "Misc"),
)


@dataclass(frozen=True)
class Types:
    names: tuple[tuple[str, str], ...] = DEFAULT_TYPES
    """(directory name, heading) in the project's order."""
    directory: str = ""
    """The fragment folder the configuration names (``directory``), if it is a plain relative path."""

    def heading(self, name: str) -> str:
        return dict(self.names).get(name, name)

    def rank(self, name: str) -> int:
        return next((i for i, (n, _) in enumerate(self.names) if n == name), len(self.names))


def types_from_config(text: str) -> Types | None:
    """The types a towncrier configuration declares (towncrier's defaults if it declares none);
    None without a ``[tool.towncrier]`` section. Raises ValueError for TOML that does not parse."""
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"invalid TOML: {exc}") from None
    tool = data.get("tool") if isinstance(data, dict) else None
    section = tool.get("towncrier") if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        return None
    names: list[tuple[str, str]] = []
    listed = section.get("type")
    if isinstance(listed, list):
        for entry in listed:
            if isinstance(entry, dict) and isinstance(entry.get("directory"), str):
                names.append((entry["directory"], str(entry.get("name") or entry["directory"])))
    table = section.get("fragment")
    if isinstance(table, dict):
        for key, entry in table.items():
            if isinstance(entry, dict):
                names.append((str(entry.get("directory") or key), str(entry.get("name") or key.title())))
    folder = section.get("directory")
    plain = (
        isinstance(folder, str)
        and bool(folder.strip("/"))
        and not folder.startswith("/")
        and ".." not in folder.split("/")
    )
    directory = folder.strip("/") if plain and isinstance(folder, str) else ""
    return Types(tuple(names) if names else DEFAULT_TYPES, directory)


def split_name(name: str, types: Types) -> tuple[str, str] | None:
    """(issue, type) of a fragment's file name, or None for a file that is not a fragment
    (README, .gitignore, the template). The type is the last dot-separated part that names one,
    as towncrier reads it: ``123.feature.rst``, ``123.feature.1.md``, ``+hotfix.bugfix``."""
    known = {n for n, _ in types.names}
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] in known:
            return ".".join(parts[:i]), parts[i]
    return None


def parse(fragment: Fragment, text: str, display: str, types: Types, links: SourceLinks) -> list[NoteItem]:
    split = split_name(fragment.path.rsplit("/", 1)[-1], types)
    if split is None or not text.strip():
        return []
    issue, kind = split
    if issue.isdigit():
        ref, url = f"#{issue}", links.issue(issue)
    else:  # an orphan (+slug) or a name that is no issue number (pip's uuids): the file is the source
        ref, url = fragment.path, links.file(fragment.path, fragment.commit)
    return [
        NoteItem(
            kind=kind,
            section=types.heading(kind),
            rank=types.rank(kind),
            text=text.strip(),
            ref=ref,
            url=url,
            origin=display,
            line=1,
            labels=(kind,),
        )
    ]
