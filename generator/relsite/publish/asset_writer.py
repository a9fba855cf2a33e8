"""Calendars, JSON and feeds, written by another process while MkDocs renders the pages.

They do not depend on the pages, and the machine has a second core. ``build`` forks: nothing else
runs in the process then, and the child inherits the planned site for free. ``serve`` runs
livereload threads, and a child forked beside threads can deadlock on a lock one of them held, so
serve starts a fresh interpreter that plans the site again from the same files
(``python -m relsite.publish.asset_writer``). Either way every file is scanned for secrets as it is
written, and the findings come back to the parent.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relsite.pipeline import plan_site
from relsite.plan.site import Asset
from relsite.publish.engines import die_with_parent
from relsite.publish.secret_gate import relsite_findings
from relsite.validate.allowlist import load_allowlist

Scanned = tuple[dict[str, int], list[str]]
"""What a writer scanned: each file's size as written (see ``SecretGate.scanned``) and the findings."""


class WriterFailed(Exception):
    """The other process could not write the files; its last message says why."""


def write_assets(assets: list[Asset], site_dir: str, allowed: frozenset[str]) -> Scanned:
    """Write each file, scanning it for secrets on the way; returns the sizes and the findings."""
    sizes: dict[str, int] = {}
    leaks: list[str] = []
    made: set[Path] = set()
    for asset in assets:
        _write_one(asset, Path(site_dir), allowed, (sizes, leaks), made)
    return sizes, leaks


def _write_one(asset: Asset, out: Path, allowed: frozenset[str], into: Scanned, made: set[Path]) -> None:
    """One file, scanned as it is written; ``made`` holds the folders known to exist (thousands of
    files share a few folders, and asking the file system again cost as much as writing)."""
    data = asset.render()
    into[1].extend(relsite_findings(asset.path, data.decode("utf-8", errors="replace"), allowed))
    into[0][asset.path] = len(data)
    target = out / asset.path
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(data)


def shareable(asset: Asset) -> bool:
    """Whether the engine may write this file as cheaply as the writer. Calendars may not: they
    reuse the events the writer already serialised for the portfolio's calendar (see
    ``icalendar_feed.EventWriter``), and another process would serialise them all again."""
    return not asset.path.endswith(".ics")


class _Claims:
    """Which assets are taken, shared by the writer and the process that forked it: the writer
    takes them from the front, the engine from the back once its pages are written (``share``),
    so that neither core waits on the other at the end. Each asset is written exactly once."""

    def __init__(self, ctx: Any, count: int) -> None:
        self._ends = ctx.Array("q", [0, count], lock=False)  # next from the front, end of the back
        self._lock = ctx.Lock()

    def take(self, from_back: bool, alive: Callable[[], bool] = lambda: True, floor: int = 0) -> int | None:
        """The index of an asset nobody took yet, or None when all are taken (or, from the back, all
        from ``floor`` on; or the other side died holding the lock, which ``alive`` tells)."""
        while not self._lock.acquire(timeout=0.2):
            if not alive():
                return None
        try:
            front, back = self._ends[0], self._ends[1]
            if front >= back or (from_back and back <= floor):
                return None
            if from_back:
                self._ends[1] = back - 1
                return int(back - 1)
            self._ends[0] = front + 1
            return int(front)
        finally:
            self._lock.release()


class ForkedWriter:
    """A forked child writing the files while this process renders pages. If it dies (killed, out
    of memory), ``finish`` notices within a fraction of a second instead of waiting on its pipe."""

    def __init__(self, assets: list[Asset], site_dir: str, allowed: frozenset[str]) -> None:
        ctx = multiprocessing.get_context("fork")
        own = [a for a in assets if not shareable(a)]
        self._floor = len(own)
        assets = own + [a for a in assets if shareable(a)]  # the engine's share, if any, comes from the end
        self._assets, self._site_dir, self._allowed = assets, site_dir, allowed
        self._claims = _Claims(ctx, len(assets))
        self._results, sender = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_write_quietly, daemon=True, args=(assets, site_dir, allowed, sender, self._claims)
        )
        self._process.start()
        sender.close()  # only the child writes: a dead child then reads as end of file here
        self._shared: Scanned = ({}, [])

    def share(self) -> None:
        """Write, in this process, the assets the writer has not reached yet, from the last one
        back, until the two meet; ``finish`` adds what was written here to what the writer reports.
        Stops early if the writer died (``finish`` then says so)."""
        made: set[Path] = set()
        out = Path(self._site_dir)
        while (i := self._claims.take(True, self._process.is_alive, self._floor)) is not None:
            try:
                _write_one(self._assets[i], out, self._allowed, self._shared, made)
            except Exception as exc:  # noqa: BLE001 - told as the writer's own failure is
                self.cancel()
                raise WriterFailed(f"{type(exc).__name__}: {exc}") from None
            if not self._process.is_alive():
                break

    def finish(self, timeout: float = 3600.0) -> Scanned:
        deadline = time.monotonic() + timeout
        while not self._results.poll(0.2):
            if not self._process.is_alive() or time.monotonic() > deadline:
                self._process.join(timeout=1)
                raise WriterFailed(f"the writer process stopped without finishing (exit code {self._process.exitcode})")
        try:
            scanned: Scanned = self._results.recv()
        except EOFError:
            self._process.join(timeout=1)
            raise WriterFailed(
                f"the writer process stopped without finishing (exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if self._process.exitcode != 0:
            raise WriterFailed("see the message above")
        return {**scanned[0], **self._shared[0]}, scanned[1] + self._shared[1]

    def cancel(self) -> None:
        self._process.terminate()


def _write_claimed(assets: list[Asset], site_dir: str, allowed: frozenset[str], claims: _Claims) -> Scanned:
    """The writer's part: assets from the front, until it meets what the engine took from the back."""
    scanned: Scanned = ({}, [])
    made: set[Path] = set()
    out = Path(site_dir)
    while (i := claims.take(False)) is not None:
        _write_one(assets[i], out, allowed, scanned, made)
    return scanned


def _write_quietly(assets: list[Asset], site_dir: str, allowed: frozenset[str], results: Any, claims: _Claims) -> None:
    """The forked writer: one line on failure, never a traceback; the parent sees the exit code.

    It dies with the engine that forked it: a build stopped by SIGTERM ends the engine without its
    exit handlers, and a writer left running went on filling the folder being cleaned up.

    The cyclic collector is off: the child ends soon, serialising thousands of calendars and JSON
    files makes many small objects and few cycles, and the collections cost a tenth of its time."""
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the parent was gone before the request took effect
        os._exit(1)
    gc.disable()
    try:
        results.send(_write_claimed(assets, site_dir, allowed, claims))
    except BaseException as exc:  # noqa: BLE001 - reported through the exit code
        print(f"relsite: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        os._exit(1)
    os._exit(0)


class SpawnedWriter:
    def __init__(self, releases: Path, site_dir: str, today: dt.date, site_url: str, prefix: str = "") -> None:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relsite.publish.asset_writer",
                str(releases),
                site_dir,
                today.isoformat(),
                site_url,
                prefix,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self) -> Scanned:
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            raise WriterFailed((err.strip().splitlines() or ["no message"])[-1])
        sizes, leaks = json.loads(out)
        return sizes, leaks

    def cancel(self) -> None:
        self._process.kill()
        self._process.wait()


def main(argv: list[str]) -> int:
    """The spawned writer: plan again from the files, write, print the secret findings as JSON."""
    releases, site_dir, today, site_url, prefix = argv
    folder = Path(releases)
    site, _, _ = plan_site(folder, dt.date.fromisoformat(today), site_url, prefix=prefix)
    if site is None:
        print(
            "relsite: the release files changed while the site was rebuilt; the next rebuild catches up",
            file=sys.stderr,
        )
        return 1
    print(json.dumps(write_assets(site.assets, site_dir, load_allowlist(folder, "")[0])))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # noqa: BLE001 - the parent shows the last line
        print(f"relsite: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
