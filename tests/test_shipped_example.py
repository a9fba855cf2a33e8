"""The repository's own site (mkdocs.yml, content/, releases/) as a team keeps it.

Checked the way a team's CI checks it, and nothing more: whatever portfolio `releases/` holds, it
must validate without errors and build. Assertions about particular releases belong to the
fixtures under tests/sites/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TODAY, clean_env

pytestmark = pytest.mark.site


def test_the_shipped_portfolio_validates_without_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "validate", "releases"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_shipped_site_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY, "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").is_file() and (site / "releases" / "index.html").is_file()
    assert (site / "calendar" / "releases.ics").is_file() and (site / "api" / "v1" / "releases.json").is_file()
