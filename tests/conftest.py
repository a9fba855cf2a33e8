"""The tests' shared parts live in tests/support/ by job; this file registers the lanes' markers and
re-exports the helpers and fixtures, so that ``from .conftest import make_project`` keeps working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import lanes, workers
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, browser, page, serve, served_portal, sized
from tests.support.projects import (
    BASE_PORTFOLIO,
    CASES,
    PORTAL,
    PROJECT,
    ROOT,
    SITES,
    TODAY,
    build,
    clean_env,
    commit_all,
    copy_case,
    free_port,
    make_project,
    relsite,
    soup,
    tree_hashes,
)
from tests.support.sites import foreign_site, hostile_site, portal_site, support_site

__all__ = [
    "BASE_PORTFOLIO",
    "CASES",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PORTAL",
    "PROJECT",
    "ROOT",
    "SITES",
    "TODAY",
    "browser",
    "build",
    "clean_env",
    "commit_all",
    "copy_case",
    "foreign_site",
    "free_port",
    "hostile_site",
    "make_project",
    "page",
    "portal_site",
    "relsite",
    "serve",
    "served_portal",
    "sized",
    "soup",
    "support_site",
    "tree_hashes",
]


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in lanes.MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    lanes.mark_by_fixtures(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    lanes.enter(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """A test that leaves a fork of the test process running fails (see workers.stop_leftover_forks)."""
    yield
    leftover = workers.stop_leftover_forks()
    if leftover:
        pytest.fail(f"the test left forked processes running (killed now): {leftover}", pytrace=False)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test with the working directory in a fresh temporary folder."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
