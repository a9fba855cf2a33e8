"""Portfolio values reaching the generated files. A quoted value may hold a line break (the loader
lets ``\\n`` and ``\\r\\n`` through in double quotes): every calendar escapes it, so it can neither end
a property and start an event of its own, nor crash the build validate let through. A name never
makes one generated file replace another (the endoflife.date API's ``products/full/``)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from relsite.plan import urls
from relsite.plan.icalendar_feed import EventWriter
from relsite.validate.rules import portfolio_yaml

from .conftest import build, clean_env, copy_case, make_project

INJECTION = "Base\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:INJECTED\r\nDTSTART:20261201T000000Z"


def test_a_calendar_name_with_a_line_break_is_escaped_not_a_crash() -> None:
    ics = EventWriter(dt.datetime(2026, 11, 27, tzinfo=dt.UTC)).calendar(f"REL-1 {INJECTION}", [])
    assert b"\r\nSUMMARY:INJECTED" not in ics
    parsed = icalendar.Calendar.from_ical(ics)
    assert parsed.walk("VEVENT") == [] and "INJECTED" in str(parsed["x-wr-calname"])


@pytest.mark.site
def test_a_release_title_with_a_line_break_builds_and_every_calendar_keeps_one_event_per_window(tmp_path: Path) -> None:
    releases = copy_case("valid-minimal", tmp_path / "src")
    rel = releases / "REL-1.yaml"
    rel.write_text(
        rel.read_text().replace(
            "title: Base release", 'title: "' + INJECTION.replace("\r", "\\r").replace("\n", "\\n") + '"'
        )
    )
    project = make_project(tmp_path / "project", releases)
    result = build(project)
    assert result.returncode == 0, result.stderr
    calendars = list((project / "site").rglob("*.ics"))
    assert calendars
    for path in calendars:
        ics = path.read_bytes()
        assert b"\nSUMMARY:INJECTED" not in ics and b"\nDTSTART:20261201T000000Z" not in ics, path
        icalendar.Calendar.from_ical(ics)


FULL_PORTFOLIO = """name: Org
timezone: UTC
environments:
  - {name: prod, production: true}
services:
  - {name: shop, lines: [{version: "2.0", phases: {active: 2026-01-01, end_of_life: 2027-06-01}}]}
  - {name: full, lines: [{version: "1.0", phases: {active: 2026-01-01, end_of_life: 2027-06-01}}]}
"""


def test_a_service_with_support_lines_may_not_take_the_name_of_the_eol_apis_full_listing(tmp_path: Path) -> None:
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "portfolio.yaml").write_text(FULL_PORTFOLIO)
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(
        "releases/portfolio.yaml:7:12: error: the service name 'full' is taken by a generated file "
        "(api/eol/v1/products/full/"
    )


def test_the_reserved_product_names_of_validate_are_the_eol_listings_of_the_url_map() -> None:
    assert frozenset({urls.EOL_FULL_LISTING}) == portfolio_yaml.RESERVED_PRODUCT_NAMES
