"""load -> validate: from a folder of YAML files to a Portfolio and every problem found in it.

Problems are collected, never raised: a person fixing a pull request wants the whole list at once.
This module never prints and never exits.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .load import Document, SourceMap, load_file
from .model import PortfolioConfig, Release
from .model_errors import problems_from
from .portfolio import Portfolio
from .problems import Problem, Severity, error
from .rules import check_config, check_portfolio, check_release
from .secrets import ALLOWLIST_FILE, load_allowlist, scan_document

PORTFOLIO_FILE = "portfolio.yaml"
RESERVED_FILES = {PORTFOLIO_FILE, ALLOWLIST_FILE}
PARALLEL_FROM = 200
"""Below this many files, starting worker processes costs more than it saves."""


@dataclass
class Result:
    portfolio: Portfolio | None
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


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
                problems.append(error(display_path(path), 1, 1, "release files end in .yaml, not .yml",
                                      f"rename it to {name[:-4]}.yaml", "files"))
                continue
            if not name.endswith(".yaml"):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(error(display_path(path), 1, 1, "links that point outside the releases folder are not read",
                                      "copy the file into the folder instead", "files"))
                continue
            files.append(path)
    return files, problems


def validate(folder: Path, jobs: int = 1) -> Result:
    """Every file under ``folder``, loaded, modelled and checked.

    ``jobs`` > 1 loads files in that many processes, forked (where the platform forks). Only for
    callers with no other threads running: a forked child inherits locks held by other threads.
    """
    # Loading builds hundreds of thousands of small acyclic containers; the cyclic collector
    # scanning them again and again was a third of validation time (200 of 630 ms at 1,000 files).
    # Reference counting still frees everything; the collector runs again afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _validate(folder, jobs)
    finally:
        if paused:
            gc.enable()


def _validate(folder: Path, jobs: int) -> Result:
    files, problems = discover(folder)
    allowed, found = load_allowlist(folder, display_path(folder / ALLOWLIST_FILE))
    problems += found
    config_path = folder / PORTFOLIO_FILE
    config: PortfolioConfig | None = None
    config_source = SourceMap(display_path(config_path))
    if config_path not in files:
        problems.append(error(display_path(config_path), 1, 1, "portfolio.yaml is missing",
                              "it names the organisation, its environments and time zone", "files"))
    else:
        doc, found = load_file(config_path, display_path(config_path))
        problems += found
        if doc is not None:
            problems += scan_document(doc.data, doc.source, allowed, doc.text)
            config, found = _model(PortfolioConfig, doc, None)
            problems += found
            config_source = doc.source
            if config is not None:
                found = check_config(config, doc.source)
                problems += found
                if found:
                    config = None
    tz: dt.tzinfo = config.tz if config else dt.UTC

    releases: list[Release] = []
    paths = [p for p in files if not (p.parent == folder and p.name in RESERVED_FILES)]
    for doc, found in _loaded(paths, allowed, jobs):
        problems += found
        if doc is None:
            continue
        release, found = _model(Release, doc, tz)
        problems += found
        if release is not None:
            release._source = doc.source
            releases.append(release)

    portfolio = None
    if config is not None:
        portfolio = Portfolio(config, config_source, releases)
        for r in releases:
            problems += check_release(r, portfolio)
        problems += check_portfolio(portfolio)
    return Result(portfolio, sorted(problems), len(files))


def _load_checked(job: tuple[Path, frozenset[str]]) -> tuple[Document | None, list[Problem]]:
    """Load one file and scan it for secrets: the part of validation that is per file and pure."""
    path, allowed = job
    doc, problems = load_file(path, display_path(path))
    if doc is not None:
        problems += scan_document(doc.data, doc.source, allowed, doc.text)
        doc.text = None  # only the scan needed it; a worker would otherwise send it back
    return doc, problems


def _loaded(paths: list[Path], allowed: frozenset[str], jobs: int) -> Iterator[tuple[Document | None, list[Problem]]]:
    """``_load_checked`` for each path, in order.

    Loading is most of validation and every file is independent, so with ``jobs`` > 1 the files
    are split into contiguous shares: forked children load theirs and send the results back
    pickled through a pipe while this process loads the first share (1,000 files: 0.34 s alone,
    0.25 s with one child on a second core; a multiprocessing pool took 0.34 s, its result
    threads competing with the workers). Results are yielded as they come, so the caller models
    this process's share while the children are still busy. A child that fails in any way is
    redone here.
    """
    work = [(p, allowed) for p in paths]
    if jobs < 2 or len(work) < PARALLEL_FROM or not hasattr(os, "fork"):
        yield from map(_load_checked, work)
        return
    size = -(-len(work) // jobs)
    shares = [work[i:i + size] for i in range(0, len(work), size)]
    children = [_fork_loader(share) for share in shares[1:]]
    yield from map(_load_checked, shares[0])
    for share, child in zip(shares[1:], children):
        yield from _collect(child) or map(_load_checked, share)


def _fork_loader(share: list[tuple[Path, frozenset[str]]]) -> tuple[int, int] | None:
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
            results = [_load_checked(job) for job in share]
            with os.fdopen(write, "wb") as out:
                pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent sees a short read and redoes the share
            code = 1
        os._exit(code)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> list[tuple[Document | None, list[Problem]]] | None:
    if child is None:
        return None
    pid, read = child
    results: list[tuple[Document | None, list[Problem]]] | None
    with os.fdopen(read, "rb", buffering=1 << 20) as pipe:
        try:
            results = pickle.load(pipe)  # streamed: the pickled bytes are never held whole
        except Exception:  # noqa: BLE001 - a child that died mid-way; its share is redone
            results = None
    _, status = os.waitpid(pid, 0)
    return results if os.waitstatus_to_exitcode(status) == 0 else None


def _model(model: type[PortfolioConfig | Release], doc: Document, tz: dt.tzinfo | None) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(doc.data, context={"tz": tz or dt.UTC}), []
    except ValidationError as exc:
        return None, problems_from(exc, doc.data, doc.source, model)

