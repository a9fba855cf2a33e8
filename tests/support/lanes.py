"""The test lanes. Markers name what makes a test slow: ``site`` (builds or serves a site, runs an
engine), ``browser`` (drives Chromium), ``slow`` (generative or external tools that take seconds),
``index`` (needs the package index). The fast lane runs what has none of them:

    .venv/bin/python -m pytest -m "not site and not browser and not slow and not index"

Tests that use a built-site or browser fixture are marked from their fixtures; a test that builds a
site by hand must say so, and ``build()`` fails a test that does not, so the fast lane cannot
quietly grow a build. A test about what a command writes or prints runs it in-process
(``commands.run_relsite``): a child interpreter costs half a second before relsite starts.
"""

from __future__ import annotations

import pytest

MARKERS = {
    "site": "builds or serves a site, or runs an engine",
    "browser": "drives a real Chromium",
    "slow": "generative or external-tool tests that take seconds",
    "index": "needs the package index (installs packages)",
}
SITE_FIXTURES = frozenset({"served_portal"})
BROWSER_FIXTURES = frozenset({"browser", "page", "sized"})
_current: list[pytest.Item] = []


def mark_by_fixtures(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & SITE_FIXTURES or any(n == "site" or n.endswith("_site") for n in names) or names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.site)


def enter(item: pytest.Item) -> None:
    _current[:] = [item]


def require_marker(name: str, what: str) -> None:
    """Fail the running test if it does ``what`` without carrying marker ``name``."""
    if _current and _current[0].get_closest_marker(name) is None:
        pytest.fail(
            f"this test {what}: mark it @pytest.mark.{name} (or the module: pytestmark = pytest.mark.{name})",
            pytrace=False,
        )
