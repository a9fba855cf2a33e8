"""Atomic publication of a built site.

A failed or interrupted build must leave the previous site untouched: MkDocs builds into a fresh
folder next to the target, which replaces the old site only after the build succeeded. Which
folders may be replaced at all is ``output_folder``'s to say.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from relsite.publish.output_folder import BUILDING_MARKER, check_site_dir, is_relsite_output, mark
from relsite.validate.allowlist import load_allowlist
from relsite.validate.secrets import scan_site


class SecretsInSite(Exception):
    """The built site contains something shaped like a credential: it is not published."""

    def __init__(self, findings: list[str]) -> None:
        super().__init__("the built site contains what looks like credentials; nothing was published:\n"
                         + "\n".join(f"  {f}" for f in findings))
        self.findings = findings


@contextlib.contextmanager
def _exclusive(site_dir: Path) -> Iterator[None]:
    """One build at a time beside a site folder: a second build waits for the first instead of
    interleaving with it. The lock is taken on the folder that holds the site, so that nothing is
    left behind and no lock file appears in the project."""
    fd = os.open(site_dir.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"relsite: another build is writing beside {site_dir}; waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _tidy_leftovers(site_dir: Path, previous: Path) -> None:
    """What an interrupted build left beside the site, cleaned up (only folders relsite marked).

    A build killed between moving the old site aside and moving the new one in leaves no site
    but a previous one: it is put back first."""
    if previous.is_dir() and is_relsite_output(previous):
        if not site_dir.exists():
            previous.rename(site_dir)
        else:
            shutil.rmtree(previous)
    for leftover in site_dir.parent.glob(f".{site_dir.name}-building-*"):
        if leftover.is_dir() and not leftover.is_symlink() and is_relsite_output(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def build_atomically(config_file: Path, site_dir: Path, strict: bool = False) -> None:
    """Build with MkDocs into a temporary sibling of ``site_dir`` and swap it in on success.

    Refuses (UnsafeSiteDir) before touching anything when the folder is not relsite's to replace;
    waits while another build writes beside it. Raises whatever MkDocs raises; the previous site is
    untouched in that case, and so it is when the process is interrupted or killed.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = Path(os.path.abspath(site_dir))
    project = config_file.resolve().parent
    config = load_config(str(config_file), strict=strict)
    plugin = config.plugins.get("relsite")
    releases = project / str(getattr(getattr(plugin, "config", None), "releases", "releases"))
    check_site_dir(site_dir, project, Path(config.docs_dir), releases)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = site_dir.parent / f".{site_dir.name}-previous"
    with _exclusive(site_dir):
        _tidy_leftovers(site_dir, previous)
        tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
        try:
            mark(tmp, building=True)
            config["site_dir"] = str(tmp)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
            folder = getattr(plugin, "releases_dir", None)
            allowed = load_allowlist(folder, "")[0] if isinstance(folder, Path) else frozenset()
            # Pages and generated files were scanned as they were written; sweep up everything else
            # (hand-written pages' assets, the theme, the search index).
            leaks = list(getattr(plugin, "leaks", [])) + scan_site(tmp, allowed, frozenset(getattr(plugin, "scanned", ())))
            if leaks:
                raise SecretsInSite(sorted(set(leaks)))
            (tmp / BUILDING_MARKER).unlink()
            mark(tmp)
            if site_dir.exists():
                site_dir.rename(previous)
            try:
                tmp.rename(site_dir)
            except BaseException:
                if previous.exists() and not site_dir.exists():
                    previous.rename(site_dir)
                raise
            shutil.rmtree(previous, ignore_errors=True)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
