"""A restage (``relsite serve --engine zensical``) updates the staging folder in place: files whose
bytes are the same are not written again, a file that no longer belongs is removed, and folders stay,
so the engine's watcher never loses a change in a folder deleted and made again."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from relsite.pipeline import plan_site
from relsite.plan.site import Site
from relsite.publish.output_folder import BUILDING_MARKER
from relsite.publish.staging import stage, staging_folder

from .support.projects import PORTAL, make_project


def _site(pages: int) -> Site:
    site, _, _ = plan_site(PORTAL, dt.date(2026, 11, 27))
    assert site is not None
    return dataclasses.replace(site, pages=site.pages[:pages])


def _stamp(path: Path) -> tuple[int, int]:
    return path.stat().st_mtime_ns, path.stat().st_ino


def test_a_restage_writes_only_what_changed_and_removes_what_no_longer_belongs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    first = _site(40)
    with staging_folder(project) as staging:
        stage(first, staging, project / "content", project / "mkdocs.yml", tmp_path / "out")
        kept, gone = staging / first.pages[1].src_uri, staging / first.pages[-1].src_uri
        before = _stamp(kept), _stamp(kept.parent), _stamp(staging / "index.md")
        stage(_site(39), staging, project / "content", project / "mkdocs.yml", tmp_path / "out")
        assert (_stamp(kept), _stamp(kept.parent), _stamp(staging / "index.md")) == before
        assert not gone.exists()
        assert (staging / BUILDING_MARKER).is_file()


def test_a_link_back_up_the_docs_folder_is_staged_once_not_forever(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (project / "content" / "loop").symlink_to(project / "content")
    with staging_folder(project) as staging:
        stage(_site(5), staging, project / "content", project / "mkdocs.yml", tmp_path / "out")
        assert (staging / "index.md").is_file()
        assert not (staging / "loop" / "loop").exists()
