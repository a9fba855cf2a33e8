"""Calendars, the JSON API and the Atom feed, parsed back with real parsers (icalendar, jsonschema, feedparser)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
from icalendar import Calendar

from relsite.plan import plan
from relsite.plan.site import Site
from relsite.validate.checker import check_folder as validate

from .conftest import PORTAL, SITES

UTC = dt.UTC


def _ics(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def _events(cal: Calendar) -> list:  # type: ignore[type-arg]
    return list(cal.walk("VEVENT"))


def _planned(folder: Path, today: str = "2026-11-27") -> Site:
    result = validate(folder)
    assert result.portfolio is not None and not result.errors, result.problems
    return plan(result.portfolio, dt.date.fromisoformat(today))


def _asset(site: Site, path: str) -> bytes:
    return next(a.content for a in site.assets if a.path == path)


def test_all_releases_calendar_holds_every_event_once(portal_site: Path) -> None:
    events = _events(_ics(portal_site / "calendar/releases.ics"))
    kinds = [str(e["categories"].cats[0]) for e in events]
    portfolio = validate(PORTAL).portfolio
    assert portfolio is not None
    assert kinds.count("window") == sum(1 for r in portfolio.releases for d in r.environments.values() if d.window)
    assert kinds.count("cab") == 15 and kinds.count("freeze") == 2
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_windows_are_written_in_utc(portal_site: Path) -> None:
    events = {str(e["uid"]): e for e in _events(_ics(portal_site / "releases/REL-2026-014/release.ics"))}
    prod = events["REL-2026-014.prod.window@relsite"]
    assert prod["dtstart"].dt == dt.datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
    assert prod["dtend"].dt == dt.datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
    naive_in_berlin = events["REL-2026-014.staging.window@relsite"]
    assert naive_in_berlin["dtstart"].dt == dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert b"DTSTART:20261202T210000Z" in (portal_site / "releases/REL-2026-014/release.ics").read_bytes()


def test_a_release_calendar_has_its_windows_milestones_and_early_life_support(portal_site: Path) -> None:
    kinds = sorted(
        str(e["categories"].cats[0]) for e in _events(_ics(portal_site / "releases/REL-2026-014/release.ics"))
    )
    assert kinds == ["els", "milestone", "milestone", "milestone", "window", "window", "window", "window"]


def test_all_day_events_use_dates_with_an_exclusive_end(portal_site: Path) -> None:
    events = {str(e["uid"]): e for e in _events(_ics(portal_site / "calendar/prod.ics"))}
    freeze = events["freeze.year-end-freeze.2026-12-18@relsite"]
    assert freeze["dtstart"].dt == dt.date(2026, 12, 18) and freeze["dtend"].dt == dt.date(2027, 1, 5)
    assert b"DTSTART;VALUE=DATE:20261218" in (portal_site / "calendar/prod.ics").read_bytes()


def test_environment_calendar_has_only_its_windows_and_its_freezes(portal_site: Path) -> None:
    events = _events(_ics(portal_site / "calendar/prod.ics"))
    assert {str(e["location"]) for e in events if "location" in e} == {"Production"}
    assert sum(str(e["categories"].cats[0]) == "freeze" for e in events) == 2
    test_freezes = [
        e for e in _events(_ics(portal_site / "calendar/test.ics")) if str(e["categories"].cats[0]) == "freeze"
    ]
    assert test_freezes == []


def test_files_use_crlf_and_folded_lines(portal_site: Path) -> None:
    data = (portal_site / "calendar/releases.ics").read_bytes()
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)


def test_dtstamp_comes_from_the_build_date_not_the_clock(portal_site: Path) -> None:
    stamps = {e["dtstamp"].dt for e in _events(_ics(portal_site / "calendar/releases.ics"))}
    assert stamps == {dt.datetime(2026, 11, 27, tzinfo=UTC)}


def test_uids_are_stable_across_builds_with_different_dates() -> None:
    a = _events(Calendar.from_ical(_asset(_planned(PORTAL, "2026-11-27"), "calendar/releases.ics")))
    b = _events(Calendar.from_ical(_asset(_planned(PORTAL, "2027-01-15"), "calendar/releases.ics")))
    assert [str(e["uid"]) for e in a] == [str(e["uid"]) for e in b]
    assert {e["dtstamp"].dt for e in b} == {dt.datetime(2027, 1, 15, tzinfo=UTC)}


def test_a_window_across_a_dst_change_keeps_its_real_length() -> None:
    site = _planned(SITES / "dst" / "releases")
    event = next(
        e
        for e in _events(Calendar.from_ical(_asset(site, "calendar/prod.ics")))
        if str(e["uid"]) == "REL-DST.prod.window@relsite"
    )
    start, end = event["dtstart"].dt, event["dtend"].dt
    assert start == dt.datetime(2026, 10, 24, 20, 0, tzinfo=UTC)  # 22:00 CEST
    assert end == dt.datetime(2026, 10, 25, 3, 0, tzinfo=UTC)  # 04:00 CET
    assert end - start == dt.timedelta(hours=7)


def test_cancelled_releases_stay_in_the_feed_as_cancelled(portal_site: Path) -> None:
    events = {str(e["uid"]): e for e in _events(_ics(portal_site / "calendar/releases.ics"))}
    assert str(events["REL-2026-018.prod.window@relsite"]["status"]) == "CANCELLED"
    assert str(events["REL-2026-014.prod.window@relsite"]["status"]) == "CONFIRMED"
    assert str(events["REL-2026-016.prod.window@relsite"]["status"]) == "TENTATIVE"


def test_release_api_matches_its_published_schema(portal_site: Path) -> None:
    api = portal_site / "api/v1"
    doc = json.loads((api / "releases.json").read_text())
    jsonschema.validate(doc, json.loads((api / "releases.schema.json").read_text()))
    assert len(doc["releases"]) == 20 and doc["as_of"] == "2026-11-27"
    one = json.loads((api / "releases/REL-2026-014.json").read_text())
    jsonschema.validate(one, json.loads((api / "release.schema.json").read_text()))
    assert one["environments"]["prod"]["window"]["start"] == "2026-12-02T21:00:00+00:00"
    assert one["portal"] == {
        "url": "releases/REL-2026-014/",
        "handover_url": "releases/REL-2026-014/handover/",
        "calendar_url": "releases/REL-2026-014/release.ics",
        "production_start": "2026-12-02T21:00:00+00:00",
        "group": "in_progress",
        "line": "4",
        "support_phase": "active",
    }


def test_environment_api_says_what_is_live_where(portal_site: Path) -> None:
    api = portal_site / "api/v1"
    doc = json.loads((api / "environments.json").read_text())
    jsonschema.validate(doc, json.loads((api / "environments.schema.json").read_text()))
    prod = next(e for e in doc["environments"] if e["name"] == "prod")
    assert {
        "service": "payments",
        "line": "4",
        "support_phase": "active",
        "version": "4.1.4",
        "release": "REL-2026-012",
        "since": "2026-11-25T18:05:00+01:00",
    } in prod["live"]
    assert {
        "service": "web-shop",
        "version": "7.1.0",
        "release": "REL-2026-003",
        "since": "2026-09-22T20:20:00+02:00",
    } in prod["live"]


def test_atom_feed_parses_and_lists_releases_by_latest_change(portal_site: Path) -> None:
    feed = feedparser.parse((portal_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Acme IT: releases"
    assert len([e for e in feed.entries if e.id.startswith("urn:relsite:release:")]) == 20
    assert feed.entries[0].id == "urn:relsite:release:REL-2027-001"  # no past activity: dated by its production window
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    past = next(e for e in feed.entries if e.id == "urn:relsite:release:REL-2026-012")
    assert past.updated == "2026-11-25T17:05:00+00:00"
    assert past.link == "releases/REL-2026-012/"
    assert "Emergency fix after some Mastercard payments" in past.content[0].value


def test_feed_links_are_absolute_when_site_url_is_known() -> None:
    result = validate(PORTAL)
    assert result.portfolio is not None
    site = plan(result.portfolio, dt.date(2026, 11, 27), "https://releases.example.com/portal")
    feed = feedparser.parse(_asset(site, "feed.xml"))
    assert feed.entries[0].link.startswith("https://releases.example.com/portal/releases/")
    event = _events(Calendar.from_ical(_asset(site, "releases/REL-2026-014/release.ics")))[0]
    assert str(event["url"]) == "https://releases.example.com/portal/releases/REL-2026-014/"
