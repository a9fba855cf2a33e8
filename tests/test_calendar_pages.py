"""The calendar pages: month grids, the agenda, freezes and conflicts, read back as HTML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from relsite.plan import plan
from relsite.validate.checker import check_folder as validate

from .conftest import SITES, soup


def _cell(page: BeautifulSoup, day: str) -> BeautifulSoup:
    cell = page.select_one(f'td[data-date="{day}"]')
    assert cell is not None, day
    return cell


def test_landing_page_shows_the_build_month_with_a_known_release_on_its_day(portal_site: Path) -> None:
    page = soup(portal_site / "calendar/index.html")
    assert page.select_one("section.rs-month")["data-month"] == "2026-11"
    windows = _cell(page, "2026-11-27").select("a.rs-ev-window")
    assert [(a["data-env"], a["href"]) for a in windows] == [("staging", "../releases/REL-2026-008/")]
    assert "08:00" in windows[0].get_text() and "CRM 12.5" in windows[0].get_text()


def test_one_page_per_month_in_the_configured_range_with_previous_and_next(portal_site: Path) -> None:
    months = sorted(p.name for p in (portal_site / "calendar").iterdir() if p.is_dir() and p.name[:2] == "20")
    in_range = [m for m in months if "2026-08" <= m <= "2027-11"]
    assert (
        len(in_range) == 16
    )  # and, outside the range, only months with releases (test_the_year_view_links_every_month...)
    page = soup(portal_site / "calendar/2026-12/index.html")
    assert urljoin("/calendar/2026-12/", page.select_one("a.rs-prev")["href"]) == "/calendar/2026-11/"
    assert urljoin("/calendar/2026-12/", page.select_one("a.rs-next")["href"]) == "/calendar/2027-01/"
    nav = [a["data-month"] for a in page.select("nav.rs-months a[data-month]")]
    assert nav == in_range  # the month strip stays the configured range; older months are under All years


def test_freezes_shade_their_days_hard_and_soft_apart(portal_site: Path) -> None:
    nov = soup(portal_site / "calendar/2026-11/index.html")
    dec = soup(portal_site / "calendar/2026-12/index.html")
    assert "rs-frz-soft" in _cell(nov, "2026-11-27")["class"]
    assert "rs-frz-hard" in _cell(dec, "2026-12-24")["class"]
    assert "rs-frz-hard" not in _cell(dec, "2026-12-17")["class"]
    bars = [
        td.get_text(" ", strip=True)
        for td in dec.select("tr.rs-lane td.rs-bar-cell")
        if td["data-from"] <= "2026-12-18" <= td["data-to"]
    ]
    assert any("Hard freeze (Production): Year-end freeze" in text for text in bars)
    assert "freeze continues" not in dec.get_text()  # drawn once per week as a bar, never repeated in each day


def test_milestones_cab_meetings_and_early_life_support_are_on_the_grid(portal_site: Path) -> None:
    page = soup(portal_site / "calendar/2026-12/index.html")
    assert _cell(page, "2026-12-01").select_one(".rs-ev-cab") is not None
    assert "Go/no-go: REL-2026-014" in _cell(page, "2026-12-02").get_text()
    bars = [td for td in page.select("tr.rs-lane td.rs-bar-cell") if td["data-from"] <= "2026-12-10" <= td["data-to"]]
    assert any("Early life support: Payments gateway 4.2" in td.get_text() for td in bars)
    assert page.select("td[data-date] .rs-ev-els") == []  # not repeated in the days


def _month(folder: Path, month: str) -> BeautifulSoup:
    result = validate(folder)
    assert result.portfolio is not None
    site = plan(result.portfolio, dt.date(2026, 11, 27))
    return BeautifulSoup(next(p.html for p in site.pages if p.src_uri == f"calendar/{month}/index.md"), "html.parser")


def test_a_window_past_midnight_shows_on_both_days_it_touches() -> None:
    page = _month(SITES / "dst" / "releases", "2026-10")
    days = [
        d
        for d in ("2026-10-24", "2026-10-25", "2026-10-26")
        if _cell(page, d).select('a.rs-ev-window[data-env="prod"]')
    ]
    assert days == ["2026-10-24", "2026-10-25"]


def test_a_window_ending_at_midnight_stays_on_its_day(portal_site: Path) -> None:
    page = soup(portal_site / "calendar/2026-12/index.html")
    days = [
        d
        for d in ("2026-12-02", "2026-12-03")
        if any("REL-2026-014" in a["href"] for a in _cell(page, d).select('a.rs-ev-window[data-env="prod"]'))
    ]
    assert days == ["2026-12-02"]


def test_agenda_lists_upcoming_events_first(portal_site: Path) -> None:
    page = soup(portal_site / "calendar/agenda/index.html")
    upcoming = page.select_one("#upcoming").find_next("table").get_text(" ")
    assert upcoming.index("CRM 12.5") < upcoming.index("Payments gateway 4.2")
    past = page.select_one("#past").find_next("table").get_text(" ")
    assert "4.1.4" in past


def test_conflicts_found_by_the_validator_are_marked_on_the_calendar() -> None:
    result = validate(SITES / "conflicts" / "releases")
    assert result.portfolio is not None and not result.errors
    assert {"window-overlap", "freeze"} <= {p.rule for p in result.warnings}
    page = _month(SITES / "conflicts" / "releases", "2026-12")
    prod = {
        a["href"].split("/")[-2]: a for a in page.select('td[data-date="2026-12-03"] a.rs-ev-window[data-env="prod"]')
    }
    assert "rs-conflict" in prod["REL-1"]["class"] and "overlaps REL-2 (billing)" in prod["REL-1"]["title"]
    assert "overlaps REL-1 (shop)" in prod["REL-2"]["title"]
    soft = page.select_one('td[data-date="2026-12-10"] a.rs-ev-window[data-env="test"]')
    assert "rs-conflict" in soft["class"] and "in soft freeze 'Sale week'" in soft["title"]


# --- history: every month with releases, two clicks from the calendar --------------------------------


def test_the_calendar_links_to_the_year_view(support_site: Path) -> None:
    link = soup(support_site / "calendar/index.html").select_one("nav.rs-months a.rs-allyears")
    assert link is not None and link["href"] == "../calendar/years/"


def test_the_year_view_links_every_month_with_releases_or_support_dates(support_site: Path) -> None:
    page = soup(support_site / "calendar/years/index.html")
    linked = {
        a["href"].removeprefix("../../calendar/").strip("/"): a.get_text()
        for a in page.select('table[data-rs="years"] a')
    }
    history = {m: linked[m] for m in linked if m < "2026-08" or m > "2027-11"}
    assert history == {
        "2024-01": "2",
        "2024-10": "1",
        "2025-01": "3",
        "2025-03": "1",
        "2025-05": "1",
        "2025-06": "1",
        "2026-05": "1",
        "2026-06": "2",
        "2026-07": "1",
        "2027-12": "1",
        "2029-02": "1",
    }
    assert [th.get_text() for th in page.select("tbody th")] == ["2029", "2027", "2026", "2025", "2024"]


def test_a_past_month_has_its_own_bounded_page_with_its_releases(support_site: Path) -> None:
    page = soup(support_site / "calendar/2024-01/index.html")
    assert [a["href"] for a in page.select("a.rs-ev-window")] == ["../../releases/SHOP-1-0/"]
    assert page.select_one("a.rs-prev") is None and page.select_one("a.rs-next")["href"] == "../../calendar/2024-10/"


def test_months_without_releases_outside_the_range_get_no_page(support_site: Path) -> None:
    assert not (support_site / "calendar/2024-05").exists() and not (support_site / "calendar/2028-06").exists()
