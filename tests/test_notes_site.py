"""Imported notes on the site: the layers of a release page, the folded technical section, one
combined page for a coordinated change, and each service's Unreleased draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.notes_repo import notes_project
from tests.support.projects import build, soup

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = notes_project(tmp_path_factory.mktemp("notes") / "p")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _main(site: Path, path: str):  # type: ignore[no-untyped-def]
    return soup(site / path / "index.html").select_one("article")


def test_a_release_page_shows_the_business_layer_then_operations_then_technical_changes(notes_site: Path) -> None:
    article = _main(notes_site, "releases/REL-1")
    text = article.get_text(" ")
    assert (
        text.index("Customers can pay by invoice.")
        < text.index("Pay by invoice at checkout.")
        < text.index("For operations")
    )
    headings = [h["id"] for h in article.select("h2[id]")]
    assert headings.index("operations") + 1 == headings.index("technical-changes")


def test_the_technical_changes_are_folded_and_grouped_by_the_projects_types(notes_site: Path) -> None:
    details = _main(notes_site, "releases/REL-1").select_one("details.rs-technical")
    assert details is not None and not details.has_attr("open")
    assert [h.get_text() for h in details.select("h3")] == ["Deprecations and Removals", "Features"]
    link = details.find("a", string="#10002")
    assert link["href"] == "https://github.com/acme/shop/issues/10002"
    assert details.find("code", string="subdirectory=") is not None  # the fragment's Markdown (code spans) renders


def test_a_coordinated_change_has_one_page_listing_a_shared_commit_once(notes_site: Path) -> None:
    release = _main(notes_site, "releases/REL-2")
    assert release.find("a", href="../../coordinated/REL-2/") is not None
    combined = _main(notes_site, "coordinated/REL-2")
    assert [a.get_text() for a in combined.select("h3 a")] == ["REL-2", "REL-3"]
    shared = [li for li in combined.select("details li") if "tax_number" in li.get_text()]
    assert len(shared) == 1
    assert "[shop, billing]" in shared[0].get_text()
    assert combined.find(string=lambda s: s and "CPUWeigher" in s) is not None


def test_a_hostile_fragment_is_shown_as_text_and_injects_nothing(notes_site: Path) -> None:
    page = soup(notes_site / "releases/REL-2/index.html")
    article = page.select_one("article")
    assert article.find("script") is None and article.find("img") is None
    assert "<script>alert(1)</script>" in article.get_text()
    assert all(not a["href"].startswith("javascript") for a in article.find_all("a", href=True))


def test_a_service_page_shows_its_unreleased_draft_clearly_marked(notes_site: Path) -> None:
    article = _main(notes_site, "services/shop")
    heading = article.select_one("h2#unreleased")
    assert heading.get_text() == "Unreleased (draft)"
    draft = article.select_one("[data-rs=draft]")
    assert "Draft: not released yet" in draft.get_text() and "since v1.1.0" in draft.get_text()
    pending = article.select_one("details.rs-technical")
    assert pending.find("strong", string="PDF") is not None


@pytest.fixture(scope="module")
def served_notes(notes_site: Path):  # type: ignore[no-untyped-def]
    from tests.support.browser import serve

    server, url = serve(notes_site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["releases/REL-2/", "coordinated/REL-2/", "services/shop/"])
def test_the_technical_section_opens_on_click_and_has_no_serious_accessibility_violation(
    page: Any, served_notes: str, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(served_notes + path)
    section = page.locator("details.rs-technical").first
    assert not section.evaluate("d => d.open")
    assert not section.locator("li").first.is_visible()
    section.locator("summary").click()
    assert section.evaluate("d => d.open")
    assert section.locator("li").first.is_visible()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")] == []
    assert [r for r in page.requests if not r.startswith(served_notes)] == []
