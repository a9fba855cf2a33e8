"""Reading files of a service's working tree without leaving its repository.

Every path is relative to the repository and walked component by component with ``lstat``: a
symbolic link anywhere on the way, a ``..`` or an absolute path is refused, so a fragment folder
cannot point relsite at ``/etc`` or at a file outside the checkout. Sizes are bounded before reading.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path, PurePosixPath

from relsite.load.characters import char_problems, decode
from relsite.load.notes.items import MAX_FRAGMENT_BYTES
from relsite.load.reader import Document, load_text
from relsite.problems import Problem, error


class Refused(Exception):
    """The path leaves the repository, crosses a link, or is not a regular file of a sane size."""


def confined(root: Path, rel: str) -> Path:
    """``rel`` under ``root``, every component checked; raises Refused."""
    parts = PurePosixPath(rel).parts
    if not rel or PurePosixPath(rel).is_absolute() or any(p in ("..", "") for p in parts) or "\\" in rel:
        raise Refused(f"{rel!r} is not a path inside the repository")
    path = root
    for part in parts:
        if part == ".":
            continue
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise Refused(f"{rel} does not exist") from None
        if stat.S_ISLNK(mode):
            raise Refused(f"{rel} goes through a symbolic link; relsite reads only the repository's own files")
    return path


def read_file(root: Path, rel: str, limit: int = MAX_FRAGMENT_BYTES) -> bytes:
    path = confined(root, rel)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{rel} is not a regular file")
        if info.st_size > limit:
            raise Refused(f"{rel} is {info.st_size:,} bytes; the limit is {limit:,}")
        return fh.read(limit + 1)


def list_dir(root: Path, rel: str) -> list[str]:
    """Files directly in the folder ``rel`` (sorted, relative to the root; links too, so that reading
    them is refused with a message rather than skipped in silence); none if the folder is missing."""
    try:
        folder = confined(root, rel)
    except Refused as exc:
        if "does not exist" in str(exc):
            return []
        raise
    if not folder.is_dir():
        raise Refused(f"{rel} is not a folder")
    names = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file(follow_symlinks=False) or entry.is_symlink():
            names.append(f"{PurePosixPath(rel) / entry.name}")
    return names


def repository(project: Path, rel: str) -> Path:
    """The repository folder a service names: a path in this repository or a checkout beside it.
    Parent steps are allowed here (``../payments``) and only here; links are not."""
    parts = PurePosixPath(rel).parts
    if not rel or PurePosixPath(rel).is_absolute() or "\\" in rel:
        raise Refused(f"repository must be a relative path, got {rel!r}")
    path = project
    for part in parts:
        path = path.parent if part == ".." else path / part
        if part not in (".", "..") and path.is_symlink():
            raise Refused(f"repository {rel} goes through a symbolic link")
    if not path.is_dir():
        raise Refused(f"repository {rel} is not a folder (from {project})")
    return path


def decode_note(display: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """A fragment's bytes as text, or the problems that stop it: binary data, another encoding than
    UTF-8, control or invisible characters (the character policy of release files)."""
    if len(data) > MAX_FRAGMENT_BYTES:
        return None, [
            error(
                display,
                1,
                1,
                f"the file is over {MAX_FRAGMENT_BYTES:,} bytes",
                "a note is a few sentences",
                "notes.size",
            )
        ]
    if b"\0" in data:
        return None, [error(display, 1, 1, "the file is binary, not text", "notes are text files", "notes.binary")]
    text, problems = decode(display, data)
    if text is None:
        return None, problems
    text = text.replace("\r\n", "\n")
    problems = [p for p in char_problems(display, text) if "tab" not in p.message]  # tabs are fine in Markdown text
    return (None, problems) if problems else (text.replace("\t", "    "), [])


_HINTS = {"load.root": "a note file is a mapping, such as 'fixes:' and a list of notes", "load.empty": ""}


def load_note_yaml(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    """YAML from a note file through relsite's own safe loader, with hints that speak of notes
    rather than of release files."""
    doc, problems = load_text(text, display)
    return doc, [dataclasses.replace(p, hint=_HINTS[p.rule]) if p.rule in _HINTS else p for p in problems]
