"""relsite outside this repository: `relsite init`, a foreign MkDocs site, and the other engines."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from .conftest import CASES, PORTAL, TODAY, clean_env, make_project, soup

pytestmark = pytest.mark.site


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relsite", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


# --- relsite init -------------------------------------------------------------------------------


def test_init_starts_a_portal_that_validates_and_builds(tmp_path: Path) -> None:
    result = _run("init", "portal", "--name", "Globex", "--timezone", "America/Chicago", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    portal = tmp_path / "portal"
    for path in (
        "mkdocs.yml",
        "releases/portfolio.yaml",
        "content/index.md",
        ".pre-commit-config.yaml",
        "schema/release.schema.json",
        ".github/workflows/validate.yml",
        ".github/workflows/pr-comment.yml",
        ".github/workflows/publish.yml",
    ):
        assert (portal / path).is_file(), path
    assert (
        (portal / "releases/portfolio.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../schema/portfolio.schema.json")
    )
    assert "site_name: Globex release portal" in (portal / "mkdocs.yml").read_text()
    assert _run("validate", "--strict", cwd=portal).returncode == 0
    built = _run("build", "--today", TODAY, cwd=portal)
    assert built.returncode == 0, built.stderr
    assert list((portal / "site" / "releases").glob("REL-*/index.html"))


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    assert _run("init", "--name", "A", "--timezone", "UTC", cwd=tmp_path).returncode == 0
    (tmp_path / "content" / "index.md").write_text("# ours\n")
    before = _hashes(tmp_path)
    again = _run("init", "--name", "B", "--timezone", "Asia/Tokyo", cwd=tmp_path)
    assert again.returncode == 0 and "kept" in again.stdout and "wrote" not in again.stdout
    assert _hashes(tmp_path) == before


def test_init_in_an_existing_mkdocs_site_adds_only_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Handbook\ndocs_dir: handbook\ntheme: {name: material}\n")
    (tmp_path / "handbook").mkdir()
    (tmp_path / "handbook" / "index.md").write_text("# Our handbook\n")
    before = {p: (tmp_path / p).read_bytes() for p in ("mkdocs.yml", "handbook/index.md")}
    result = _run("init", "--name", "Handbook Inc", "--timezone", "Europe/Paris", cwd=tmp_path)
    assert result.returncode == 0
    assert {p: (tmp_path / p).read_bytes() for p in before} == before
    assert (tmp_path / "releases" / "portfolio.yaml").is_file() and not (tmp_path / "content").exists()
    assert "Add the plugin to mkdocs.yml" in result.stdout


def test_the_workflows_init_writes_pass_the_actions_audit(tmp_path: Path) -> None:
    assert _run("init", "--name", "A", "--timezone", "UTC", cwd=tmp_path).returncode == 0
    audit = subprocess.run(
        [
            str(Path(sys.executable).parent / "zizmor"),
            "--offline",
            "--persona=auditor",
            str(tmp_path / ".github/workflows"),
        ],
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
    for workflow in (tmp_path / ".github/workflows").glob("*.yml"):
        assert "relsite==" in workflow.read_text() or "pip install" not in workflow.read_text()


def test_init_refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    result = _run("init", "--name", "A", "--timezone", "Mars/Olympus", cwd=tmp_path)
    assert result.returncode == 2 and "not a known IANA time zone" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- other engines ------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["properdocs", "zensical"])
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    engine = str(request.param)
    project = make_project(tmp_path_factory.mktemp(engine), PORTAL)
    result = _run("build", "--today", TODAY, "--engine", engine, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return engine, project / "site"


def test_every_engine_builds_the_release_and_handover_pages(engine_site: tuple[str, Path]) -> None:
    _, site = engine_site
    page = soup(site / "releases" / "REL-2026-014" / "index.html")
    assert "Payments gateway 4.2" in page.get_text()
    assert page.select_one('[data-rs-built="2026-11-27"]') is not None
    handover = soup(site / "releases" / "REL-2026-014" / "handover" / "index.html")
    assert "Rollback" in handover.get_text()
    for path in (
        "environments/index.html",
        "services/index.html",
        "calendar/index.html",
        "calendar/agenda/index.html",
        "releases/index.html",
        "releases/2026/index.html",
        "reference/rules/index.html",
    ):
        assert (site / path).is_file(), path


def test_every_engine_publishes_the_feeds_and_the_api(engine_site: tuple[str, Path]) -> None:
    _, site = engine_site
    events = Calendar.from_ical((site / "calendar" / "releases.ics").read_bytes()).walk("VEVENT")
    assert any(str(e["UID"]) == "REL-2026-014.prod.window@relsite" for e in events)
    assert (site / "api" / "v1" / "releases" / "REL-2026-014.json").is_file() and (site / "feed.xml").is_file()


def test_every_engine_styles_the_pages(engine_site: tuple[str, Path]) -> None:
    _, site = engine_site
    html = (site / "releases" / "REL-2026-014" / "index.html").read_text()
    assert "assets/relsite.css" in html and (site / "assets" / "relsite.css").is_file()


def test_contributor_text_stays_out_of_the_engines_markdown_extensions(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", CASES / "valid-minimal" / "releases")
    (project / "content" / "secret.txt").write_text("TOP-SECRET-SNIPPET")
    release = project / "releases" / "REL-1.yaml"
    release.write_text(
        release.read_text().replace(
            "summary: A base release.",
            'summary: "Sneaky\\n\\n--8<-- \\"secret.txt\\"\\n\\n{{ config.site_name }} {: .injected } ${{ env }}"',
        )
    )
    result = _run("build", "--today", TODAY, "--engine", "zensical", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "site" / "releases" / "REL-1" / "index.html").read_text()
    assert "TOP-SECRET-SNIPPET" not in html and "Test portal" not in html.split("<article")[-1]
    assert 'class="injected"' not in html and "--8&lt;--" in html
