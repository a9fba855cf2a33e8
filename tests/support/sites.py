"""Sites built once per session from the fixture portfolios under tests/sites/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.projects import PORTAL, SITES, build, make_project


def _built(tmp_path_factory: pytest.TempPathFactory, name: str, releases: Path) -> Path:
    project = make_project(tmp_path_factory.mktemp(name), releases)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
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
