"""Reading a folder of release files: which files there are, then each one loaded and scanned.

This is the part of validation that is per file: independent, pure, and most of the time. It
imports nothing heavy (no pydantic, no models), so that the CLI can start loading in forked
children first and import the models while they work (``Loading``); at 1,000 files that overlap
is a sixth of ``relsite validate``.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relsite.load.reader import Document, load_file
from relsite.problems import Problem, error

PARALLEL_FROM = 200
"""Below this many files, starting worker processes costs more than it saves."""


Inspect = Callable[[Any, Any, "str | None"], "list[tuple[str, Problem]]"]
"""A check run on each document as it is loaded, with the file's text: (data, source map, text) →
[(fingerprint, problem)]. Validation passes its secret scan, which needs the text and is cheapest
where the file was read; loading itself knows nothing of what is checked."""


@dataclass
class Loaded:
    """One release file: its document (None if it could not be read), its problems, and the
    secret-like values found in it as (fingerprint, problem), for the allowlist to excuse."""

    doc: Document | None
    problems: list[Problem]
    secrets: list[tuple[str, Problem]]


def worker_count() -> int:
    """Processes for loading files: the machine's cores, up to four (each share comes back to
    this process pickled, which is not free)."""
    return max(1, min(4, os.cpu_count() or 1))


def display_path(path: Path) -> str:
    """The path as messages show it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def discover(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Release files under ``folder``, in a stable order; links that leave the folder are refused."""
    root = folder.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if name.endswith(".yml"):
                problems.append(
                    error(
                        display_path(path),
                        1,
                        1,
                        "release files end in .yaml, not .yml",
                        f"rename it to {name[:-4]}.yaml",
                        "files",
                    )
                )
                continue
            if not name.endswith(".yaml"):
                continue
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError) as exc:  # a loop, or a link to nothing
                    reason = getattr(exc, "strerror", None) or "the links form a loop"
                    problems.append(
                        error(
                            display_path(path),
                            1,
                            1,
                            f"this link cannot be followed ({reason})",
                            "remove the link, or copy the file into the folder instead",
                            "files",
                        )
                    )
                    continue
                if not target.is_relative_to(root):
                    problems.append(
                        error(
                            display_path(path),
                            1,
                            1,
                            "links that point outside the releases folder are not read",
                            "copy the file into the folder instead",
                            "files",
                        )
                    )
                    continue
            files.append(path)
    return files, problems


def load_one(path: Path, inspect: Inspect | None = None) -> Loaded:
    doc, problems = load_file(path, display_path(path))
    if doc is None:
        return Loaded(None, problems, [])
    found = inspect(doc.data, doc.source, doc.text) if inspect else []
    doc.text = None  # only the scan needed it; a worker would otherwise send it back
    return Loaded(doc, problems, found)


class Loading:
    """The release files of a folder, being loaded.

    With ``jobs`` > 1 and enough files, the files are split into contiguous shares when this
    object is made: forked children load theirs at once and send the results back pickled through
    a pipe, while this process loads the first share as it is iterated (1,000 files: 0.34 s alone,
    0.25 s with one child on a second core; a multiprocessing pool took 0.34 s, its result threads
    competing with the workers). A child that fails in any way has its share redone here.

    Only for callers with no other threads running: a forked child inherits locks held by other
    threads (``serve`` loads in one process).
    """

    def __init__(
        self,
        folder: Path,
        jobs: int = 1,
        head_start: int = 0,
        skip: frozenset[str] = frozenset(),
        inspect: Inspect | None = None,
    ) -> None:
        """``head_start``: how many files' worth of other work this process does before it starts
        loading its own share (the children's shares grow by as much, so that all finish together)."""
        self.folder = folder
        self.inspect = inspect
        self.files, self.problems = discover(folder)
        """Every file found (portfolio.yaml included), and the problems of finding them."""
        paths = [p for p in self.files if not (p.parent == folder and p.name in skip)]
        if jobs < 2 or len(paths) < PARALLEL_FROM or not hasattr(os, "fork"):
            self._shares, self._children = [paths], []
            return
        mine = max(0, (len(paths) - (jobs - 1) * head_start) // jobs)
        size = -(-(len(paths) - mine) // (jobs - 1))
        self._shares = [paths[:mine]] + [paths[i : i + size] for i in range(mine, len(paths), size)]
        self._children = [_fork_loader(share, inspect) for share in self._shares[1:]]

    def __iter__(self) -> Iterator[Loaded]:
        """Each release file's result, in file order, as it comes: a caller can model this process's
        share while the children are still busy."""
        children, self._children = self._children, []
        yield from (load_one(path, self.inspect) for path in self._shares[0])
        for share, child in zip(self._shares[1:], children, strict=False):
            yield from _collect(child) or (load_one(path, self.inspect) for path in share)


def _fork_loader(share: list[Path], inspect: Inspect | None) -> tuple[int, int] | None:
    """A child loading ``share``; returns (pid, read end of its pipe), or None if it could not fork."""
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: no output, no exceptions escaping, no atexit handlers
        code = 0
        try:
            os.close(read)
            gc.disable()  # see validate(): the collector only slows loading down
            # Pickled whole before writing: pickling into the pipe would go at the pace of the
            # parent, which reads only after its own share, and pickling is a third of a share.
            data = pickle.dumps([load_one(path, inspect) for path in share], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - the parent sees a short read and redoes the share
            code = 1
        os._exit(code)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> list[Loaded] | None:
    if child is None:
        return None
    pid, read = child
    results: list[Loaded] | None
    with os.fdopen(read, "rb", buffering=1 << 20) as pipe:
        try:
            results = pickle.load(pipe)  # streamed: the pickled bytes are never held whole
        except Exception:  # noqa: BLE001 - a child that died mid-way; its share is redone
            results = None
    _, status = os.waitpid(pid, 0)
    return results if os.waitstatus_to_exitcode(status) == 0 else None
