"""Values from YAML that reach an engine's own page chrome (``<title>``, the header, ``<h1>``, the
navigation, ``<meta name="description">``, search results) are text on every engine: a title or
summary written to break out of an element or an attribute runs no script and is shown as written.

The engines' templates print page titles and descriptions without escaping, so this is checked in
a real browser for each engine, on a site without ``nav:`` (every page is then in the navigation).
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from .conftest import SITES, TODAY, clean_env, make_project

RELEASES = SITES / "hostile-chrome" / "releases"
_RELEASE = yaml.safe_load((RELEASES / "REL-1.yaml").read_text(encoding="utf-8"))
_SERVICE = yaml.safe_load((RELEASES / "portfolio.yaml").read_text(encoding="utf-8"))["services"][0]
TITLE = f"REL-1: {_RELEASE['title']}"
SUMMARY = _RELEASE["summary"]
SERVICE_TITLE = _SERVICE["title"]
PAGES = ("releases/REL-1/", "releases/REL-1/handover/", "services/shop/", "services/", "releases/", "")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module", params=["mkdocs", "properdocs", "zensical"])
def hostile_chrome(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture built with one engine and served over HTTP; yields the site's URL."""
    project = make_project(tmp_path_factory.mktemp(f"chrome-{request.param}"), RELEASES)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").split("\nnav:")[0], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY, "--engine", str(request.param)],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_Quiet, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _visit(page: Any, url: str) -> list[str]:
    """Open ``url`` and return what a hostile value managed to run: dialogs and requests for ``x``."""
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    page.on("request", lambda r: ran.append(r.url) if r.url.endswith("/x") else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.move(300, 200)
    return ran


def test_hostile_titles_and_summaries_run_no_script_on_any_engine(page: Any, hostile_chrome: str) -> None:
    for path in PAGES:
        assert _visit(page, hostile_chrome + path) == [], path
        assert page.query_selector("img[src=x], svg[onload], [onmouseover], [onfocus]") is None, path


def test_a_hostile_release_title_is_shown_as_written_in_the_title_and_the_heading(
    page: Any, hostile_chrome: str
) -> None:
    _visit(page, hostile_chrome + "releases/REL-1/")
    assert page.title().startswith(TITLE + " - ")
    assert page.text_content("article h1") == TITLE
    assert page.text_content(".md-header__topic:last-child .md-ellipsis").strip() == TITLE


def test_a_hostile_title_in_the_navigation_is_text(
    page: Any, hostile_chrome: str, request: pytest.FixtureRequest
) -> None:
    """MkDocs and ProperDocs list only the portal's one nav entry (release pages are reached from
    indexes); Zensical, building a staged folder without a nav, lists the release pages themselves."""
    _visit(page, hostile_chrome + "releases/REL-1/")
    nav = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link", "els => els.map(e => e.textContent.trim())")
    html = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link", "els => els.map(e => e.innerHTML)")
    assert nav and not any("<img" in h or "<script" in h or "<svg" in h for h in html)
    if request.node.callspec.params["hostile_chrome"] == "zensical":
        assert TITLE in nav


def test_a_hostile_summary_is_the_whole_meta_description(page: Any, hostile_chrome: str) -> None:
    _visit(page, hostile_chrome + "releases/REL-1/")
    assert page.get_attribute('meta[name="description"]', "content") == SUMMARY
    assert len(page.query_selector_all('meta[name="description"]')) == 1


def test_a_hostile_service_title_is_shown_as_written(page: Any, hostile_chrome: str) -> None:
    _visit(page, hostile_chrome + "services/shop/")
    assert page.title().startswith(SERVICE_TITLE + " - ")
    assert page.text_content("article h1") == SERVICE_TITLE


def _search_titles(page: Any, query: str) -> list[str]:
    """Type ``query`` into the engine's search and return the result headings as shown. Material's
    search is in the page; Zensical's in a dialog inside an open shadow root (CSS selectors pierce it)."""
    if page.query_selector("input.md-search__input") is not None:
        page.click("input.md-search__input")
        results = ".md-search-result__item h1, .md-search-result__item h2"
    else:
        page.click(".md-search__button")
        results = "dialog ol[role=listbox] h2"
    page.keyboard.type(query)
    page.wait_for_selector(results)
    page.wait_for_timeout(300)
    return [
        re.sub(r"\s+", " ", t).strip() for t in page.eval_on_selector_all(results, "els => els.map(e => e.textContent)")
    ]


def test_searching_for_a_hostile_title_shows_it_as_text(page: Any, hostile_chrome: str) -> None:
    ran = _visit(page, hostile_chrome + "releases/")
    titles = _search_titles(page, "Title")
    assert ran == []
    assert (
        page.query_selector(
            "dialog img[src=x], dialog svg[onload], .md-search-result img[src=x], .md-search-result svg"
        )
        is None
    )
    assert re.sub(r"\s+", " ", TITLE) in titles, titles
