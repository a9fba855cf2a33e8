"""changesets: ``.changeset/*.md`` files with YAML front matter (package: bump) and a Markdown body.

The front matter goes through relsite's own YAML loader. A changeset names one or more packages;
with ``package`` configured only changesets that name it are this service's, and the bump the
changeset gives that package is its type (major, minor, patch), as changesets' own changelog does.
"""

from __future__ import annotations

from relsite.load.notes.files import load_note_yaml
from relsite.load.notes.items import Fragment, NoteItem, SourceLinks
from relsite.problems import Problem, error

BUMPS = (("major", "Major Changes"), ("minor", "Minor Changes"), ("patch", "Patch Changes"))
_HEADINGS = dict(BUMPS)
_RANK = {name: i for i, (name, _) in enumerate(BUMPS)}
SKIPPED = ("README.md",)


def parse(
    fragment: Fragment, text: str, display: str, links: SourceLinks, package: str | None
) -> tuple[list[NoteItem], list[Problem]]:
    name = fragment.path.rsplit("/", 1)[-1]
    if not name.endswith(".md") or name in SKIPPED:
        return [], []
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (ln.strip() for ln in lines[1:]):
        return [], [
            error(
                display,
                1,
                1,
                "a changeset starts with front matter between two '---' lines",
                "write '---', lines such as '\"my-package\": patch', then '---' and the description",
                "notes.changesets",
            )
        ]
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    front = "\n".join(lines[1:end])
    rest = lines[end + 1 :]
    blank = next((i for i, ln in enumerate(rest) if ln.strip()), 0)
    body = "\n".join(rest).strip()
    bumps: dict[str, str] = {}
    problems: list[Problem] = []
    if front.strip():
        doc, problems = load_note_yaml(
            "\n" + front, display
        )  # one leading line: positions count from the file's first line
        if doc is None:
            return [], problems
        for pkg, bump in doc.data.items():
            line, col = doc.source.at(pkg)
            if not isinstance(bump, str) or bump not in _HEADINGS:
                problems.append(
                    error(
                        display, line, col, f"the bump for {pkg} must be major, minor or patch", rule="notes.changesets"
                    )
                )
            else:
                bumps[str(pkg)] = bump
    if not body or not bumps:
        return [], problems  # an empty changeset (no packages) releases nothing
    if package and package not in bumps:
        return [], problems
    kind = bumps[package] if package else min(bumps.values(), key=_RANK.__getitem__)
    return [
        NoteItem(
            kind=kind,
            section=_HEADINGS[kind],
            rank=_RANK[kind],
            text=body,
            ref=fragment.path,
            url=links.file(fragment.path, fragment.commit),
            origin=display,
            line=end + 2 + blank,
            breaking=kind == "major",
            labels=(kind,),
        )
    ], problems
