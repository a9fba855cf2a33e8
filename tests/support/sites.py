"""Sites built once per session from the fixture portfolios under tests/sites/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.projects import CASES, PORTAL, SITES, build, make_project
from tests.support.workers import exclusive, shared_folder


def _built(tmp_path_factory: pytest.TempPathFactory, name: str, releases: Path) -> Path:
    """Built once per run. Under pytest-xdist the workers share it: the first to ask builds it while
    holding a lock, the others wait and read the same folder (tests only read built sites)."""
    shared = shared_folder(tmp_path_factory) / "sites"
    shared.mkdir(exist_ok=True)
    project, done = shared / name, shared / f"{name}.built"
    with exclusive(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(project, ignore_errors=True)  # a build another worker started and failed
            result = build(make_project(project, releases))
            assert result.returncode == 0, result.stdout + result.stderr
            done.touch()
    return project / "site"


@pytest.fixture(scope="session")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory, "portal", PORTAL)


@pytest.fixture(scope="session")
def support_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/support built as of TODAY: lines past their end of life, in security support, not started."""
    return _built(tmp_path_factory, "support", SITES / "support" / "releases")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory, "hostile", SITES / "hostile" / "releases")


@pytest.fixture
def foreign_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site that is not this repository: its own docs folder and name, no custom_dir, no relsite theme
    (a folder to build in, not a built site: tests build it in-process)."""
    monkeypatch.delenv("RELSITE_TODAY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our handbook\n\nNothing about releases here.\n")
    shutil.copytree(CASES / "valid-minimal" / "releases", tmp_path / "releases")
    return tmp_path
