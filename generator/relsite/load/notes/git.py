"""The few questions note importers ask git, asked with fixed arguments and bounded answers.

git runs as a subprocess without a shell; every path it is given is a literal pathspec inside the
repository, and every answer is capped, so a hostile repository (millions of commits, huge blobs,
odd file names) costs a bounded amount of time and memory. Symbolic links and submodules are
never read: their mode says what they are before anything is fetched.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from relsite.load.notes.items import MAX_FRAGMENT_BYTES

MAX_OUTPUT = 32 * 1024 * 1024
MAX_COMMITS = 2000
"""Commits read per range: far above a release's worth, far below harm."""
TIMEOUT = 60
REGULAR_MODES = {"100644", "100755"}


class GitError(Exception):
    """git is missing, failed, or answered more than the bound."""


@dataclass(frozen=True)
class Added:
    """A file added in a range, and the blob to read: its content at the last commit in the range
    where it existed (towncrier and changesets delete fragments when they release)."""

    path: str
    blob: str
    commit: str
    regular: bool


@dataclass(frozen=True)
class Commit:
    sha: str
    message: str


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
        try:
            # core.fsmonitor names a program git would run on reading the index: never from a repository's config.
            proc = subprocess.run(
                ["git", "-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "--no-pager", *args],
                cwd=self.root,
                input=stdin,
                capture_output=True,
                check=False,
                timeout=TIMEOUT,
                env=env,
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} took longer than {TIMEOUT} s") from None
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode("utf-8", "replace").strip()[:500] or f"git {args[0]} failed")
        if len(proc.stdout) > MAX_OUTPUT:
            raise GitError(f"git {args[0]} answered more than {MAX_OUTPUT:,} bytes")
        return proc.stdout

    def is_repository(self) -> bool:
        try:
            top = self.run("rev-parse", "--show-toplevel").decode("utf-8", "replace").strip()
        except GitError:
            return False
        return Path(top).resolve() == self.root.resolve()

    def tags(self) -> dict[str, tuple[str, int]]:
        """Every tag that points at a commit (directly or through an annotated tag): its commit and
        the commit's time. One call, whatever the number of releases."""
        out = self.run(
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(committerdate:unix)"
            "%00%(*objecttype)%00%(*objectname)%00%(*committerdate:unix)",
        )
        found: dict[str, tuple[str, int]] = {}
        for line in out.decode("utf-8", "surrogateescape").splitlines():
            name, kind, sha, when, peeled_kind, peeled, peeled_when = (line.split("\0") + [""] * 7)[:7]
            if kind == "commit":
                found[name] = (sha, int(when or 0))
            elif peeled_kind == "commit":
                found[name] = (peeled, int(peeled_when or 0))
        return found

    def is_ancestor(self, older: str, newer: str) -> bool:
        try:
            self.run("merge-base", "--is-ancestor", older, newer)
        except GitError:
            return False
        return True

    def added(self, start: str | None, end: str, dirs: list[str]) -> list[Added]:
        """Files under ``dirs`` added in ``start..end`` (everything up to ``end`` without a start)."""
        if not dirs:
            return []
        rng = f"{start}..{end}" if start else end
        out = self.run(
            "log",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--no-merges",
            f"--max-count={MAX_COMMITS}",
            "--format=%x1e%H",
            rng,
            "--",
            *(f":(literal){d}" for d in dirs),
        )
        newest: dict[str, Added] = {}
        was_added: set[str] = set()
        for chunk in out.decode("utf-8", "surrogateescape").split("\x1e")[1:]:
            tokens = chunk.split("\0")
            sha = tokens[0].strip()
            for meta, path in zip(tokens[1::2], tokens[2::2], strict=False):
                fields = meta.strip().lstrip(":").split()
                if len(fields) < 5:
                    continue
                old_mode, new_mode, old_blob, new_blob, status = fields[:5]
                if status.startswith("A"):
                    was_added.add(path)
                if path not in newest:  # log lists the newest commit first
                    deleted = status.startswith("D")
                    mode, blob = (old_mode, old_blob) if deleted else (new_mode, new_blob)
                    newest[path] = Added(path, blob, sha, mode in REGULAR_MODES)
        return [a for p, a in sorted(newest.items()) if p in was_added]

    def blobs(self, shas: list[str]) -> dict[str, bytes | int]:
        """Contents by blob id; a blob over the bound comes back as its size (never read)."""
        if not shas:
            return {}
        wanted = sorted(set(shas))
        sizes: dict[str, int] = {}
        for line in (
            self.run("cat-file", "--batch-check", stdin="".join(f"{s}\n" for s in wanted).encode())
            .decode()
            .splitlines()
        ):
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob":
                sizes[parts[0]] = int(parts[2])
        result: dict[str, bytes | int] = {s: n for s, n in sizes.items() if n > MAX_FRAGMENT_BYTES}
        small = [s for s, n in sizes.items() if n <= MAX_FRAGMENT_BYTES]
        if small:
            out = self.run("cat-file", "--batch", stdin="".join(f"{s}\n" for s in small).encode())
            pos = 0
            for sha in small:
                header_end = out.index(b"\n", pos)
                size = int(out[pos:header_end].split()[2])
                result[sha] = out[header_end + 1 : header_end + 1 + size]
                pos = header_end + 1 + size + 1
        return result

    def commits(self, start: str | None, end: str) -> list[Commit]:
        rng = f"{start}..{end}" if start else end
        out = self.run("log", "--no-merges", f"--max-count={MAX_COMMITS}", "--format=%x1e%H%x1f%B", rng, "--")
        found = []
        for chunk in out.decode("utf-8", "replace").split("\x1e")[1:]:
            sha, _, message = chunk.partition("\x1f")
            found.append(Commit(sha.strip(), message.strip("\n")))
        return found

    def untracked(self, dirs: list[str]) -> list[str]:
        if not dirs:
            return []
        out = self.run("ls-files", "-z", "--others", "--exclude-standard", "--", *(f":(literal){d}" for d in dirs))
        return sorted(p for p in out.decode("utf-8", "surrogateescape").split("\0") if p)
