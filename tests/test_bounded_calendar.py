"""Bounded work (issue 21, item 13): a portfolio of a thousand soft freezes spread over 1970-2200
builds month pages only where releases are, and draws each freeze once per week row as a merged
bar, never once per day per freeze. Sizes and counts are checked, not wall-clock time."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from .conftest import SITES, build, make_project

pytestmark = pytest.mark.site

FREEZES = 1000


def _freezes() -> str:
    rng = random.Random(13)
    lines = ["freezes:"]
    for i in range(FREEZES):
        start = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 230 * 365))
        end = min(start + dt.timedelta(days=rng.randrange(0, 40 * 365)), dt.date(2200, 12, 31))
        lines.append(
            f"  - {{name: Freeze number {i:04d}, start: {start}, end: {end}, kind: soft, "
            "reason: Quarter-end reporting and audits in peak trading}"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def many_freezes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    releases = tmp_path_factory.mktemp("freezes") / "releases"
    shutil.copytree(SITES / "conflicts" / "releases", releases)
    config = releases / "portfolio.yaml"
    text = config.read_text(encoding="utf-8")
    head, _, _ = text.partition("freezes:")
    config.write_text(head + _freezes(), encoding="utf-8")
    assert 100_000 <= config.stat().st_size <= 140_000  # the 120 KB portfolio of the report
    project = make_project(tmp_path_factory.mktemp("p"), releases)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_months_without_releases_get_no_page_however_far_the_freezes_reach(many_freezes: Path) -> None:
    months = sorted(
        p.parent.name for p in (many_freezes / "calendar").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/index.html")
    )
    assert len(months) <= 24 and months[0] >= "2025-01" and months[-1] <= "2028-12"


def test_every_calendar_page_stays_small_with_a_thousand_freezes(many_freezes: Path) -> None:
    pages = list((many_freezes / "calendar").glob("**/index.html"))
    sizes = {p.relative_to(many_freezes).as_posix(): p.stat().st_size for p in pages}
    assert max(sizes.values()) < 150_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_a_month_page_draws_merged_freeze_bars_not_one_chip_per_day_per_freeze(many_freezes: Path) -> None:
    html = (many_freezes / "calendar" / "2026-12" / "index.html").read_text(encoding="utf-8")
    assert html.count('data-kind="freeze"') <= 6  # at most one merged bar per week row
    assert "freeze continues" not in html
