"""What the live preview watches, and what kind of change it saw.

Polling, not file system events: a poll of a thousand release files takes a few milliseconds, sees a
folder removed and put back (a branch switch) like any other change, and behaves the same on every
platform and file system. A change is acted on once two polls in a row agree (a save in several
writes, or a checkout of many files, is one change).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

POLL = 0.05
"""Seconds between polls: a poll of 1,000 release files takes about 2 ms."""
SETTLE = 0.03
MAX_SETTLE = 2.0

Stamp = tuple[int, int, int]
"""(mtime in ns, size, inode) of a file."""

_EDITOR_NOISE = (".swp", ".swx", ".swo", "~")
"""Files editors write beside the one being saved; they are never release files."""


def _noise(name: str) -> bool:
    return name.endswith(_EDITOR_NOISE) or name.startswith(".#") or name == "4913"


def _stamp(path: str) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def snapshot(roots: Iterable[Path]) -> dict[str, Stamp]:
    """Every file under ``roots`` (files or folders; missing ones hold nothing), by path."""
    seen: dict[str, Stamp] = {}
    for root in roots:
        top = str(root)
        if os.path.isfile(top):
            stamp = _stamp(top)
            if stamp is not None:
                seen[top] = stamp
            continue
        for path, entry in _files(top):
            try:
                info = entry.stat()
            except OSError:
                continue
            seen[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return seen


def listing(roots: Iterable[Path]) -> set[str]:
    """The paths ``snapshot`` would stamp, without stamping them (a folder read names its files)."""
    out: set[str] = set()
    for root in roots:
        top = str(root)
        if os.path.isfile(top):
            out.add(top)
        else:
            out.update(path for path, _ in _files(top))
    return out


def _files(top: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Files under ``top``, as ``os.walk`` finds them (a link to a folder is not walked into),
    editors' noise left out: one ``scandir`` per folder, its entries stamped without a path join."""
    stack = [top]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                if is_dir and entry.is_symlink():
                    continue
            except OSError:
                continue
            if is_dir:
                stack.append(entry.path)
            elif not _noise(entry.name):
                yield entry.path, entry


@dataclass(frozen=True)
class Change:
    edited: frozenset[str]
    """Files that existed before and after, with other contents or times."""
    added: frozenset[str]
    removed: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.edited or self.added or self.removed)


def compare(before: dict[str, Stamp], after: dict[str, Stamp]) -> Change:
    edited = frozenset(p for p, s in after.items() if p in before and before[p] != s)
    return Change(edited, frozenset(after.keys() - before.keys()), frozenset(before.keys() - after.keys()))


def release_edits(change: Change, releases: Path) -> list[Path] | None:
    """The release files a change edited, when that is all it did; None when it did anything else
    (a file added or removed, portfolio.yaml, the allowlist, notes, the site's pages or theme, mkdocs.yml),
    which only a full build may answer."""
    if change.added or change.removed or not change.edited:
        return None
    edited = []
    for name in sorted(change.edited):
        path = Path(name)
        if (
            not path.is_relative_to(releases)
            or path.suffix not in (".yaml", ".yml")
            or path.name.startswith(".")
            or path.parent == releases
            and path.stem == "portfolio"
        ):
            return None
        edited.append(path)
    return edited


class Watcher:
    """Polls ``roots`` and returns each settled change."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.seen = snapshot(roots)

    def poll(self) -> Change:
        """What changed since the last look, at once (no settling)."""
        now = snapshot(self.roots)
        change = compare(self.seen, now)
        self.seen = now
        return change

    def wait(self, stop: float | None = None) -> Change | None:
        """The next settled change, or None when ``stop`` (a time.monotonic() value) passed first."""
        while stop is None or time.monotonic() < stop:
            time.sleep(POLL)
            now = snapshot(self.roots)
            if now == self.seen:
                continue
            settled = time.monotonic() + MAX_SETTLE
            while time.monotonic() < settled:
                time.sleep(SETTLE)
                later = self._again(now)
                if later == now:
                    break
                now = later
            change = compare(self.seen, now)
            self.seen = now
            return change
        return None

    def _again(self, now: dict[str, Stamp]) -> dict[str, Stamp]:
        """The files as they are a moment after ``now``, looked at cheaply: the same names, and the
        files that differed from the last settled look stamped again (a save in several writes goes
        on changing those). Any other difference takes a whole snapshot. At 10,000 release files a
        snapshot takes 50 ms; this, a few."""
        if listing(self.roots) != now.keys():
            return snapshot(self.roots)
        later = dict(now)
        for path, stamp in now.items():
            if self.seen.get(path) != stamp:
                again = _stamp(path)
                if again is None:
                    return snapshot(self.roots)
                later[path] = again
        return later
