"""The MkDocs plugin driven in this process, as MkDocs' own tests drive plugins (tests/base.py):
a config loaded from a dict, validated, then built. No subprocess, no relsite command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from .conftest import TODAY, soup

pytestmark = pytest.mark.site


def load_config(project: Path, **cfg: Any) -> MkDocsConfig:
    """A validated MkDocs config for a site in ``project`` (mkdocs' tests/base.py does the same)."""
    cfg.setdefault("site_name", "Foreign site")
    cfg.setdefault("docs_dir", str(project / "docs"))
    cfg.setdefault("site_dir", str(project / "public"))
    cfg.setdefault("theme", {"name": "material", "font": False})
    cfg.setdefault("plugins", ["search", {"relsite": {"releases": "releases", "today": TODAY}}])
    conf = MkDocsConfig(config_file_path=str(project / "mkdocs.yml"))
    conf.load_dict(cfg)
    errors, _warnings = conf.validate()
    assert errors == [], errors
    return conf


def test_a_foreign_site_gets_release_pages_from_the_plugin_alone(foreign_site: Path) -> None:
    build(load_config(foreign_site))
    page = soup(foreign_site / "public" / "releases" / "REL-1" / "index.html")
    assert page.select_one("h1").get_text(strip=True).startswith("REL-1")
    assert (foreign_site / "public" / "calendar" / "releases.ics").is_file()


def test_a_foreign_site_is_styled_by_the_assets_the_plugin_ships(foreign_site: Path) -> None:
    build(load_config(foreign_site))
    page = soup(foreign_site / "public" / "releases" / "index.html")
    sheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "../assets/relsite.css" in sheets and "../assets/relsite.js" in scripts
    assert ".rs-badge" in (foreign_site / "public" / "assets" / "relsite.css").read_text()


def test_a_sites_own_custom_dir_still_wins_over_the_plugins_templates(foreign_site: Path) -> None:
    overrides = foreign_site / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}{% block footer %}<p id="ours">our footer</p>{% endblock %}'
    )
    build(load_config(foreign_site, theme={"name": "material", "font": False, "custom_dir": str(overrides)}))
    page = soup(foreign_site / "public" / "releases" / "REL-1" / "index.html")
    assert page.select_one("#ours") is not None
    assert "../../assets/relsite.css" in [link["href"] for link in page.select('link[rel="stylesheet"]')]


def test_an_invalid_portfolio_stops_the_build_with_every_located_problem(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    release = foreign_site / "releases" / "REL-1.yaml"
    release.write_text(
        release.read_text().replace("status: planned", "status: planed").replace("risk: low", "risk: tiny")
    )
    with pytest.raises(Abort):
        build(load_config(foreign_site))
    assert "releases/REL-1.yaml:6:9: error: status: the text 'planed' is not allowed" in caplog.text
    assert "releases/REL-1.yaml:9:7: error: risk: the text 'tiny' is not allowed" in caplog.text
    assert not (foreign_site / "public" / "releases").exists()


def test_a_hand_written_page_where_a_generated_one_goes_is_refused(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "releases").mkdir()
    (foreign_site / "docs" / "releases" / "index.md").write_text("# Mine\n")
    with pytest.raises(Abort):
        build(load_config(foreign_site))
    assert "docs/releases/index.md clashes with a generated page" in caplog.text


def test_a_rebuild_with_the_same_plugin_starts_from_a_fresh_build_state(foreign_site: Path) -> None:
    """mkdocs serve rebuilds with the plugin it has: nothing of the last build may carry over."""
    config = load_config(foreign_site)
    build(config)
    plugin = config.plugins["relsite"]
    first = plugin.state
    assert first is not None and "releases/REL-1/index.md" in first.generated
    release = next((foreign_site / "releases").glob("REL-1.yaml"))
    release.rename(release.with_name("REL-7.yaml"))
    release.with_name("REL-7.yaml").write_text(release.with_name("REL-7.yaml").read_text().replace("REL-1", "REL-7"))
    build(config)
    assert plugin.state is not first
    assert (
        "releases/REL-1/index.md" not in plugin.state.generated and "releases/REL-7/index.md" in plugin.state.generated
    )
    assert first.writer is None and first.search is None  # the last build let go of its writer and search file
