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
import json
import multiprocessing
import os
import subprocess
import sys
import time
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
    out = Path(site_dir)
    leaks: list[str] = []
    sizes: dict[str, int] = {}
    for asset in assets:
        data = asset.render()
        leaks += relsite_findings(asset.path, data.decode("utf-8", errors="replace"), allowed)
        sizes[asset.path] = len(data)
        target = out / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sizes, leaks


class ForkedWriter:
    """A forked child writing the files while this process renders pages. If it dies (killed, out
    of memory), ``finish`` notices within a fraction of a second instead of waiting on its pipe."""

    def __init__(self, assets: list[Asset], site_dir: str, allowed: frozenset[str]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._results, sender = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_write_quietly, daemon=True, args=(assets, site_dir, allowed, sender))
        self._process.start()
        sender.close()  # only the child writes: a dead child then reads as end of file here

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
        return scanned

    def cancel(self) -> None:
        self._process.terminate()


def _write_quietly(assets: list[Asset], site_dir: str, allowed: frozenset[str], results: Any) -> None:
    """The forked writer: one line on failure, never a traceback; the parent sees the exit code.

    It dies with the engine that forked it: a build stopped by SIGTERM ends the engine without its
    exit handlers, and a writer left running went on filling the folder being cleaned up."""
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the parent was gone before the request took effect
        os._exit(1)
    try:
        results.send(write_assets(assets, site_dir, allowed))
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
