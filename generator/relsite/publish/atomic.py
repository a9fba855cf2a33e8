"""Atomic publication of a built site.

A failed or interrupted build must leave the previous site untouched: MkDocs builds into a fresh
folder next to the target, which replaces the old site only after the build succeeded.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from relsite.validate.allowlist import load_allowlist
from relsite.validate.secrets import scan_site


class SecretsInSite(Exception):
    """The built site contains something shaped like a credential: it is not published."""

    def __init__(self, findings: list[str]) -> None:
        super().__init__("the built site contains what looks like credentials; nothing was published:\n"
                         + "\n".join(f"  {f}" for f in findings))
        self.findings = findings


def build_atomically(config_file: Path, site_dir: Path, strict: bool = False) -> None:
    """Build with MkDocs into a temporary sibling of ``site_dir`` and swap it in on success.

    Raises whatever MkDocs raises; the previous site is untouched in that case.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    old = site_dir.parent / f".{site_dir.name}-previous"
    try:
        config = load_config(str(config_file), site_dir=str(tmp), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        plugin = config.plugins.get("relsite")
        folder = getattr(plugin, "releases_dir", None)
        allowed = load_allowlist(folder, "")[0] if isinstance(folder, Path) else frozenset()
        # Pages and generated files were scanned as they were written; sweep up everything else
        # (hand-written pages' assets, the theme, the search index).
        leaks = list(getattr(plugin, "leaks", [])) + scan_site(tmp, allowed, frozenset(getattr(plugin, "scanned", ())))
        if leaks:
            raise SecretsInSite(sorted(set(leaks)))
        if old.exists():
            shutil.rmtree(old)
        if site_dir.exists():
            site_dir.rename(old)
        try:
            tmp.rename(site_dir)
        except BaseException:
            if old.exists() and not site_dir.exists():
                old.rename(site_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
