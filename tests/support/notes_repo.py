"""Small git repositories for the note importers' tests: commits, tags, deletions, as a project's
history has them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

NOTES = Path(__file__).resolve().parent.parent / "notes"
"""Real fragments and notes from public projects (see notes/README.md)."""

_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com"}


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock = 1_700_000_000
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **_ENV, "GIT_AUTHOR_DATE": f"{self.clock} +0000", "GIT_COMMITTER_DATE": f"{self.clock} +0000"}
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True, env=env).stdout

    def write(self, path: str, text: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")

    def copy(self, fixture: str, path: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTES / fixture, target)

    def commit(self, message: str, *paths: str) -> None:
        self.clock += 60
        self.git("add", "-A", *paths)
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def remove(self, *paths: str) -> None:
        self.git("rm", "-q", *paths)

    def tag(self, name: str) -> None:
        self.git("tag", name)
