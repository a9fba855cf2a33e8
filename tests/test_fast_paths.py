"""The fast paths into MkDocs and Material internals (relsite/publish/internals.py) against their
plain fallbacks: the same fixture built both ways must give the same pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from relsite.publish import internals

from .conftest import PORTAL, build, make_project

pytestmark = pytest.mark.site


def _site(tmp_path_factory: pytest.TempPathFactory, name: str, fast: bool) -> Path:
    project = make_project(tmp_path_factory.mktemp(name), PORTAL)
    if not fast:
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text().replace("releases: releases", 'releases: releases\n      fast_paths: "off"')
        )
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _site(tmp_path_factory, "fast", True), _site(tmp_path_factory, "plain", False)


def _content(path: Path) -> str:
    """A page's main content as structure and text, without the table wrappers Material's script adds."""
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None
    for div in article.select("div.md-typeset__scrollwrap, div.md-typeset__table"):
        div.unwrap()
    return re.sub(r"\s+", " ", str(article))


def _toc(path: Path) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select("nav.md-nav--secondary a.md-nav__link")]


def test_the_fast_paths_are_taken_with_the_verified_versions() -> None:
    assert internals.supported("material")
    assert internals.enabled("auto", "material") and not internals.enabled("off", "material")


def test_every_page_is_the_same_built_both_ways(both: tuple[Path, Path]) -> None:
    fast, plain = both
    pages = sorted(p.relative_to(fast) for p in fast.rglob("index.html"))
    assert len(pages) > 50
    different = [str(p) for p in pages if _content(fast / p) != _content(plain / p)]
    assert different == []


def test_tables_of_contents_are_the_same_both_ways(both: tuple[Path, Path]) -> None:
    fast, plain = both
    for page in (
        "releases/REL-2026-014/index.html",
        "releases/REL-2026-014/handover/index.html",
        "environments/index.html",
    ):
        assert _toc(fast / page) == _toc(plain / page) != []


def test_search_finds_release_pages_both_ways(both: tuple[Path, Path]) -> None:
    for site in both:
        docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
        locations = {d["location"] for d in docs}
        assert "releases/REL-2026-014/" in locations and "releases/REL-2026-014/#features" in locations
        assert "releases/REL-2026-014/handover/#known-errors" in locations


def test_the_plain_build_writes_no_table_wrappers_and_the_fast_one_does(both: tuple[Path, Path]) -> None:
    fast, plain = both
    assert "md-typeset__scrollwrap" in (fast / "releases/index.html").read_text()
    assert "md-typeset__scrollwrap" not in (plain / "releases/REL-2026-014/index.html").read_text()
