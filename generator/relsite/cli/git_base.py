"""The releases folder as it was at a git revision, for `relsite diff`.

Read with `git archive` (works in a shallow CI checkout once the base ref is fetched) into a
temporary folder, so that both sides are validated by the same code.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def base_folder(ref: str, folder: Path, into: Path) -> tuple[Path, list[str]]:
    """Extract ``folder`` as it was at ``ref`` under ``into``: the extracted folder, and the links
    that were left out (a base revision may hold symbolic links, which are never followed)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], folder).decode().strip())
    rel = folder.resolve().relative_to(top.resolve()).as_posix()
    _git(["rev-parse", "--verify", f"{ref}^{{commit}}"], top)
    listing = _git(["ls-tree", "-d", "--name-only", ref, "--", rel], top).decode().strip()
    target = into / rel
    target.mkdir(parents=True, exist_ok=True)
    skipped: list[str] = []

    def no_links(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        if member.issym() or member.islnk():
            skipped.append(member.name)
            return None
        return tarfile.data_filter(member, path)

    if listing:
        data = _git(["archive", "--format=tar", ref, "--", rel], top)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(into, filter=no_links)
    return target, skipped
