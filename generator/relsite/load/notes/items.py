"""The one shape an imported note takes, whatever tool wrote it."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_FRAGMENT_BYTES = 64 * 1024
"""A fragment or note file larger than this is refused: real ones are a few hundred bytes."""


@dataclass(frozen=True, kw_only=True)
class NoteItem:
    kind: str
    ("The tool's own type name: ``feature`` (towncrier), ``fixes`` (reno), ``patch`` (changesets), ``feat`` (commits).")
    section: str
    """The heading it is listed under: the tool's title for the type, or a GitHub release category."""
    rank: int
    """Position of the section in its tool's order, so that sections keep the order the project chose."""
    text: str
    """Markdown, as the contributor wrote it (checked and rendered later, never trusted)."""
    ref: str = ""
    """What it refers to, as people write it: ``#123``, a short commit id, a file path."""
    url: str = ""
    """A link to the source (issue, pull request, commit, file) when the repository's web address is known."""
    origin: str
    """Where the text was written, for problems: a file path (as shown to people) or ``commit abc1234``."""
    line: int = 1
    breaking: bool = False
    labels: tuple[str, ...] = ()
    """Names a GitHub release configuration may match: the kind, ``breaking-change``."""
    service: str = ""


@dataclass(frozen=True, kw_only=True)
class Fragment:
    """One file as read from the repository, before a parser turns it into items."""

    path: str
    """Relative to the repository, with forward slashes."""
    data: bytes
    commit: str = ""
    """The commit the file was read at ("" for the working tree)."""


@dataclass
class ServiceNotes:
    """What one service's repository says: items per released version and the pending draft."""

    by_version: dict[str, list[NoteItem]] = field(default_factory=dict)
    draft: list[NoteItem] = field(default_factory=list)
    draft_from: str = ""
    """The tag the draft counts from ("" when there is no tag or no git history)."""


@dataclass
class ImportedNotes:
    """Imported technical notes for the whole portfolio, as plan receives them."""

    by_release: dict[str, list[NoteItem]] = field(default_factory=dict)
    drafts: dict[str, list[NoteItem]] = field(default_factory=dict)
    """Per service: what is pending for its next release."""
    draft_from: dict[str, str] = field(default_factory=dict)


class SourceLinks:
    """Links into a repository's web pages (GitHub and GitLab share these shapes closely enough:
    GitLab redirects ``/issues/N`` and ``/commit/SHA``; ``/pull/N`` is GitHub's)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def issue(self, number: str) -> str:
        return f"{self.base}/issues/{number}" if self.base else ""

    def pull(self, number: str) -> str:
        if not self.base:
            return ""
        return f"{self.base}/-/merge_requests/{number}" if "gitlab" in self.base else f"{self.base}/pull/{number}"

    def commit(self, sha: str) -> str:
        return f"{self.base}/commit/{sha}" if self.base else ""

    def file(self, path: str, commit: str) -> str:
        if not self.base or not commit:
            return ""
        return f"{self.base}/blob/{commit}/{path}"
