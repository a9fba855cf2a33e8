"""Support lines as the portal shows them, built from tests/sites/support as of 2026-11-27: the
service's lines and timeline, the portfolio's supported versions, Live now, the JSON API, the
calendars and the Atom feed, each read back with a real parser."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
from icalendar import Calendar

from relsite.plan import plan
from relsite.validate.checker import check_folder

from .conftest import SITES, soup

SVG = "{http://www.w3.org/2000/svg}"


def _timeline(page: Path) -> ET.Element:
    """The timeline's picture, parsed as the XML it must be."""
    found = re.search(r'<svg\b[^>]*data-rs="timeline"[^>]*>.*?</svg>', page.read_text(encoding="utf-8"), re.DOTALL)
    assert found is not None
    return ET.fromstring(found.group(0))


def _rows(svg: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-line", ""): g for g in svg.iter(f"{SVG}g") if g.get("data-line")}


def test_a_service_lists_its_lines_newest_first_with_the_phase_today_and_its_end(support_site: Path) -> None:
    rows = soup(support_site / "services/shop/index.html").select('table[data-rs="lines"] tbody tr')
    got = [
        (
            r.th.get_text(strip=True),
            r.select_one(".rs-badge").get_text(),
            (r.select_one('td[data-label="Today"] small') or r.th).get_text(),
        )
        for r in rows
    ]
    assert got == [
        ("Shop 3.x", "not started", "starts 1 Dec 2026"),
        ("Shop 2.x", "security fixes only", "until 1 Dec 2027"),
        ("Shop 1.x", "end of life", "Shop 1.x"),
    ]


def test_the_timeline_draws_one_row_per_line_with_a_bar_per_phase(support_site: Path) -> None:
    rows = _rows(_timeline(support_site / "services/shop/index.html"))
    phases = {line: [r.get("data-phase") for r in g.iter(f"{SVG}rect")] for line, g in rows.items()}
    assert phases == {
        "3.x": ["preview", "active"],
        "2.x": ["preview", "active", "security"],
        "1.x": ["active", "security"],
    }


def test_the_timeline_marks_each_release_on_its_line(support_site: Path) -> None:
    rows = _rows(_timeline(support_site / "services/shop/index.html"))
    marks = {line: [m.findtext(f"{SVG}title") for m in g.iter(f"{SVG}line")] for line, g in rows.items()}
    assert marks == {
        "3.x": ["3.0.0 (SHOP-3-0), 10 Feb 2027"],
        "2.x": ["2.0.0 (SHOP-2-0), 20 Jan 2025", "2.1.0 (SHOP-2-1), 1 Jul 2026"],
        "1.x": ["1.0.0 (SHOP-1-0), 15 Jan 2024", "1.1.0 (SHOP-1-1), 10 Mar 2025"],
    }


def test_timeline_positions_follow_the_dates(support_site: Path) -> None:
    svg = _timeline(support_site / "services/shop/index.html")
    bars = {
        (g.get("data-line"), r.get("data-phase")): (float(r.get("x", 0)), float(r.get("width", 0)))
        for g in svg.iter(f"{SVG}g")
        if g.get("data-line")
        for r in g.iter(f"{SVG}rect")
    }
    today = float(
        next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "rs-tl-today").find(f"{SVG}line").get("x1", 0)
    )
    one_security, two_security = bars[("1.x", "security")], bars[("2.x", "security")]
    assert one_security[0] + one_security[1] == two_security[0]  # 1.x's end of life is the day 2.x narrows to security
    assert two_security[0] < today < two_security[0] + two_security[1]
    assert bars[("3.x", "preview")][0] > today


def test_the_timeline_is_an_image_with_a_text_alternative_and_the_table_beside_it(support_site: Path) -> None:
    page = soup(support_site / "services/shop/index.html")
    svg = page.select_one('svg[data-rs="timeline"]')
    assert svg["role"] == "img"
    title, desc = (page.find(id=i).get_text() for i in svg["aria-labelledby"].split())
    assert title == "Support timeline of Shop"
    assert desc.startswith("3 support lines from 2024 to 2029, as of 27 Nov 2026.") and "Supported: Shop 2.x." in desc
    assert (
        page.select_one("figure.rs-timeline").find_next_sibling("div").select_one('table[data-rs="lines"]') is not None
    )


def test_the_portfolio_lists_what_is_supported_coming_and_recently_ended(support_site: Path) -> None:
    page = soup(support_site / "support/index.html")
    tables = {
        h2["id"]: [tr.th.get_text(strip=True) for tr in h2.find_next("table").select("tbody tr")]
        for h2 in page.select("h2[id]")
    }
    assert tables == {"supported": ["Shop 2.x", "Billing"], "coming": ["Shop 3.x"], "ended": ["Shop 1.x"]}


def test_live_now_marks_a_version_past_its_end_of_life(support_site: Path) -> None:
    cells = soup(support_site / "environments/index.html").select('table[data-rs="live"] td[data-env="prod"]')
    text = {c.a.get_text(): ("data-ended" in c.attrs, c.get_text(" ", strip=True)) for c in cells if c.a}
    assert text["1.1.0"][0] and "past end of life" in text["1.1.0"][1]
    assert not text["2.1.0"][0] and "security fixes only until 1 Dec 2027" in text["2.1.0"][1]


def test_the_services_list_counts_supported_lines_and_leaves_ended_ones_out_of_live(support_site: Path) -> None:
    row = next(
        tr
        for tr in soup(support_site / "services/index.html").select('table[data-rs="services"] tbody tr')
        if "Shop" in tr.td.text
    )
    text = row.get_text(" ", strip=True)
    assert (
        "1 of 3 lines supported" in text
        and "2.1.0" in text
        and "1.1.0" not in text
        and "1 more past end of life" in text
    )


def test_the_support_api_matches_its_schema_and_says_where_each_line_stands(support_site: Path) -> None:
    api = support_site / "api/v1"
    doc = json.loads((api / "support.json").read_text())
    jsonschema.validate(doc, json.loads((api / "support.schema.json").read_text()))
    today = {
        (s["name"], line.get("version")): (line["today"]["phase"], line["today"]["supported"])
        for s in doc["services"]
        for line in s["lines"]
    }
    assert today == {
        ("shop", "3.x"): ("not_started", False),
        ("shop", "2.x"): ("security", True),
        ("shop", "1.x"): ("end_of_life", False),
        ("billing", None): ("extended", True),
    }


def test_live_versions_and_releases_in_the_api_name_their_line_and_phase(support_site: Path) -> None:
    api = support_site / "api/v1"
    prod = next(e for e in json.loads((api / "environments.json").read_text())["environments"] if e["name"] == "prod")
    assert {(lv["version"], lv["line"], lv["support_phase"]) for lv in prod["live"]} == {
        ("2.1.0", "2", "security"),
        ("1.1.0", "1", "end_of_life"),
        ("7.3", "", "extended"),
    }
    assert json.loads((api / "releases/SHOP-3-0.json").read_text())["portal"]["support_phase"] == "not_started"


def test_the_support_calendar_has_an_event_per_phase_change_with_stable_uids(support_site: Path) -> None:
    events = Calendar.from_ical((support_site / "calendar/support.ics").read_bytes()).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in events}
    end = by_uid["support-shop-1-end_of_life@relsite"]
    assert end.decoded("DTSTART") == dt.date(2026, 6, 1) and str(end["SUMMARY"]) == "Shop 1.x: end of life"
    assert "end-of-life" in [str(c) for c in end["CATEGORIES"].cats]
    narrowing = by_uid["support-shop-2-security@relsite"]
    assert "Active support ends." in str(narrowing["DESCRIPTION"]) and "end-of-support" in [
        str(c) for c in narrowing["CATEGORIES"].cats
    ]
    assert len(by_uid) == len(events) == 13


def test_support_uids_do_not_change_with_the_build_day() -> None:
    result = check_folder(SITES / "support" / "releases")
    assert result.portfolio is not None

    def uids(day: dt.date) -> set[str]:
        site = plan(result.portfolio, day)  # type: ignore[arg-type]
        ics = next(a.content for a in site.assets if a.path == "calendar/support.ics")
        return {str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")}

    assert uids(dt.date(2026, 1, 1)) == uids(dt.date(2028, 1, 1))


def test_the_portfolio_calendar_carries_the_support_dates_too(support_site: Path) -> None:
    uids = {
        str(e["UID"]) for e in Calendar.from_ical((support_site / "calendar/releases.ics").read_bytes()).walk("VEVENT")
    }
    assert "support-billing-all-extended@relsite" in uids and "support-shop-3-active@relsite" in uids


def test_the_atom_feed_announces_phase_changes_that_have_happened(support_site: Path) -> None:
    feed = feedparser.parse((support_site / "feed.xml").read_bytes())
    assert not feed.bozo
    titles = [e.title for e in feed.entries]
    assert "Shop 1.x: end of life" in titles and "Shop 2.x: security fixes only from today" in titles
    assert "Shop 3.x: preview begins" not in titles  # 1 Dec 2026, after the build day
    entry = next(e for e in feed.entries if e.title == "Shop 1.x: end of life")
    assert entry.link.endswith("services/shop/#line-1") and "With it, security support ends." in entry.summary


def test_a_release_page_says_where_its_line_stands(support_site: Path) -> None:
    details = soup(support_site / "releases/SHOP-1-1/index.html").select_one("dl.rs-details")
    support = details.find("dt", string="Support").find_next_sibling("dd")
    assert support.get_text(" ", strip=True) == "past end of life Shop 1.x: end of life since 1 Jun 2026"
    assert support.a["href"] == "../../services/shop/#line-1"
