"""Building as a team does: reproducible output, failures that publish nothing, strict MkDocs, live reload."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from relsite.publish.output_folder import MARKER

from .conftest import PORTAL, TODAY, build, clean_env, make_project

pytestmark = pytest.mark.site


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_with_the_same_today_are_byte_identical(tmp_path: Path, portal_site: Path) -> None:
    project = make_project(tmp_path / "again", PORTAL)
    assert build(project).returncode == 0
    first, second = _tree(portal_site), _tree(project / "site")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_another_today_changes_the_status_date(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    assert build(project, today="2026-12-05").returncode == 0
    assert "Status as of <strong>5 December 2026</strong>" in (project / "site/releases/index.html").read_text()


def test_mkdocs_build_strict_passes_on_the_example(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(RELSITE_TODAY=TODAY),
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site/releases/REL-2026-014/index.html").exists()


def _broken_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", PORTAL)
    assert build(project).returncode == 0
    (project / "site" / "marker.txt").write_text("previous site")
    text = (
        (project / "releases/REL-2026-014.yaml")
        .read_text()
        .replace("end: 2026-12-02T23:00:00Z", "end: 2026-12-02T20:00:00Z")
    )
    (project / "releases/REL-2026-014.yaml").write_text(text)
    return project


def test_a_portfolio_with_errors_stops_relsite_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    project = _broken_project(tmp_path)
    result = build(project)
    assert result.returncode == 1
    assert (
        "\nreleases/REL-2026-014.yaml:38:48: error: environments.prod.window.end (2026-12-02 20:00 UTC) is before start"
        in "\n" + result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (project / "site" / "marker.txt").read_text() == "previous site"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


def test_a_portfolio_with_errors_stops_mkdocs_build_with_the_same_messages(tmp_path: Path) -> None:
    project = _broken_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(RELSITE_TODAY=TODAY),
    )
    assert result.returncode == 1
    assert "releases/REL-2026-014.yaml:38:48: error: environments.prod.window.end" in result.stderr


def test_an_interrupted_build_leaves_the_previous_site_untouched(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from relsite.publish import atomic

    project = make_project(tmp_path / "p", PORTAL)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    (site / MARKER).write_text("built by relsite")

    def explode(engine, config_file, site_dir, strict):  # type: ignore[no-untyped-def]
        Path(site_dir, "half.html").write_text("half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "run_build", explode)
    monkeypatch.setenv("RELSITE_TODAY", TODAY)
    with contextlib.suppress(KeyboardInterrupt):
        atomic.build_atomically(project / "mkdocs.yml", site)
    assert _tree(site) == {"index.html": b"old", MARKER: b"built by relsite"}
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []


def test_a_successful_build_replaces_the_old_site_completely(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    assert build(project).returncode == 0
    (project / "site" / "stale.html").write_text("stale")
    assert build(project).returncode == 0
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return str(resp.read().decode())
    except urllib.error.HTTPError as exc:  # a page not built yet: the error holds the open response
        exc.close()
        raise


def test_serve_rebuilds_when_a_release_file_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/releases/REL-2026-014/"
    try:
        deadline = time.monotonic() + 60
        page = ""
        while time.monotonic() < deadline:
            try:
                page = _get(url)
                break
            except OSError:
                time.sleep(0.3)
        assert "Payments gateway 4.2" in page
        release = project / "releases/REL-2026-014.yaml"
        release.write_text(
            release.read_text().replace("title: Payments gateway 4.2", "title: Payments gateway 4.2 renamed")
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "Payments gateway 4.2 renamed" not in page:
            time.sleep(0.5)
            with contextlib.suppress(OSError):
                page = _get(url)
        assert "Payments gateway 4.2 renamed" in page
        # calendars are written by a separate writer process in serve; it must have caught up too
        assert "Payments gateway 4.2 renamed" in _get(url + "release.ics")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
