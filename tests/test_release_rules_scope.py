"""A release's own rules look at that release and portfolio.yaml's settings only: a recheck (record,
the live preview) reuses their findings for every release it did not change, which is right only
while no such rule reads another release."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from relsite.validate.checker import check_folder, recheck
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules import check_release

from .conftest import CASES, SITES

TODAY = dt.date(2026, 12, 31)
FOLDERS = sorted(p / "releases" for p in CASES.iterdir() if (p / "releases" / "portfolio.yaml").exists())
FOLDERS += [SITES / "recording" / "releases"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.parent.name)
def test_a_release_rule_finds_the_same_with_or_without_the_other_releases(folder: Path) -> None:
    result = check_folder(folder, today=TODAY)
    pf = result.portfolio
    if pf is None:
        pytest.skip("portfolio.yaml itself is the case")
    for r in pf.releases:
        alone = Portfolio(pf.config, pf.config_source, [r], today=pf.today)
        assert check_release(r, alone) == check_release(r, pf), r.id


def test_a_recheck_reuses_the_findings_of_the_releases_it_did_not_change() -> None:
    result = check_folder(SITES / "recording" / "releases", today=TODAY)
    assert result.portfolio is not None
    changed = result.portfolio.releases[0]
    data = Path(changed.file).read_bytes()
    again = recheck(result, changed.id, data)
    assert again.portfolio is not None
    kept = [
        r.id for r in again.portfolio.releases if again.release_findings[r.id][1] is result.release_findings[r.id][1]
    ]
    assert kept == [r.id for r in again.portfolio.releases if r.id != changed.id]
