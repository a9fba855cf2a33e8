"""Support lines in the format: which versions a line covers, where it stands on a day, and how
`relsite new` keeps a new release inside a declared line. (The rules' messages are golden cases
under tests/cases/support-*.)"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from relsite.validate.models import ServiceDef, ServiceLine
from relsite.validate.support_phases import line_of, phase_on, prefix_of

from .conftest import ROOT, SITES
from .support.commands import run_relsite


def _service(*versions: str | None) -> ServiceDef:
    lines = [
        ServiceLine.model_validate({"version": v, "phases": {"active": dt.date(2025, 1, 1)}})
        if v
        else ServiceLine.model_validate({"phases": {"active": dt.date(2025, 1, 1)}})
        for v in versions
    ]
    return ServiceDef(name="svc", lines=lines)


@pytest.mark.parametrize(
    ("declared", "prefix"),
    [("3.12", "3.12"), ("4.x", "4"), ("4.2.X", "4.2"), ("4.*", "4"), ("v2.x", "2"), (None, ""), ("2024.04", "2024.04")],
)
def test_a_line_version_becomes_the_prefix_it_covers(declared: str | None, prefix: str) -> None:
    assert prefix_of(declared) == prefix


@pytest.mark.parametrize(
    ("version", "prefix", "inside"),
    [
        ("3.12", "3.12", True),
        ("3.12.4", "3.12", True),
        ("3.12.4-hotfix", "3.12", True),
        ("v3.12.1", "3.12", True),
        ("3.120", "3.12", False),
        ("3.1", "3.12", False),
        ("3.10.2", "3.1", False),
        ("4.2.0", "4", True),
        ("anything", "", True),
    ],
)
def test_a_version_is_inside_a_line_only_at_a_separator(version: str, prefix: str, inside: bool) -> None:
    assert (line_of(_service(prefix or None), version) is not None) is inside


def test_the_longest_matching_line_wins() -> None:
    line = line_of(_service("4.x", "4.2"), "4.2.7")
    assert line is not None and line.version == "4.2"


def test_a_version_outside_every_line_has_no_line() -> None:
    assert line_of(_service("3.12", "3.13"), "3.14.0") is None


LINE = ServiceLine.model_validate(
    {
        "version": "2.x",
        "phases": {
            "preview": dt.date(2025, 1, 1),
            "active": dt.date(2025, 3, 1),
            "security": dt.date(2026, 3, 1),
            "end_of_life": dt.date(2027, 3, 1),
        },
    }
)


@pytest.mark.parametrize(
    ("day", "phase", "until"),
    [
        (dt.date(2024, 12, 31), "not_started", dt.date(2025, 1, 1)),
        (dt.date(2025, 1, 1), "preview", dt.date(2025, 3, 1)),
        (dt.date(2026, 2, 28), "active", dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), "security", dt.date(2027, 3, 1)),
        (dt.date(2027, 3, 1), "end_of_life", None),
    ],
)
def test_a_line_is_in_the_latest_phase_that_has_started(day: dt.date, phase: str, until: dt.date | None) -> None:
    now = phase_on(LINE, day)
    assert (now.phase, now.until) == (phase, until)


def test_only_active_security_and_extended_count_as_supported() -> None:
    supported = {
        day: phase_on(LINE, day).supported
        for day in (dt.date(2025, 2, 1), dt.date(2025, 6, 1), dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    }
    assert list(supported.values()) == [False, True, True, False]


# --- relsite new -----------------------------------------------------------------------------------


def _new(project: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_relsite(
        "new",
        "--service",
        "shop",
        "--type",
        "minor",
        "--title",
        "Shop",
        "--prod-date",
        "2027-03-01",
        *args,
        cwd=project,
        input=input,
    )


@pytest.fixture
def support_project(tmp_path: Path) -> Path:
    shutil.copytree(SITES / "support" / "releases", tmp_path / "releases")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def test_new_refuses_a_version_outside_the_services_lines(support_project: Path) -> None:
    result = _new(support_project, "--version", "9.0.0")
    assert result.returncode == 2
    assert "9.0.0 is in none of the support lines of shop (3.x, 2.x, 1.x)" in result.stderr
    assert sorted(p.name for p in (support_project / "releases").iterdir()) == sorted(
        p.name for p in (SITES / "support" / "releases").iterdir()
    )


def test_new_asks_again_until_the_version_is_in_a_line(support_project: Path) -> None:
    result = _new(support_project, input="9.0.0\n2.2.0\n")
    assert result.returncode == 0, result.stderr
    assert (
        "Version (support lines: 3.x, 2.x, 1.x)" in result.stdout
        and "9.0.0 is in none of the support lines" in result.stdout
    )


def test_new_names_the_line_and_its_phases_next_to_the_version(support_project: Path) -> None:
    result = _new(support_project, "--version", "2.2.0")
    assert result.returncode == 0, result.stderr
    written = next(p for p in (support_project / "releases").glob("REL-*.yaml"))
    assert (
        'version: "2.2.0"   # support line 2.x: preview from 2024-10-01, active from 2025-01-01, '
        "security from 2026-06-01, end_of_life from 2027-12-01"
    ) in written.read_text()
