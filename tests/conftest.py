"""Shared helpers: fixture portfolios are folders of small YAML files copied into a temporary project."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from relsite.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
PROJECT = Path(__file__).resolve().parent / "project"
"""The site shell (mkdocs.yml, content/) that test portfolios are built in."""
BASE_PORTFOLIO = CASES / "_base" / "portfolio.yaml"


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test with the working directory in a fresh temporary folder."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


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


# --- building real sites ------------------------------------------------------------------------

import sys

from bs4 import BeautifulSoup

TODAY = "2026-11-27"
SITES = Path(__file__).resolve().parent / "sites"
PORTAL = SITES / "portal" / "releases"
"""The fixture portfolio most page tests read: twenty releases of a fictional company around TODAY."""


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
    return subprocess.run([sys.executable, "-m", "relsite", "build", "--today", today, *args], cwd=project,
                          capture_output=True, text=True, env=clean_env(), timeout=300)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("portal"), PORTAL)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def support_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/support built as of TODAY: lines past their end of life, in security support, not started."""
    project = make_project(tmp_path_factory.mktemp("support"), SITES / "support" / "releases")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"), SITES / "hostile" / "releases")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


# --- a real browser -----------------------------------------------------------------------------

import functools
import http.server
import threading

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_portal(portal_site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(portal_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; no browser download. Missing Chromium is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium); .ci/run does"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    pg = context.new_page()
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests
    try:
        yield pg
    finally:
        context.close()
