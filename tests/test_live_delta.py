"""The live session's delta path (publish/live_delta.py) with stand-ins for the two interfaces it is
written against, so that it is tested apart from them: a replanner that plans the whole site again and hands over
what differs (correct by construction, slow), and a page chrome that puts a new body between the
parts of the page a full build wrote around the old one (only when nothing else about the page
changed). The files the delta path writes must equal a fresh `relsite build`, byte for byte."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from relsite.plan import plan
from relsite.plan.site import Page, Site
from relsite.publish import live_delta
from relsite.validate.portfolio import Portfolio
from tests.support.live import Live, live
from tests.support.projects import build, tree_hashes

__all__ = ["live", "stand_ins"]

pytestmark = pytest.mark.site

NOTE = "highlights: [No visible change; prepares the payments gateway 4.2.]"
ROTATED = "highlights: [Rotated signing keys; prepares the payments gateway 4.2.]"


@dataclass
class Delta:
    pages: list[Page]
    assets: list[Any]
    fragments: dict[str, str]


@dataclass
class WholeReplanner:
    pf: Portfolio
    today: dt.date
    site_url: str
    prefix: str
    notes: Any
    site: Site = field(init=False)

    def __post_init__(self) -> None:
        self.site = plan(self.pf, self.today, self.site_url, self.prefix, self.notes)

    def update(self, pf: Portfolio, changed_ids: set[str]) -> Delta | None:
        new = plan(pf, self.today, self.site_url, self.prefix, self.notes)
        old_pages = {p.src_uri: p for p in self.site.pages}
        if set(old_pages) != {p.src_uri for p in new.pages}:
            return None
        old_assets = {a.path: a.render() for a in self.site.assets}
        pages = [
            p for p in new.pages if p.render() != old_pages[p.src_uri].render() or p.title != old_pages[p.src_uri].title
        ]
        assets = [a for a in new.assets if old_assets.get(a.path) != a.render()]
        fragments = new.fragments if new.fragments != self.site.fragments else {}
        self.site = new
        return Delta(pages, assets, fragments)


class BetweenChrome:
    """The page a full build wrote, split around its old body."""

    def __init__(self, site_dir: Path, site: Site) -> None:
        self.parts: dict[str, tuple[str, str, Page]] = {}
        for page in site.pages:
            path = site_dir / live_delta.dest_of(page.url)
            if not path.is_file():
                continue
            text, body = path.read_text(encoding="utf-8"), page.render()
            if text.count(body) == 1:
                head, tail = text.split(body)
                self.parts[page.src_uri] = (head, tail, page)

    def fill(self, page: Page, body: str) -> str | None:
        head, tail, old = self.parts.get(page.src_uri, ("", "", None))
        if old is None or (old.title, old.description, old.toc, old.hide) != (
            page.title,
            page.description,
            page.toc,
            page.hide,
        ):
            return None
        return head + body + tail

    def fill_host(self, src_uri: str, fragments: dict[str, str]) -> str | None:
        return None

    def composed(self, src_uri: str, output: str) -> None:
        return None  # the secret gate searches the whole page


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The delta path with the stand-ins in place of plan.incremental and BuildState.page_chrome."""
    prepare = live_delta.prepare

    def prepared(
        config: Any, site_dir: Path, releases: Path, scratch: Path | None = None
    ) -> live_delta.Incremental | None:
        config.plugins.get("relsite").state.page_chrome = "to be replaced"
        incremental = prepare(config, site_dir, releases, scratch)
        if incremental is not None:  # the build's own plan let go of its pages; the replanner's are the same
            incremental.chrome = BetweenChrome(site_dir, incremental.replanner.site)
        return incremental

    monkeypatch.setattr(live_delta, "Replanner", WholeReplanner)
    monkeypatch.setattr(live_delta, "prepare", prepared)
    yield


@pytest.fixture
def delta_live(stand_ins: None, live: Live) -> Live:
    live.session.full_build()  # again, now with the stand-ins in place
    assert live.session.delta is not None
    return live


def test_a_summary_edit_is_published_without_a_full_build(delta_live: Live) -> None:
    builds = delta_live.session.builds
    delta_live.save("REL-2026-009", NOTE, ROTATED)
    assert delta_live.session.builds == builds
    assert "Rotated signing keys" in delta_live.get("releases/REL-2026-009/")


def test_the_files_the_delta_path_writes_equal_a_fresh_build(delta_live: Live) -> None:
    delta_live.save("REL-2026-009", NOTE, ROTATED)
    assert build(delta_live.project).returncode == 0
    assert delta_live.session.site_dir is not None
    assert tree_hashes(delta_live.session.site_dir) == tree_hashes(delta_live.project / "site")


def test_a_broken_edit_on_the_delta_path_shows_the_problem_and_the_next_save_recovers(delta_live: Live) -> None:
    builds = delta_live.session.builds
    delta_live.save("REL-2026-009", NOTE, NOTE.rstrip("]"))
    assert "REL-2026-009.yaml:2" in str(delta_live.status()["problems"])
    delta_live.save("REL-2026-009", NOTE.rstrip("]"), ROTATED)
    assert delta_live.status()["problems"] == []
    assert "Rotated signing keys" in delta_live.get("releases/REL-2026-009/") and delta_live.session.builds == builds


def test_a_title_edit_the_chrome_cannot_fill_falls_back_to_a_full_build(delta_live: Live) -> None:
    builds = delta_live.session.builds
    delta_live.save("REL-2026-014", "title: Payments gateway 4.2", "title: Payments gateway 4.2 renamed")
    assert delta_live.session.builds == builds + 1
    assert "Payments gateway 4.2 renamed" in delta_live.get("releases/REL-2026-014/")
