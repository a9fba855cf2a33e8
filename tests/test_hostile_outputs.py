"""Text from YAML reaching the calendars: a quoted value may hold a line break (the loader lets
``\\n`` and ``\\r\\n`` through in double quotes); every calendar escapes it, so it can neither end a
property and start an event of its own, nor crash the build that validate let through."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from relsite.plan.icalendar_feed import EventWriter

from .conftest import build, copy_case, make_project

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
    rel.write_text(rel.read_text().replace("title: Base release", 'title: "' + INJECTION.replace("\r", "\\r").replace("\n", "\\n") + '"'))
    project = make_project(tmp_path / "project", releases)
    result = build(project)
    assert result.returncode == 0, result.stderr
    calendars = list((project / "site").rglob("*.ics"))
    assert calendars
    for path in calendars:
        ics = path.read_bytes()
        assert b"\nSUMMARY:INJECTED" not in ics and b"\nDTSTART:20261201T000000Z" not in ics, path
        icalendar.Calendar.from_ical(ics)
