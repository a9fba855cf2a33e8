"""Navigation rendered once for pages outside it (shared_chrome.py) must still be right on each page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from .conftest import soup


def _nav_targets(site: Path, page: str) -> list[str]:
    html = soup(site / page / "index.html")
    links = html.select(".md-sidebar--primary nav a[href], .md-tabs a[href]")
    assert links, page
    return [urljoin("/" + page, a["href"]) for a in links]


def _exists(site: Path, url: str) -> bool:
    path = url.partition("#")[0].lstrip("/")
    return (site / path / "index.html").exists() if path.endswith("/") or not path else (site / path).exists()


def test_navigation_links_resolve_from_release_and_handover_pages(portal_site: Path) -> None:
    for page in (
        "releases/REL-2026-014/",
        "releases/REL-2026-014/handover/",
        "releases/REL-2026-001/handover/",
        "calendar/2026-12/",
        "services/payments/",
    ):
        broken = [u for u in _nav_targets(portal_site, page) if not _exists(portal_site, u)]
        assert broken == [], page


def test_release_pages_at_the_same_depth_share_identical_navigation(portal_site: Path) -> None:
    def nav(page: str) -> str:
        return str(soup(portal_site / page / "index.html").select_one(".md-sidebar--primary"))

    assert nav("releases/REL-2026-014/") == nav("releases/REL-2026-001/")
    assert nav("releases/REL-2026-014/") != nav("releases/REL-2026-014/handover/")


def test_a_page_in_the_navigation_is_still_marked_active(portal_site: Path) -> None:
    html = soup(portal_site / "environments/index.html")
    active = [a.get_text(strip=True) for a in html.select(".md-sidebar--primary .md-nav__link--active")]
    assert "Environments" in active
