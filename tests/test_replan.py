"""The incremental re-planner's answers on single edits of the fixture portal (the property test,
test_replan_property.py, holds every answer to the full plan)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from relsite.plan.incremental import Replanner
from relsite.validate.checker import CheckResult, check_folder, recheck
from relsite.validate.portfolio import Portfolio
from tests.support.projects import PORTAL
from tests.support.release_edits import dump

TODAY = dt.date(2026, 11, 27)
RELEASE = "REL-2026-010"


@pytest.fixture(scope="module")
def checked() -> CheckResult:
    return check_folder(PORTAL, 1, today=TODAY)


def _data(release_id: str = RELEASE) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PORTAL / f"{release_id}.yaml").read_bytes())
    return loaded


def _edited(checked: CheckResult, data: dict[str, Any]) -> Portfolio:
    result = recheck(checked, data["id"], dump(data))
    assert not result.errors and result.portfolio is not None, result.errors[:3]
    return result.portfolio


def _replanner(checked: CheckResult, prefix: str = "") -> Replanner:
    assert checked.portfolio is not None
    return Replanner(checked.portfolio, TODAY, "", prefix)


def test_a_new_title_reports_the_release_page_and_not_an_unrelated_one(checked: CheckResult) -> None:
    data = _data()
    data["title"] = "Web shop 7.2 (gift cards, renamed)"
    delta = _replanner(checked).update(_edited(checked, data), [RELEASE])
    assert delta is not None
    changed = {p.src_uri for p in delta.pages}
    assert f"releases/{RELEASE}/index.md" in changed
    assert "releases/REL-2026-001/index.md" not in changed


def test_a_release_moved_to_a_year_without_an_archive_needs_a_full_plan(checked: CheckResult) -> None:
    data = _data("REL-2026-019")
    for dep in data["environments"].values():
        for end in ("start", "end"):
            dep["window"][end] = str(dep["window"][end]).replace("2026-12-", "2041-06-")
    data.pop("milestones", None)
    assert _replanner(checked).update(_edited(checked, data), ["REL-2026-019"]) is None


def test_an_unknown_release_id_needs_a_full_plan(checked: CheckResult) -> None:
    assert checked.portfolio is not None
    assert _replanner(checked).update(checked.portfolio, ["REL-1999-999"]) is None


def test_delta_pages_and_assets_carry_the_prefix(checked: CheckResult) -> None:
    data = _data()
    data["summary"] = "Customers can buy, send and redeem digital gift cards."
    delta = _replanner(checked, "portal/").update(_edited(checked, data), [RELEASE])
    assert delta is not None and delta.pages and delta.assets
    assert all(p.src_uri.startswith("portal/") and p.url.startswith("portal/") for p in delta.pages)
    assert all(a.path.startswith("portal/") for a in delta.assets)


def test_after_an_update_the_site_holds_the_new_page(checked: CheckResult) -> None:
    data = _data()
    data["title"] = "Gift cards, at last"
    replanner = _replanner(checked)
    replanner.update(_edited(checked, data), [RELEASE])
    page = next(p for p in replanner.site.pages if p.src_uri == f"releases/{RELEASE}/index.md")
    assert "Gift cards, at last" in page.title
