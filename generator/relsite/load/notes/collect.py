"""One service's notes, assigned to its releases by git history.

A release V of a service gets what was added to the note folders between the tag of the release
before it and V's own tag (read at the last commit in that range where each file still existed:
towncrier and changesets delete fragments when they release), and the Conventional Commits in that
range. What was added after the newest tag, plus files git does not track yet, is the service's
Unreleased draft. Without git history (or without a tag), the working tree's fragments are the draft.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from relsite.load.folder import display_path
from relsite.load.notes import changesets, commits, release_config, reno, towncrier
from relsite.load.notes.files import Refused, confined, decode_note, list_dir, read_file, repository
from relsite.load.notes.git import Added, Git, GitError
from relsite.load.notes.items import Fragment, NoteItem, ServiceNotes, SourceLinks
from relsite.problems import Problem, error


class Settings(Protocol):
    """Where a service's notes come from (validate's ``NotesSource``)."""

    @property
    def repository(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def tag(self) -> str: ...
    @property
    def towncrier(self) -> str | bool | None: ...
    @property
    def reno(self) -> str | bool | None: ...
    @property
    def changesets(self) -> str | bool | None: ...
    @property
    def package(self) -> str | None: ...
    @property
    def commits(self) -> bool: ...
    @property
    def github_release_config(self) -> str | None: ...


class _Reader:
    """Parses the files of one repository with the settings of one service."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root, self.settings = root, settings
        self.links = SourceLinks(settings.url or "")
        self.types = towncrier.Types()
        self.config = release_config.ReleaseConfig()
        self.problems: list[Problem] = []

    def display(self, path: str) -> str:
        return display_path(self.root / path)

    def load_config(self) -> None:
        s = self.settings
        if s.towncrier:
            for name in ("towncrier.toml", "pyproject.toml"):
                try:
                    text = read_file(self.root, name, 1024 * 1024).decode("utf-8", "replace")
                except Refused:
                    continue
                try:
                    found = towncrier.types_from_config(text)
                except ValueError as exc:
                    self.problems.append(error(self.display(name), 1, 1, str(exc), rule="notes.towncrier"))
                    break
                if found is not None:
                    self.types = found
                    break
        if s.github_release_config:
            try:
                data = read_file(self.root, s.github_release_config)
            except Refused as exc:
                self.problems.append(
                    error(self.display(s.github_release_config), 1, 1, str(exc), rule="notes.release_config")
                )
                return
            config_text, found_problems = decode_note(self.display(s.github_release_config), data)
            self.problems += found_problems
            if config_text is not None:
                self.config, more = release_config.parse(config_text, self.display(s.github_release_config))
                self.problems += more

    def dirs(self) -> list[tuple[str, str]]:
        """(kind, folder) of every configured note folder; ``true`` means the tool's usual folder
        (for towncrier, the ``directory`` its configuration names)."""
        return _dirs(self.settings, self.types.directory)

    def kind_of(self, path: str) -> str | None:
        for kind, d in self.dirs():
            prefix = d.rstrip("/") + "/"
            if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                return kind
        return None

    def parse(self, fragment: Fragment) -> list[NoteItem]:
        kind = self.kind_of(fragment.path)
        if kind is None:
            return []
        display = self.display(fragment.path)
        if kind == "towncrier" and towncrier.split_name(fragment.path.rsplit("/", 1)[-1], self.types) is None:
            return []  # not a fragment (README, template, .gitignore): not read at all
        if kind == "reno" and not fragment.path.endswith((".yaml", ".yml")):
            return []
        if kind == "changesets" and (not fragment.path.endswith(".md") or fragment.path.endswith("/README.md")):
            return []
        text, problems = decode_note(display, fragment.data)
        self.problems += problems
        if text is None:
            return []
        if kind == "towncrier":
            return towncrier.parse(fragment, text, display, self.types, self.links)
        found, problems = (
            reno.parse(fragment, text, display, self.links)
            if kind == "reno"
            else changesets.parse(fragment, text, display, self.links, self.settings.package)
        )
        self.problems += problems
        return found

    def commit_items(self, git: Git, start: str | None, end: str) -> list[NoteItem]:
        if not self.settings.commits:
            return []
        return [item for c in git.commits(start, end) for item in commits.parse(c, self.links)]

    def from_git(self, git: Git, added: Iterable[Added]) -> list[NoteItem]:
        wanted = [a for a in added if self.kind_of(a.path)]
        for a in wanted:
            if not a.regular:
                self.problems.append(
                    error(
                        self.display(a.path),
                        1,
                        1,
                        "a note must be a regular file; links and submodules are not read",
                        rule="notes.read",
                    )
                )
        blobs = git.blobs([a.blob for a in wanted if a.regular])
        items: list[NoteItem] = []
        for a in wanted:
            data = blobs.get(a.blob)
            if isinstance(data, int):
                self.problems.append(
                    error(
                        self.display(a.path),
                        1,
                        1,
                        f"the file is {data:,} bytes; a note is a few sentences",
                        rule="notes.size",
                    )
                )
            elif data is not None:
                items += self.parse(Fragment(path=a.path, data=data, commit=a.commit))
        return items

    def from_tree(self, paths: Iterable[str]) -> list[NoteItem]:
        items: list[NoteItem] = []
        for path in paths:
            if self.kind_of(path) is None:
                continue
            try:
                data = read_file(self.root, path)
            except Refused as exc:
                self.problems.append(error(self.display(path), 1, 1, str(exc), rule="notes.read"))
                continue
            items += self.parse(Fragment(path=path, data=data))
        return items

    def finish(self, items: list[NoteItem], service: str) -> list[NoteItem]:
        """Regrouped by the release configuration, tagged with the service, without repeats."""
        seen: set[tuple[str, str, str]] = set()
        out = []
        for item in self.config.apply(items):
            key = (item.kind, item.text, item.ref)
            if key not in seen:
                seen.add(key)
                out.append(dataclasses.replace(item, service=service))
        return out


def collect_service(
    project: Path, settings: Settings, service: str, versions: list[str]
) -> tuple[ServiceNotes, list[str], list[Problem]]:
    """The notes of ``service`` for each of its ``versions`` that has a tag, and its draft.
    Returns (notes, configuration problems as messages for portfolio.yaml, problems in the notes)."""
    try:
        root = repository(project, settings.repository)
    except Refused as exc:
        return ServiceNotes(), [str(exc)], []
    reader = _Reader(root, settings)
    reader.load_config()
    try:
        for _, d in reader.dirs():
            try:
                confined(root, d)
            except Refused as exc:
                if "does not exist" not in str(exc):
                    raise
    except Refused as exc:
        return ServiceNotes(), [str(exc)], reader.problems
    notes = ServiceNotes()
    git = Git(root)
    dirs = [d.rstrip("/") for _, d in reader.dirs()]
    try:
        tagged = _tagged(git, settings, service, versions) if git.is_repository() else []
        previous: str | None = None
        for version, commit in tagged:
            items = reader.from_git(git, git.added(previous, commit, dirs)) + reader.commit_items(git, previous, commit)
            notes.by_version[version] = reader.finish(items, service)
            previous = commit
        if tagged:
            notes.draft_from = settings.tag.format(version=tagged[-1][0], service=service)
            draft = reader.from_git(git, git.added(previous, "HEAD", dirs)) + reader.commit_items(git, previous, "HEAD")
            draft += reader.from_tree(git.untracked(dirs))
        else:
            draft = reader.from_tree(p for d in dirs for p in list_dir(root, d))
            if git.is_repository() and settings.commits:
                draft += reader.commit_items(git, None, "HEAD")
    except GitError as exc:
        return notes, [f"git could not read {display_path(root)}: {exc}"], reader.problems
    except Refused as exc:
        return notes, [str(exc)], reader.problems
    notes.draft = reader.finish(draft, service)
    return notes, [], reader.problems


DEFAULT_DIRS = {"towncrier": "newsfragments", "reno": "releasenotes/notes", "changesets": ".changeset"}


def _dirs(settings: Settings, towncrier_dir: str) -> list[tuple[str, str]]:
    found = []
    for kind, value in (
        ("towncrier", settings.towncrier),
        ("reno", settings.reno),
        ("changesets", settings.changesets),
    ):
        if value is True:
            value = (towncrier_dir if kind == "towncrier" else "") or DEFAULT_DIRS[kind]
        if isinstance(value, str) and value:
            found.append((kind, value.rstrip("/")))
    return found


def _tagged(git: Git, settings: Settings, service: str, versions: list[str]) -> list[tuple[str, str]]:
    """(version, commit) for every version whose tag exists, oldest first by the tagged commit's time."""
    tags = git.tags()
    found = []
    for i, version in enumerate(dict.fromkeys(versions)):
        tagged = tags.get(settings.tag.format(version=version, service=service))
        if tagged:
            found.append((tagged[1], i, version, tagged[0]))
    return [(v, c) for _, _, v, c in sorted(found)]
