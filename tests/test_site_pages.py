"""The built example portal, read back as HTML: the right releases in the right places."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from .conftest import soup


def _section_ids(page: BeautifulSoup, heading_id: str) -> list[str]:
    """Release ids in the table that follows the heading with ``heading_id``."""
    heading = page.find(id=heading_id)
    assert heading is not None, heading_id
    table = heading.find_next("table")
    assert table is not None and table.find_previous(["h2"]) is heading, f"no table under {heading_id}"
    return [td.get_text(strip=True) for td in table.select("td.rs-id > a")]


def test_index_groups_releases_by_where_they_stand(portal_site: Path) -> None:
    page = soup(portal_site / "releases/index.html")
    assert _section_ids(page, "in-progress") == [
        "REL-2026-009",
        "REL-2026-014",
        "REL-2026-008",
        "REL-2026-010",
        "REL-2026-011",
    ]
    assert _section_ids(page, "upcoming")[:3] == ["REL-2026-019", "REL-2026-017", "REL-2026-013"]
    assert "REL-2026-004" in _section_ids(page, "recent")
    later = page.find(id="later").find_next("p")
    assert (
        "1 release that has not started yet goes to production" in " ".join(later.get_text().split())
        and later.find("a")["href"] == "../releases/2027/"
    )


def test_index_rows_carry_what_the_filter_needs(portal_site: Path) -> None:
    row = soup(portal_site / "releases/index.html").select_one('tr[data-status="deploying"]')
    assert row is not None
    assert row["data-service"] == "crm"
    assert "ticket search" in row["data-text"]


def test_year_pages_list_every_release_once(portal_site: Path) -> None:
    ids = [
        td.get_text(strip=True)
        for y in ("2026", "2027")
        for td in soup(portal_site / f"releases/{y}/index.html").select("td.rs-id > a")
    ]
    assert len(ids) == len(set(ids)) == 20


def test_release_page_shows_badges_summary_and_schedule_in_the_portfolio_zone(portal_site: Path) -> None:
    page = soup(portal_site / "releases/REL-2026-014/index.html")
    badges = [b.get_text(strip=True) for b in page.select(".rs-badges .rs-badge")]
    assert badges == ["Payments gateway", "version 4.2.0", "minor", "in test", "medium risk"]
    assert "3-D Secure checks now run in the background" in page.select_one(".rs-summary").get_text()
    rows = {
        tr.td.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select('table[data-rs="schedule"] tbody tr')
    }
    assert rows["Production"][1] == "Wed 2 Dec 2026, 22:00 – Thu 3 Dec 2026, 00:00 CET"
    assert rows["Test"][4] == "passed QA lead, 26 Nov 2026"


def test_release_page_links_dependencies_and_handover(portal_site: Path) -> None:
    page = soup(portal_site / "releases/REL-2026-014/index.html")
    hrefs = {
        a.get_text(strip=True): urljoin("/releases/REL-2026-014/", a["href"])
        for a in page.select(".rs-details a, .rs-links a")
    }
    assert hrefs["REL-2026-009"] == "/releases/REL-2026-009/"
    assert hrefs["Handover for operations"] == "/releases/REL-2026-014/handover/"


def test_every_internal_link_in_the_site_resolves(portal_site: Path) -> None:
    checked = 0
    for page in portal_site.rglob("*.html"):
        url = "/" + page.relative_to(portal_site).parent.as_posix() + "/"
        for a in soup(page).select("a[href]"):
            href = a["href"].split("#")[0]
            if not href or href.startswith(("http:", "https:", "mailto:", "webcal:")):
                continue
            target = urljoin(url.replace("//", "/"), href).lstrip("/")
            path = portal_site / target
            assert (path / "index.html").exists() if target.endswith("/") or not target else path.exists(), (
                f"{page}: {a['href']}"
            )
            checked += 1
    assert checked > 1000


def test_breaking_changes_and_actions_are_prominent(portal_site: Path) -> None:
    box = soup(portal_site / "releases/REL-2026-005/index.html").select_one("#action-required")
    assert box is not None and "admonition" in box["class"]
    assert 'The old "Nightly sales" report is retired.' in box.get_text()
    assert "bookmarks must be updated" in box.get_text()


def test_release_without_breaking_changes_has_no_action_box(portal_site: Path) -> None:
    assert soup(portal_site / "releases/REL-2026-006/index.html").select_one("#action-required") is None


def test_handover_checklist_marks_what_the_stage_still_needs(portal_site: Path) -> None:
    page = soup(portal_site / "releases/REL-2026-013/handover/index.html")
    items = {li["data-item"]: li for li in page.select("ul.rs-checklist li")}
    assert "rs-done" in items["Support team"]["class"]
    assert "rs-missing" in items["Runbook"]["class"]
    assert "required from status ready" in items["Runbook"].get_text()
    assert "required to close" in items["Accepted by operations"].get_text()


def test_handover_of_a_live_release_shows_support_and_escalation(portal_site: Path) -> None:
    page = soup(portal_site / "releases/REL-2026-014/handover/index.html")
    assert [li.get_text() for li in page.select("dt#support + dd ol li")] == ["L2 payments-ops", "L3 payments-dev"]
    assert page.select_one('a[href="https://wiki.example.com/payments/runbook"]') is not None
    assert "Redeploy 4.1.4" in page.get_text()


def test_environment_matrix_shows_each_release_in_promotion_order(portal_site: Path) -> None:
    page = soup(portal_site / "environments/index.html")
    header = [th.get_text(strip=True) for th in page.select('table[data-rs="matrix"] thead th')]
    assert header == ["Release", "Development", "Test", "Staging", "Production"]
    row = next(tr for tr in page.select('table[data-rs="matrix"] tbody tr') if "REL-2026-008" in tr.th.get_text())
    cells = {td["data-env"]: (td["data-status"], td.get_text(" ", strip=True)) for td in row.find_all("td")}
    assert cells["staging"] == ("in_progress", "in progress 27 Nov 2026")
    assert cells["prod"] == ("scheduled", "scheduled 3 Dec 2026")


def test_live_now_shows_the_latest_deployed_version_and_ignores_rollbacks(portal_site: Path) -> None:
    page = soup(portal_site / "environments/index.html")
    live = {
        (td["data-env"], td["data-service"]): td.get_text(" ", strip=True)
        for td in page.select('table[data-rs="live"] td')
    }
    assert live[("prod", "payments")] == "4.1.4 since 25 Nov 2026; active support until 1 Mar 2027"
    assert live[("prod", "crm")] == "nothing recorded"
    assert live[("staging", "crm")] == "12.4.1 since 12 Oct 2026"


def test_environment_page_lists_upcoming_deployments(portal_site: Path) -> None:
    text = soup(portal_site / "environments/prod/index.html").select_one("#upcoming").find_next("table").get_text(" ")
    assert text.index("REL-2026-009") < text.index("REL-2026-014") < text.index("REL-2026-008")


def test_service_page_shows_history_and_live_versions(portal_site: Path) -> None:
    page = soup(portal_site / "services/payments/index.html")
    assert [td.get_text(strip=True) for td in page.select("td.rs-id > a")][:2] == ["REL-2027-001", "REL-2026-014"]
    assert "Card and wallet payments" in page.get_text()


def test_home_page_says_what_is_happening(portal_site: Path) -> None:
    block = soup(portal_site / "index.html").select_one(".rs-happening")
    assert block is not None
    text = block.get_text(" ", strip=True)
    assert "CRM 12.5 (ticket search, second attempt) on Staging" in text
    assert "Black Friday weekend (soft, active now ): 26 Nov 2026 to 30 Nov 2026" in text
    assert "Year-end freeze" in text
    assert block.select_one('a[href="releases/REL-2026-009/"]') is not None


def test_every_generated_page_says_as_of_when(portal_site: Path) -> None:
    pages = [p for d in ("releases", "environments", "services") for p in (portal_site / d).rglob("index.html")]
    assert len(pages) > 50
    for p in pages:
        asof = soup(p).select_one(".rs-asof")
        assert asof is not None and asof.get_text(" ", strip=True) == "Status as of 27 November 2026 .", p


def test_navigation_stays_small_and_lists_no_release(portal_site: Path) -> None:
    nav = soup(portal_site / "releases/REL-2026-014/index.html").select("nav.md-nav--primary a.md-nav__link")
    assert len(nav) < 15
    assert not any("REL-" in a.get_text() for a in nav)
