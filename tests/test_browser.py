"""Behaviour in a real headless Chromium against the built example site on a local HTTP server."""

from __future__ import annotations

import re
from typing import Any


def _visible_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "table[data-rs-filterable] tbody tr:not(.rs-hidden) td.rs-id > a",
        "cells => cells.map(c => c.textContent.trim())",
    )


def test_typing_in_the_releases_filter_narrows_the_tables(page: Any, served_portal: str) -> None:
    page.goto(served_portal + "releases/")
    before = _visible_ids(page)
    assert len(before) == 17  # "later" releases are on the year pages
    page.fill("form.rs-filter input[name=find]", "gift")
    assert _visible_ids(page) == ["REL-2026-010"]
    assert page.text_content("form.rs-filter .rs-count") == "1 release on this page"


def test_service_and_status_filters_combine(page: Any, served_portal: str) -> None:
    page.goto(served_portal + "releases/")
    page.select_option("form.rs-filter select[name=service]", "payments")
    ids = _visible_ids(page)
    assert ids and all(i in ("REL-2026-014", "REL-2026-012", "REL-2026-006", "REL-2027-001") for i in ids)
    page.select_option("form.rs-filter select[name=status]", "deployed")
    assert sorted(_visible_ids(page)) == ["REL-2026-006", "REL-2026-012"]


def test_clicking_a_release_opens_its_notes(page: Any, served_portal: str) -> None:
    page.goto(served_portal + "releases/")
    page.click("text=REL-2026-014")
    page.wait_for_url("**/releases/REL-2026-014/")
    assert page.text_content("h1") == "REL-2026-014: Payments gateway 4.2"
    assert page.is_visible("text=Handover for operations")


def test_pages_request_nothing_outside_the_local_server(page: Any, served_portal: str) -> None:
    for path in ("", "releases/", "releases/REL-2026-014/", "environments/"):
        page.goto(served_portal + path)
        page.wait_for_load_state("networkidle")
    outside = [u for u in page.requests if not u.startswith(served_portal) and not u.startswith("data:")]
    assert outside == []


def test_status_date_says_how_old_it_is_in_the_readers_browser(page: Any, served_portal: str) -> None:
    page.clock.set_fixed_time("2026-12-04T10:00:00")
    page.goto(served_portal + "releases/")
    assert page.text_content(".rs-asof .rs-stale") == " That was 7 days ago; newer changes may not be shown."


def test_status_date_read_on_the_build_day_adds_nothing(page: Any, served_portal: str) -> None:
    page.clock.set_fixed_time("2026-11-27T15:00:00")
    page.goto(served_portal + "releases/")
    assert page.query_selector(".rs-asof .rs-stale") is None


def _visible_envs(page: Any, day: str) -> list[str]:
    return page.eval_on_selector_all(
        f'td[data-date="{day}"] a.rs-ev-window:not(.rs-hidden)', "els => els.map(e => e.dataset.env)"
    )


def test_calendar_marks_today_and_filters_by_environment(page: Any, served_portal: str) -> None:
    page.clock.set_fixed_time("2026-11-25T10:00:00")
    page.goto(served_portal + "calendar/")
    assert page.get_attribute('td[data-date="2026-11-25"]', "class").split().count("rs-today") == 1
    assert page.is_visible('td[data-date="2026-11-27"] a.rs-ev-window[href$="REL-2026-008/"]')
    assert sorted(set(_visible_envs(page, "2026-11-25"))) == ["prod", "test"]
    for env in ("dev", "test", "staging"):
        page.uncheck(f'form.rs-calfilter input[value="{env}"]')
    assert _visible_envs(page, "2026-11-25") == ["prod"]
    assert not page.is_visible('td[data-date="2026-11-27"] a.rs-ev-window[href$="REL-2026-008/"]')
    assert page.is_visible('td[data-date="2026-11-24"] .rs-ev-cab')


def test_calendar_filters_by_service(page: Any, served_portal: str) -> None:
    page.clock.set_fixed_time("2026-11-27T10:00:00")
    page.goto(served_portal + "calendar/")
    page.select_option("form.rs-calfilter select[name=service]", "payments")
    services = page.eval_on_selector_all(
        "a.rs-ev-window:not(.rs-hidden)", "els => [...new Set(els.map(e => e.dataset.service))]"
    )
    assert services == ["payments"]


def test_calendar_landing_moves_to_the_readers_month(page: Any, served_portal: str) -> None:
    page.clock.set_fixed_time("2027-01-10T10:00:00")
    page.goto(served_portal + "calendar/")
    page.wait_for_url("**/calendar/2027-01/")
    assert page.get_attribute('td[data-date="2027-01-10"]', "aria-current") == "date"


def _search(page: Any, served_portal: str, query: str) -> list[str]:
    page.goto(served_portal + "guides/reading/")
    page.click("input.md-search__input")  # in the header at this width
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item a")
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"\?[^#]*", "", h) for h in hrefs]  # search.highlight adds ?h=<query>


def test_search_finds_a_release_note_and_links_to_its_section(page: Any, served_portal: str) -> None:
    hrefs = _search(page, served_portal, "logos")
    assert any(h.endswith("releases/REL-2026-014/#features") for h in hrefs), hrefs


def test_search_finds_a_handover_known_error_for_operations(page: Any, served_portal: str) -> None:
    hrefs = _search(page, served_portal, "retries")
    assert any(h.endswith("releases/REL-2026-014/handover/#known-errors") for h in hrefs), hrefs
    page.click(".md-search-result__item a[href*='handover/'][href$='#known-errors']")
    page.wait_for_url("**/releases/REL-2026-014/handover/**#known-errors")
    assert page.is_visible("#known-errors")
