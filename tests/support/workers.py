"""What the pytest-xdist workers of one run share: a temporary folder, and a lock to build in it.

``-n 2`` starts two worker processes, each with its own session: a session fixture runs once in
each. Built sites are the costly ones, so they are built once per run into the folder both workers'
temporary folders sit in (``pytest-N/``, beside ``popen-gw0/`` and ``popen-gw1/``).
"""

from __future__ import annotations

import os
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
