"""Material's chrome rendered once per kind of page and filled (relsite/publish/page_chrome.py) against
Material rendering main.html for every page: the same site built both ways must give the same files,
and a build's skeletons must give back every page it wrote."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from relsite.pipeline import plan_site
from relsite.plan.site import Page, Site
from relsite.publish.chrome_skeleton import Parts, Skeleton
from relsite.publish.mkdocs_plugin import RelsitePlugin
from relsite.publish.page_chrome import PageChrome
from relsite.publish.secret_gate import relsite_findings

from .conftest import PORTAL, TODAY, make_project, tree_hashes

HOSTS = Path(__file__).resolve().parent / "hosts"
TRICKY_TITLES = {
    "REL-2026-014": 'Payments & <gateway> "4.2"  with  double   spaces',
    "REL-2026-001": "Tom's </title> & 'quotes' <b>bold</b>",
}


def _build(project: Path, chrome: bool, site_dir: str = "site") -> tuple[Path, RelsitePlugin]:
    """``mkdocs build`` in this process, with the page-chrome fast path or without it (every other fast path on)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        mp.setenv("RELSITE_TODAY", TODAY)
        mp.setenv("RELSITE_FAST_PATHS", "" if chrome else "-page-chrome")
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site_dir))
        build(config)
        plugin = config.plugins["relsite"]
        assert isinstance(plugin, RelsitePlugin) and plugin.chrome is chrome
        return Path(config.site_dir), plugin


def _both(project: Path) -> tuple[dict[str, str], dict[str, str]]:
    filled, _ = _build(project, True, "filled")
    plain, _ = _build(project, False, "plain")
    return tree_hashes(filled), tree_hashes(plain)


def _edit_config(project: Path, **changes: Any) -> None:
    config = project / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.update(changes)
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _tricky_project(dest: Path) -> Path:
    """The portal with titles and summaries that hold & < " ' and runs of spaces, a site_url (canonical
    URLs), repo_url and edit_uri (edit buttons on the site's own pages)."""
    project = make_project(dest, PORTAL)
    for rel, title in TRICKY_TITLES.items():
        path = project / "releases" / f"{rel}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"], data["summary"] = title, f'Summary of {title}:  &amp; "quoted"   <i>'
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["features"] = [*config["theme"]["features"], "content.action.edit", "navigation.footer"]
    _edit_config(
        project,
        site_url="https://portal.example.com/docs/",
        repo_url="https://git.example.com/acme/portal",
        edit_uri="edit/main/content/",
        theme=config["theme"],
    )
    return project


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("portal"), PORTAL)


# --- the same files either way --------------------------------------------------------------------


@pytest.mark.site
def test_the_portal_is_the_same_file_for_file_built_with_and_without_skeletons(portal: Path) -> None:
    filled, plain = _both(portal)
    assert len(filled) > 100
    assert {p for p in filled if filled[p] != plain.get(p)} == set()
    assert filled.keys() == plain.keys()


@pytest.mark.site
def test_hostile_titles_a_site_url_and_edit_links_give_the_same_files_both_ways(tmp_path: Path) -> None:
    filled, plain = _both(_tricky_project(tmp_path))
    assert filled == plain


@pytest.mark.site
def test_a_portal_under_a_prefix_in_a_host_site_is_the_same_both_ways(tmp_path: Path) -> None:
    project = tmp_path / "teamdocs"
    shutil.copytree(HOSTS / "teamdocs", project)
    shutil.copytree(PORTAL, project / "releases")
    filled, plain = _both(project)
    assert "portal/releases/REL-2026-014/index.html" in filled
    assert filled == plain


# --- the fast path is taken, and checked ----------------------------------------------------------


@pytest.fixture(scope="module")
def built(portal: Path) -> Iterator[tuple[Path, RelsitePlugin]]:
    yield _build(portal, True, "in-process")


@pytest.mark.site
def test_release_and_handover_pages_share_a_few_skeletons(built: tuple[Path, RelsitePlugin]) -> None:
    _, plugin = built
    chrome = _chrome(plugin)
    assert 0 < len(chrome.skeletons) <= 20 and chrome.disabled == set()


def _chrome(plugin: RelsitePlugin) -> PageChrome:
    assert plugin.state is not None
    return plugin.state.page_chrome


def _plan(plugin: RelsitePlugin) -> Site:
    """The build's plan again, from the project folder (pages name their source files relative to it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(plugin.releases_dir.parent)
        site, _problems, _count = plan_site(plugin.releases_dir, plugin.today, "", 1, plugin.prefix)
    assert site is not None
    return site


def _planned(plugin: RelsitePlugin) -> list[Page]:
    return _plan(plugin).pages


@pytest.mark.site
def test_fill_gives_back_every_generated_page_byte_for_byte(built: tuple[Path, RelsitePlugin]) -> None:
    site_dir, plugin = built
    pages = _planned(plugin)
    assert len(pages) > 50
    different = [
        p.src_uri
        for p in pages
        if _chrome(plugin).fill(p, p.render()) != (site_dir / p.url / "index.html").read_text(encoding="utf-8")
    ]
    assert different == []


@pytest.mark.site
def test_fill_refuses_a_page_in_the_navigation_whose_title_changed(built: tuple[Path, RelsitePlugin]) -> None:
    _, plugin = built
    page = next(p for p in _planned(plugin) if p.src_uri == "environments/index.md")
    renamed = Page(
        src_uri=page.src_uri,
        url=page.url,
        title=page.title + " (renamed)",
        render=page.render,
        toc=page.toc,
        description=page.description,
        hide=page.hide,
    )
    assert _chrome(plugin).fill(page, page.render()) is not None
    assert _chrome(plugin).fill(renamed, page.render()) is None


@pytest.mark.site
def test_fill_refuses_a_kind_of_page_the_build_never_rendered(built: tuple[Path, RelsitePlugin]) -> None:
    _, plugin = built
    page = next(p for p in _planned(plugin) if p.url.endswith("/handover/"))
    odd = Page(
        src_uri="releases/REL-9/handover.md",
        url="releases/REL-9/handover/",
        title="REL-9",
        render=page.render,
        toc=(*page.toc, ("extra", "Extra"), ("more", "More"), ("most", "Most")),
    )
    assert _chrome(plugin).fill(odd, "<p>body</p>") is None


@pytest.mark.site
def test_fill_host_gives_back_a_host_page_that_carries_a_relsite_block(tmp_path: Path) -> None:
    project = tmp_path / "teamdocs"
    shutil.copytree(HOSTS / "teamdocs", project)
    shutil.copytree(PORTAL, project / "releases")
    site_dir, plugin = _build(project, True)
    site = _plan(plugin)
    written = (site_dir / "status" / "index.html").read_text(encoding="utf-8")
    assert _chrome(plugin).fill_host("status.md", site.fragments) == written
    assert _chrome(plugin).fill_host("index.md", site.fragments) is None


@pytest.mark.site
def test_a_site_with_a_plugin_relsite_does_not_know_renders_every_page_in_full(tmp_path: Path) -> None:
    project = make_project(tmp_path, PORTAL)
    (project / "hooks.py").write_text("def on_page_context(context, page, config, nav):\n    return context\n")
    _edit_config(project, hooks=["hooks.py"])
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        mp.setenv("RELSITE_TODAY", TODAY)
        config = load_config(str(project / "mkdocs.yml"))
        build(config)
    plugin = config.plugins["relsite"]
    assert isinstance(plugin, RelsitePlugin) and plugin.fast and not plugin.chrome
    assert _chrome(plugin).skeletons == {}


@pytest.mark.site
@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "<title>{{ page.meta.title | reverse }}</title>",
            "<title>" + "REL-2026-014: Payments gateway 4.2"[::-1] + "</title>",
        ),
        (
            "<title>{{ page.meta.title | length }} characters</title>",
            f"<title>{len('REL-2026-014: Payments gateway 4.2')} characters</title>",
        ),
        ("<title>{{ page.url }}</title>", "<title>releases/REL-2026-014/</title>"),
    ],
    ids=["reversed", "length", "url"],
)
def test_a_site_template_that_does_more_than_print_a_title_disables_its_kinds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, block: str, expected: str
) -> None:
    project = make_project(tmp_path, PORTAL)
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block htmltitle %}{% if page %}'
        + block
        + "{% else %}{{ super() }}{% endif %}{% endblock %}"
    )
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    _edit_config(project, theme={**config["theme"], "custom_dir": "overrides"})
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.relsite"):
        site_dir, plugin = _build(project, True)
    assert expected in (site_dir / "releases" / "REL-2026-014" / "index.html").read_text(encoding="utf-8")
    assert _chrome(plugin).disabled
    assert "rendered in full" in caplog.text


# --- without a site -------------------------------------------------------------------------------


def test_a_page_whose_values_hold_a_sentinel_character_is_not_filled() -> None:
    parts = Parts("releases/REL-1/", "REL-1 \ue000t\ue001", "", None, (), (), "<p>body</p>")
    assert not parts.usable and Parts("releases/REL-1/", "REL-1", "", None, (), (), "<p>b</p>").usable


def test_a_skeleton_whose_sentinels_a_template_changed_is_refused() -> None:
    printed = "<title>\ue000t\ue001</title><article>\ue000b\ue001</article>"
    assert Skeleton.cut(printed, {"t", "b"}, h1=False) == Skeleton(
        ("<title>", "t", "</title><article>", "b", "</article>")
    )
    assert Skeleton.cut("<title>\ue001t\ue000</title>\ue000b\ue001", {"t", "b"}, h1=False) is None
    assert Skeleton.cut("<title>\ue000t\ue001</title>", {"t", "b"}, h1=False) is None  # no body


def test_the_secret_gate_finds_a_token_a_filled_value_completes_in_the_chrome() -> None:
    skeleton = Skeleton(("<title>gh", "t", "</title><article>", "b", "</article>"))
    text, composed = skeleton.compose({"t": "p_" + "a1B2c3D4" * 5, "b": "<p>clean</p>"})
    found = relsite_findings("releases/REL-1/index.html", text, frozenset(), body="<p>clean</p>", composed=composed)
    assert len(found) == 1 and "a GitHub token" in found[0]
    assert found == relsite_findings("releases/REL-1/index.html", text, frozenset(), body="<p>clean</p>")


def test_the_secret_gate_runs_no_pattern_on_a_clean_filled_page() -> None:
    _, composed = Skeleton(("<title>", "t", "</title><article>", "b", "</article>")).compose(
        {"t": "REL-1", "b": "<p>x</p>"}
    )
    assert composed.patterns() == []
