"""Fixture portfolios are folders of small YAML files copied into a temporary project; commands run
on them in-process (``relsite``) or as a user runs them (``build``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from relsite.cli import main
from tests.support.lanes import require_marker

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
CASES = TESTS / "cases"
PROJECT = TESTS / "project"
"""The site shell (mkdocs.yml, content/) that test portfolios are built in."""
BASE_PORTFOLIO = CASES / "_base" / "portfolio.yaml"
TODAY = "2026-11-27"
SITES = TESTS / "sites"
PORTAL = SITES / "portal" / "releases"
"""The fixture portfolio most page tests read: twenty releases of a fictional company around TODAY."""


def copy_case(name: str, dest: Path) -> Path:
    shutil.copytree(CASES / name / "releases", dest / "releases")
    return dest / "releases"


def commit_all(repo: Path, message: str = "releases") -> None:
    """Make ``repo`` a git repository with everything in it committed (for diff and pre-commit)."""
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", message]):
        subprocess.run(git + args, cwd=repo, check=True)


def relsite(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RELSITE_TODAY", "SOURCE_DATE_EPOCH")}
    env.update(extra)
    return env


def make_project(dest: Path, releases: Path) -> Path:
    """A project folder (the test site shell: mkdocs.yml and content/) around a copy of ``releases``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(PROJECT / "content", dest / "content")
    shutil.copytree(releases, dest / "releases")
    return dest


def build(project: Path, *args: str, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    """``relsite build`` as a user runs it. Only tests marked ``site`` may call it (see lanes.py)."""
    require_marker("site", "builds a site")
    return subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", today, *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def free_port() -> int:
    """A port nothing listens on now (for a command that must find its port taken, prefer a bound socket)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
