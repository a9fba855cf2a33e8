"""`mkdocs serve` (and `relsite serve`) keep following the releases folder when it is removed and
put back (a branch switch, a restore from a backup, ``rm -r`` then ``git checkout``).

MkDocs watches a folder with a polling watcher that stops for good once the folder is gone, and it
ignores folder events, so a removed and restored ``releases/`` was never rebuilt again. Here a
small thread notices the folder leave or come back (or be replaced by another folder of the same
name), watches the new folder, and asks for a rebuild through the one documented way to do so: a
change in a watched path (a file in a private temporary folder of its own).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

POLL = 0.5


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def follow_releases(server: Any, releases: Path, poll: float = POLL) -> None:
    """Watch ``releases`` on MkDocs' LiveReloadServer, and again whenever the folder is replaced."""
    path = str(releases)
    server.watch(path)
    nudges = Path(tempfile.mkdtemp(prefix="relsite-serve-"))
    atexit.register(shutil.rmtree, nudges, ignore_errors=True)
    server.watch(str(nudges))

    def rebuild(count: int) -> None:
        (nudges / "rebuild").write_text(str(count), encoding="utf-8")

    def follow() -> None:
        seen = _identity(releases)
        count = 0
        thread = getattr(server, "serve_thread", None)
        while thread is None or thread.ident is None or thread.is_alive():
            threading.Event().wait(poll)
            now = _identity(releases)
            if now == seen:
                continue
            if now is not None:
                server.unwatch(path)  # the old watcher stopped, or watches a folder that is gone
                server.watch(path)
            seen = now
            count += 1
            rebuild(count)
        shutil.rmtree(nudges, ignore_errors=True)

    threading.Thread(target=follow, name="relsite-releases-watch", daemon=True).start()
