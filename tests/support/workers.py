"""What the pytest-xdist workers of one run share: a temporary folder, and a lock to build in it.

``-n 2`` starts two worker processes, each with its own session: a session fixture runs once in
each. Built sites are the costly ones, so they are built once per run into the folder both workers'
temporary folders sit in (``pytest-N/``, beside ``popen-gw0/`` and ``popen-gw1/``).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # not POSIX: each worker keeps its own copy (see shared_folder)
    fcntl = None  # type: ignore[assignment]


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's folder every worker sees; without xdist (or without locks), this session's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None else base


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Held by one process at a time (released when it ends, even killed: an flock dies with its file)."""
    with open(lock, "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return found


def _forks(pid: int, command_line: bytes) -> list[int]:
    """Children of ``pid`` still running its own command line (a zombie's is empty)."""
    found = []
    for child in _children(pid):
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == command_line:
                found.append(child)
        except OSError:
            continue
    return found


def stop_leftover_forks(grace: float = 10.0) -> list[int]:
    """Kill the forks of this process (children that never exec'd: the same command line) still
    running ``grace`` seconds after the test; returns them.

    A forked child holds every descriptor of its parent, the xdist worker's channel to the controller
    included: one that outlives its test can outlive the worker, and then the controller waits for an
    end of file that never comes, with no worker left (the ``-n 2`` hang). The grace lets a child
    that was asked to stop (a cancelled writer gets SIGTERM, no wait) end by itself. Linux only."""
    me = os.getpid()
    try:
        ours = Path(f"/proc/{me}/cmdline").read_bytes()
        leftover = _forks(me, ours)
    except OSError:
        return []
    deadline = time.monotonic() + grace
    while leftover and time.monotonic() < deadline:
        time.sleep(0.05)
        leftover = _forks(me, ours)
    for child in leftover:
        os.kill(child, signal.SIGKILL)
    return leftover
