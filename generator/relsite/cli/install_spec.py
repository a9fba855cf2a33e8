"""What the workflows and the pre-commit config that `init` writes install: a pip requirement for
relsite. `relsite==<version>` may not be on the team's index, so `--relsite-spec` takes a version,
a wheel URL, a git URL or a full requirement; without it, what the running relsite was installed
from (PEP 610's direct_url.json), when a CI runner can reach that too.
"""

from __future__ import annotations

import json
import re

import click

from relsite.problems import printable

_VERSION = re.compile(r"[0-9][0-9A-Za-z.+!_-]*\Z")
EXPRESSION = "${{"
"""What opens a GitHub Actions expression: evaluated wherever it stands in a workflow, even in a quoted
env value, so no value relsite writes into a workflow may hold it."""
_URL = re.compile(r"(?:git\+|hg\+|svn\+|bzr\+)?(?:https?|ssh|file)://\S+\Z")


def installed_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("relsite")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "0.1.0"


def from_direct_url(raw: str | None, version: str) -> str:
    """The requirement a CI runner can install the same relsite from: a VCS checkout pinned to its
    commit, or an archive served over HTTPS. A local folder, file or editable install means nothing
    on another machine, so those fall back to the released version."""
    try:
        info = json.loads(raw) if raw else {}
    except ValueError:
        info = {}
    url = info.get("url", "") if isinstance(info, dict) else ""
    if isinstance(url, str) and url.startswith(("https://", "ssh://", "git@")) and not info.get("dir_info"):
        vcs = info.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") and vcs.get("commit_id"):
            return f"relsite @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
        if isinstance(info.get("archive_info"), dict) and url.startswith("https://"):
            return f"relsite @ {url}"
    return f"relsite=={version}"


def default_spec() -> str:
    from importlib import metadata

    try:
        raw = metadata.distribution("relsite").read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        raw = None
    return from_direct_url(raw, installed_version())


def parse_spec(value: str) -> str:
    """``--relsite-spec``: ``1.2.0`` → ``relsite==1.2.0``; a URL → ``relsite @ URL``; a requirement
    naming relsite as it is. Anything else is refused (exit 2), so the workflows never install
    another package or a string pip would read as an option."""
    from packaging.requirements import InvalidRequirement, Requirement

    text = value.strip()
    if not text or printable(text) != text or text.startswith("-"):
        raise click.BadParameter(f"{value!r} is not a version, a URL or a requirement", param_hint="--relsite-spec")
    if EXPRESSION in text:
        raise click.BadParameter(
            f"{value!r} holds {EXPRESSION!r}: GitHub Actions would evaluate it in the workflows "
            "(a secret could be sent with the download)",
            param_hint="--relsite-spec",
        )
    if _VERSION.match(text):
        text = f"relsite=={text}"
    elif _URL.match(text):
        text = f"relsite @ {text}"
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        why = str(exc).splitlines()[0]  # packaging adds the text and a caret on lines of their own
        raise click.BadParameter(
            f"{value!r} is not a version, a URL or a requirement ({why})", param_hint="--relsite-spec"
        ) from None
    if requirement.name.lower() != "relsite":
        raise click.BadParameter(f"{value!r} installs {requirement.name}, not relsite", param_hint="--relsite-spec")
    return str(requirement)
