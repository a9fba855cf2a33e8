"""Where a service's technical notes come from (``notes:`` under a service in portfolio.yaml).

Paths are relative: the repository to the folder that holds the releases folder (a path in this
repository or a checkout beside it, ``../payments``), every note folder to that repository, which
they may not leave. The importers (``load/notes``) read them; this model only says what is allowed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from relsite.validate.fields import Strict, Url

_PATH = r"^[A-Za-z0-9._@+-][A-Za-z0-9._@+/-]{0,199}$"
"""Relative (no leading slash), plain characters only: what a folder name in a repository needs."""


def _inside(value: str) -> str:
    if ".." in value.split("/"):
        raise PydanticCustomError("inside", "a path inside the repository may not use '..'")
    return value


InsidePath = Annotated[str, StringConstraints(pattern=_PATH), AfterValidator(_inside)]
"""A path inside the repository: relative, no ``..``."""
RepositoryPath = Annotated[str, StringConstraints(pattern=_PATH)]


def _tag_pattern(value: str) -> str:
    try:
        value.format(version="1.0", service="s")
    except (KeyError, IndexError, ValueError):
        raise PydanticCustomError("tag", "a tag pattern may use only {{version}} and {{service}}") from None
    if "{version}" not in value:
        raise PydanticCustomError("tag", "a tag pattern must contain {{version}}, e.g. v{{version}}")
    return value


TagPattern = Annotated[
    str,
    StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@/{}+-]+$"),
    AfterValidator(_tag_pattern),
]


class NotesSource(Strict):
    repository: RepositoryPath = "."
    (
        "The service's repository, relative to the folder that holds the releases folder: `.` (this repository) or a "
        "checkout beside it."
    )
    url: Url | None = None
    (
        "The repository's web address (https://github.com/org/repo): items link to their issue, pull request or commit"
        " there."
    )
    tag: TagPattern = "v{version}"
    """The git tag of a release: `v{version}`, `{service}-{version}`, `{service}@{version}`."""
    towncrier: InsidePath | bool | None = None
    (
        "towncrier's fragment folder (e.g. `newsfragments`), or `true` for the `directory` its configuration names "
        "(else `newsfragments`); types from the project's towncrier configuration."
    )
    reno: InsidePath | bool | None = None
    """reno's notes folder, or `true` for `releasenotes/notes`."""
    changesets: InsidePath | bool | None = None
    """The changesets folder, or `true` for `.changeset`."""
    package: Annotated[str, StringConstraints(min_length=1, max_length=214)] | None = None
    """changesets: only changesets that name this package are the service's."""
    commits: bool = False
    """Read Conventional Commits (`feat:`, `fix:`, `!` and `BREAKING CHANGE:`) between the release tags."""
    github_release_config: InsidePath | None = Field(default=None)
    """GitHub's release-notes configuration (`.github/release.yml`): its categories become the headings."""
