"""relsite as a guest in documentation sites it does not own (tests/hosts/README.md): it adds its
pages, files and one nav entry, and the host's own pages come out as they were."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import PORTAL, TODAY, clean_env, make_project, soup

pytestmark = pytest.mark.site

HOSTS = Path(__file__).resolve().parent / "hosts"


@dataclass(frozen=True)
class Host:
    plain: Path
    """The host site built without relsite."""
    guest: Path
    """The same site built with relsite."""
    log: str


def _copy(name: str, dest: Path, with_plugin: bool, **options: Any) -> Path:
    shutil.copytree(HOSTS / name, dest)
    shutil.copytree(PORTAL, dest / "releases")
    config = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = []
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "relsite" in entry:
            if not with_plugin:
                continue
            entry = {"relsite": {k: v for k, v in {**entry["relsite"], **options}.items() if v is not None}}
        plugins.append(entry)
    config["plugins"] = plugins
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest


def _mkdocs(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )


def _site_dir(project: Path) -> Path:
    return project / yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_dir", "site")


def _host(name: str, tmp: Path) -> Host:
    plain, guest = _copy(name, tmp / "plain", False), _copy(name, tmp / "guest", True)
    without = _mkdocs(plain)
    assert without.returncode == 0, without.stderr
    built = _mkdocs(guest)
    assert built.returncode == 0, built.stderr
    return Host(_site_dir(plain), _site_dir(guest), built.stderr)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Host:
    return _host("handbook", tmp_path_factory.mktemp("handbook"))


@pytest.fixture(scope="module")
def teamdocs(tmp_path_factory: pytest.TempPathFactory) -> Host:
    return _host("teamdocs", tmp_path_factory.mktemp("teamdocs"))


def _host_pages(host: Host) -> list[str]:
    """The host's own pages (its "happening" page carries relsite's block on purpose: compared apart)."""
    return sorted(
        p.relative_to(host.plain).as_posix() for p in host.plain.rglob("index.html") if "status" not in p.parts
    )


def _article(path: Path) -> str:
    article = soup(path).select_one("article")
    assert article is not None, path
    return str(article)


# --- the host's pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["handbook", "teamdocs"])
def test_the_host_pages_keep_their_article_html(name: str, request: pytest.FixtureRequest) -> None:
    host: Host = request.getfixturevalue(name)
    pages = _host_pages(host)
    assert len(pages) >= 3
    for page in pages:
        assert _article(host.guest / page) == _article(host.plain / page), page


def _search_entries(site: Path) -> dict[str, list[dict[str, Any]]]:
    by_page: dict[str, list[dict[str, Any]]] = {}
    for doc in json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    return by_page


@pytest.mark.parametrize("name", ["handbook", "teamdocs"])
def test_the_host_pages_keep_their_search_entries(name: str, request: pytest.FixtureRequest) -> None:
    host: Host = request.getfixturevalue(name)
    plain, guest = _search_entries(host.plain), _search_entries(host.guest)
    plain.pop("status/", None)  # the page that carries relsite's block on purpose
    assert {page: guest.get(page) for page in plain} == plain
    assert len(guest) > len(plain)  # and the portal's pages are found too


def test_the_host_pages_link_neither_the_portals_stylesheet_nor_its_script(handbook: Host, teamdocs: Host) -> None:
    for host in (handbook, teamdocs):
        for page in _host_pages(host):
            html = (host.guest / page).read_text(encoding="utf-8")
            assert "relsite.css" not in html and "relsite.js" not in html and "data-rs-page" not in html, page


# --- the portal inside the host -----------------------------------------------------------------


def test_strict_nav_validation_builds_without_listing_generated_pages(handbook: Host) -> None:
    assert (handbook.guest / "releases" / "REL-2026-001" / "index.html").is_file()
    assert 'not included in the "nav"' not in handbook.log and "REL-2026-001" not in handbook.log


def _nav_entries(page: Path) -> list[tuple[str, str]]:
    nav = soup(page).select(".md-tabs__link")
    return [(a.get_text(" ", strip=True), str(a["href"])) for a in nav]


def test_the_portal_adds_one_nav_entry_at_the_end_by_default(handbook: Host) -> None:
    plain, guest = _nav_entries(handbook.plain / "index.html"), _nav_entries(handbook.guest / "index.html")
    assert guest == [*plain, ("Releases", "releases/")]


def test_the_portal_entry_takes_its_configured_title_and_place(teamdocs: Host) -> None:
    plain, guest = _nav_entries(teamdocs.plain / "index.html"), _nav_entries(teamdocs.guest / "index.html")
    assert guest == [plain[0], ("Release portal", "portal/releases/"), *plain[1:]]


def test_the_portal_entry_can_be_switched_off(tmp_path: Path) -> None:
    project = _copy("teamdocs", tmp_path / "off", True, nav_entry={"enabled": False})
    assert _mkdocs(project).returncode == 0
    assert [t for t, _ in _nav_entries(project / "site" / "index.html")] == [
        "Team docs",
        "Releases",
        "Status",
        "Support",
    ]


def test_a_site_whose_nav_lists_a_portal_page_gets_no_second_entry(tmp_path: Path) -> None:
    project = _copy("handbook", tmp_path / "listed", True)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("- Home: index.md", "- Home: index.md\n- Our releases: releases/index.md")
    )
    built = _mkdocs(project)
    assert built.returncode == 0, built.stderr
    assert [t for t, _ in _nav_entries(project / "public" / "index.html")] == ["Home", "Our releases", "Guide"]


def test_under_a_prefix_every_page_file_feed_and_search_entry_moves_with_the_portal(teamdocs: Host) -> None:
    site = teamdocs.guest
    for path in (
        "portal/releases/index.html",
        "portal/releases/REL-2026-001/handover/index.html",
        "portal/calendar/releases.ics",
        "portal/api/v1/releases.json",
        "portal/api/v1/release-index.json",
        "portal/feed.xml",
        "portal/assets/relsite.js",
        "portal/assets/relsite.css",
        "portal/reference/fields/index.html",
    ):
        assert (site / path).is_file(), path
    assert (site / "feed.xml").read_bytes() == (teamdocs.plain / "feed.xml").read_bytes()  # the host's own feed
    generated = {doc for doc in _search_entries(site) if doc.startswith("portal/")}
    assert "portal/releases/REL-2026-001/" in generated
    release = soup(site / "portal/releases/REL-2026-001/index.html")
    assert release.select_one('link[href="../../assets/relsite.css"]') is not None
    assert release.select_one('script[src="../../assets/relsite.js"]') is not None
    finder = soup(site / "portal/releases/index.html").select_one("form[data-rs-index]")
    assert finder is not None and finder["data-rs-index"] == "../api/v1/release-index.json"


def test_a_relsite_block_in_a_host_page_links_into_the_prefixed_portal(teamdocs: Host) -> None:
    page = soup(teamdocs.guest / "status" / "index.html")
    links = [str(a["href"]) for a in page.select("article a[href]") if not str(a["href"]).startswith("#")]
    assert links and all(href.startswith("../portal/") for href in links), links
    assert page.select_one('link[href="../portal/assets/relsite.css"]') is not None
    assert page.select_one("body[data-rs-page]") is None  # the page-wide rules stay off a host page
    assert page.select_one('script[src$="relsite.js"]') is None  # the block needs no script


def test_the_portals_pages_follow_a_custom_dir_override_and_keep_their_stylesheet(handbook: Host) -> None:
    page = soup(handbook.guest / "releases" / "REL-2026-001" / "index.html")
    assert page.select_one(".handbook-notice") is not None
    assert page.select_one('link[href="../../assets/relsite.css"]') is not None


# --- clashes ------------------------------------------------------------------------------------


def test_a_host_file_where_the_portal_publishes_is_an_error_naming_both(tmp_path: Path) -> None:
    project = _copy("teamdocs", tmp_path / "clash", True, path=None)  # None: the option is left out
    built = _mkdocs(project)
    assert built.returncode != 0
    assert (
        "docs/releases.md clashes with a generated page: "
        "relsite's releases/index.md is also published as releases/index.html" in built.stderr
    )
    assert "docs/feed.xml clashes with a generated file: relsite also publishes feed.xml" in built.stderr
    assert "path: portal/" in built.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    "command", [["mkdocs", "build"], ["relsite", "build", "--today", TODAY, "--engine", "zensical"]]
)
def test_a_site_with_file_urls_is_told_the_portal_needs_directory_urls_before_anything_is_built(
    tmp_path: Path, command: list[str]
) -> None:
    project = _copy("teamdocs", tmp_path / "file-urls", True)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("use_directory_urls: false\n")
    built = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )
    assert built.returncode != 0
    assert "relsite: the portal needs use_directory_urls: true (MkDocs' default)" in built.stderr
    assert not (project / "site").exists()


# --- computed styles in Chromium ---------------------------------------------------------------

_STYLES = """(scheme) => {
  if (scheme) document.body.setAttribute('data-md-color-scheme', scheme);
  const keep = (el) => {
    const cs = getComputedStyle(el), parts = [];
    for (let i = 0; i < cs.length; i++) {
      const k = cs[i]; if (!k.startsWith('--')) parts.push(k + ':' + cs.getPropertyValue(k));
    }
    for (const pseudo of ['::before', '::after']) parts.push(pseudo + ':' + getComputedStyle(el, pseudo).content);
    return parts.join('\\n');
  };
  const out = {};
  document.querySelectorAll('.md-content *, .md-header *').forEach((el, i) => {
    out['content ' + i + ' ' + el.tagName] = keep(el); });
  document.querySelectorAll('.md-tabs__link, .md-nav__link').forEach((el) => {
    out['nav ' + el.textContent.trim() + ' ' + el.getAttribute('href')] = keep(el); });
  out.body = keep(document.body);
  return out;
}"""
_STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"
"""Material animates colours and the header: stop it in both builds, so that only styles are compared."""


def _styles(pg: Any, scheme: str) -> dict[str, str]:
    styles: dict[str, str] = pg.evaluate(_STYLES, scheme)
    return styles


def _differences(before: dict[str, str], after: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    return {
        key: sorted(set(before[key].split("\n")) ^ set(after[key].split("\n")))[:6]
        for key in before
        if key in after and before[key] != after[key]
    }


@pytest.fixture
def each_view(browser: Any) -> Iterator[Any]:
    views = []

    def view(width: int, media: str) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900})
        views.append(context)
        pg = context.new_page()
        pg.emulate_media(media=media)
        return pg

    yield view
    for context in views:
        context.close()


@pytest.mark.parametrize("name", ["handbook", "teamdocs"])
def test_the_host_pages_keep_their_computed_styles_in_both_schemes_on_screen_phone_and_paper(
    name: str, request: pytest.FixtureRequest, each_view: Any
) -> None:
    host: Host = request.getfixturevalue(name)
    for width, media in ((1280, "screen"), (390, "screen"), (1280, "print")):
        pg = each_view(width, media)
        for page in _host_pages(host):
            seen = []
            for site in (host.plain, host.guest):
                pg.goto((site / page).as_uri())
                pg.add_style_tag(content=_STILL)
                seen.append({scheme: _styles(pg, scheme) for scheme in ("default", "slate")})
            for scheme in ("default", "slate"):
                before, after = seen[0][scheme], seen[1][scheme]
                assert len(before) > 20
                assert all(key.startswith("nav ") for key in set(after) - set(before)), (page, set(after) - set(before))
                assert set(before) <= set(after), (page, set(before) - set(after))
                assert not _differences(before, after), (page, width, media, scheme, _differences(before, after))


def test_the_portals_own_pages_are_styled_under_a_prefix(teamdocs: Host, each_view: Any) -> None:
    pg = each_view(1280, "screen")
    pg.goto((teamdocs.guest / "portal" / "releases" / "REL-2026-001" / "index.html").as_uri())
    badge = pg.locator(".rs-badge").first
    assert badge.evaluate("el => getComputedStyle(el).borderRadius") != "0px"
    link = pg.locator("article a[href]:not(.md-button):not(.headerlink)").first
    assert "underline" in link.evaluate("el => getComputedStyle(el).textDecorationLine")


# --- the authors' guide -------------------------------------------------------------------------


def test_every_portal_has_the_authors_guide_with_every_stage(handbook: Host, teamdocs: Host) -> None:
    from relsite.validate.lifecycle import RELEASE_STATUSES

    for page in (
        handbook.guest / "guides" / "propose" / "index.html",
        teamdocs.guest / "portal" / "guides" / "propose" / "index.html",
    ):
        guide = soup(page)
        listed = {code.get_text() for code in guide.select('table[data-rs="stages"] td:first-child code')}
        assert listed == set(RELEASE_STATUSES), page
        rules = guide.select_one('a[href$="reference/rules/"]')
        assert rules is not None and rules["href"] == "../../reference/rules/"


def test_a_sites_own_guide_at_the_same_path_wins(tmp_path: Path) -> None:
    project = _copy("handbook", tmp_path / "own-guide", True)
    (project / "docs" / "guides").mkdir()
    (project / "docs" / "guides" / "propose.md").write_text(
        "# Proposing, our way\n\nAsk in the channel first.\n", encoding="utf-8"
    )
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")  # strict: the site lists its own page
    (project / "mkdocs.yml").write_text(
        config.replace("- Home: index.md", "- Home: index.md\n- Proposing: guides/propose.md")
    )
    built = _mkdocs(project)
    assert built.returncode == 0, built.stderr
    article = soup(project / "public" / "guides" / "propose" / "index.html").select_one("article")
    assert article is not None and "Ask in the channel first." in article.get_text() and not article.select("table")


def test_the_zensical_path_follows_the_prefix_too(tmp_path: Path) -> None:
    project = make_project(tmp_path / "zensical", PORTAL)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("      releases: releases", "      releases: releases\n      path: portal/")
    )
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY, "--engine", "zensical"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert (site / "portal" / "releases" / "REL-2026-014" / "index.html").is_file()
    assert (site / "portal" / "api" / "v1" / "releases" / "REL-2026-014.json").is_file()
    assert not (site / "releases" / "REL-2026-014").exists()


def test_example_credentials_in_a_host_page_never_fail_the_build_or_change_the_page(handbook: Host) -> None:
    """Placeholders are no finding; a URL with a password on the host's own page is reported at the
    Markdown source (not the built HTML), as information under the host's strict: true (a warning
    would fail its build), and the page is published as written."""
    findings = [line for line in handbook.log.splitlines() if "looks like" in line]
    assert [f.split(": warning:")[0].split()[-1] for f in findings] == ["docs/guide/setup.md:25:52"]
    for site in (handbook.plain, handbook.guest):
        assert "Tr0ub4dor3" in (site / "guide" / "setup" / "index.html").read_text(encoding="utf-8")
