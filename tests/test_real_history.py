"""A real release history in relsite's format: CPython's, converted from the shape python/peps
publishes (tools/python_releases.py). The sample holds a few entries written for this test; the
full 25-year file builds the same way (see the closing note of this round)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SITES, TODAY, clean_env, make_project, soup

pytestmark = pytest.mark.site

SAMPLE = SITES / "python-releases" / "sample.toml"


@pytest.fixture
def converted(tmp_path: Path) -> Path:
    out = tmp_path / "releases"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "python_releases.py"), str(SAMPLE), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _validate(releases: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relsite", "validate", "--strict", str(releases)],
        capture_output=True,
        text=True,
        env=clean_env(),
    )


def test_the_converted_history_validates_without_errors_or_warnings(converted: Path) -> None:
    result = _validate(converted)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "checked 13 files: no problems\n"


def test_branches_released_on_one_day_by_one_team_are_not_clashes(converted: Path) -> None:
    release = converted / "python-3.11.11.yaml"
    release.write_text(release.read_text().replace('owner: "Python release team"', 'owner: "Another team"'))
    result = _validate(converted)
    assert result.returncode == 1 and "window overlaps python-3.11.11" in result.stdout  # the check is live


def test_the_converted_history_builds_with_every_release_page(converted: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", converted)
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for version in ("3.12.0", "3.12.4", "3.13.0", "3.13.1", "3.11.11", "3.11.99", "3.9.25", "3.15.0"):
        assert (project / "site" / "releases" / f"python-{version}" / "index.html").is_file()
    services = soup(project / "site" / "services" / "index.html").get_text()
    assert "Python" in services and "5 of 7 lines supported" in services
    attention = soup(project / "site" / "attention" / "index.html").select('table[data-rs="attention"] tbody tr')
    assert [row.td.a.get_text() for row in attention] == ["python-3.15.0"]  # expected on 1 Oct 2026, not yet recorded


def test_the_published_support_dates_say_what_is_supported_on_27_november_2026(converted: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", converted)
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", "2026-11-27"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = json.loads((project / "site/api/v1/support.json").read_text())["services"][0]["lines"]
    by_phase: dict[str, list[str]] = {}
    for line in lines:
        by_phase.setdefault(line["today"]["phase"], []).append(line["version"])
    assert by_phase == {
        "active": ["3.15", "3.14"],
        "security": ["3.13", "3.12", "3.11"],
        "end_of_life": ["3.10", "3.9"],
    }
    support = soup(project / "site/support/index.html")
    assert [
        tr.th.get_text(strip=True)
        for tr in support.select("#supported + table tbody tr, h2#supported ~ div table tbody tr")
    ][:5] == ["Python 3.15", "Python 3.14", "Python 3.13", "Python 3.12", "Python 3.11"]
