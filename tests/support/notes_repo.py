"""Small git repositories for the note importers' tests: commits, tags, deletions, as a project's
history has them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

NOTES = Path(__file__).resolve().parent.parent / "notes"
"""Real fragments and notes from public projects (see notes/README.md)."""

_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock = 1_700_000_000
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            **_ENV,
            "GIT_AUTHOR_DATE": f"{self.clock} +0000",
            "GIT_COMMITTER_DATE": f"{self.clock} +0000",
        }
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


def notes_project(dest: Path) -> Path:
    """A project (site shell, the portfolio in ``notes/portfolio``) beside a monorepo ``mono`` holding both
    services' notes: shop 1.0.0 (pip's fragments), shop 1.1.0 with billing 4.2.0 as one coordinated
    change (a hostile fragment, nova's reno notes, a commit both releases share), and a draft."""
    from tests.support.projects import make_project

    project = make_project(dest, NOTES / "portfolio" / "releases")
    repo = Repo(project / "mono")
    repo.copy("towncrier-pip/pyproject.toml", "pyproject.toml")
    repo.copy("towncrier-pip/news/10002.feature.rst", "news/10002.feature.rst")
    repo.copy("towncrier-pip/news/10117.removal.rst", "news/10117.removal.rst")
    repo.commit("feat(checkout): pay by invoice (#41)")
    repo.remove("news/10002.feature.rst", "news/10117.removal.rst")
    repo.commit("Release 1.0.0")
    repo.tag("v1.0.0")
    repo.copy("hostile/666.bugfix.md", "news/666.bugfix.md")
    repo.copy(
        "reno-nova/add-cpu-weigher-2e982c9f9751d631.yaml", "releasenotes/notes/add-cpu-weigher-2e982c9f9751d631.yaml"
    )
    repo.commit(
        "fix(tax)!: store tax numbers in both services (#77)\n\nBREAKING CHANGE: the invoice API returns `tax_number`."
    )
    repo.tag("v1.1.0")
    repo.tag("billing-4.2.0")
    repo.write("news/900.feature.md", "Invoices in **PDF**.\n")
    repo.commit("docs: pending")
    return project
