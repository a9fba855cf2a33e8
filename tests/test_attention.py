"""/attention/, the release manager's page: one fixture release per kind of item."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from relsite.pipeline import plan_site
from relsite.plan.attention import KINDS

from .conftest import SITES, TODAY, build, make_project, soup

pytestmark = pytest.mark.site

FIXTURE = SITES / "attention" / "releases"


@pytest.fixture(scope="module")
def api() -> dict[str, object]:
    site, problems, _ = plan_site(FIXTURE, dt.date.fromisoformat(TODAY))
    assert site is not None, problems
    asset = next(a for a in site.assets if a.path == "api/v1/attention.json")
    return json.loads(asset.render())


def _kinds(api: dict[str, object]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for item in api["items"]:  # type: ignore[attr-defined]
        out.setdefault(item["kind"], set()).add(item["release"])
    return out


@pytest.mark.parametrize(
    ("kind", "release"),
    [
        ("behind", "REL-A"),
        ("handover", "REL-B"),
        ("sign-off", "REL-C"),
        ("cab", "REL-D"),
        ("dependency", "REL-E"),
        ("freeze", "REL-G"),
        ("els", "REL-H"),
    ],
)
def test_each_kind_of_item_names_exactly_the_release_that_needs_it(
    api: dict[str, object], kind: str, release: str
) -> None:
    assert _kinds(api)[kind] == {release}


def test_a_release_that_lacks_nothing_and_is_on_time_needs_no_attention(api: dict[str, object]) -> None:
    assert "REL-F" not in {i["release"] for i in api["items"]}  # type: ignore[attr-defined]


def test_items_say_what_is_missing_and_link_the_line_that_shows_it(api: dict[str, object]) -> None:
    items = {i["kind"]: i for i in api["items"]}  # type: ignore[attr-defined]
    assert (
        items["handover"]["message"] == "production 1 Dec 2026; the handover lacks runbook, support team, rollback plan"
    )
    assert items["handover"]["url"] == "releases/REL-B/handover/#readiness"
    assert items["sign-off"]["message"] == "production 2 Dec 2026; test has no sign-off"
    assert items["dependency"]["message"] == "production 4 Dec 2026; depends on REL-F, which is scheduled in production"
    assert items["behind"]["url"] == "releases/REL-A/#when" and "nothing was recorded" in items["behind"]["message"]
    assert items["els"]["url"] == "releases/REL-H/handover/#early-life-support"


def test_the_horizon_is_configurable(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "releases")
    config = tmp_path / "releases" / "portfolio.yaml"
    config.write_text(config.read_text() + "attention: {horizon_days: 3}\n")
    site, _, _ = plan_site(tmp_path / "releases", dt.date.fromisoformat(TODAY))
    assert site is not None
    data = json.loads(next(a for a in site.assets if a.path == "api/v1/attention.json").render())
    soon = {i["release"] for i in data["items"] if i["kind"] in ("handover", "sign-off", "cab", "dependency")}
    assert soon == set() and data["horizon_days"] == 3  # REL-B's production on 1 Dec is four days away


def test_the_page_and_the_home_card_show_the_same_counts(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", FIXTURE)
    assert build(project).returncode == 0
    page = soup(project / "site" / "attention" / "index.html")
    for kind, heading, _ in KINDS:
        section = page.select_one(f"h2#{kind}")
        assert section is not None and heading in section.get_text()
    rows = page.select('table[data-rs="attention"] tbody tr')
    assert len(rows) == 7 and all(
        r.select_one('a[href$="#when"], a[href*="/handover/#"], a[href$="#details"]') for r in rows
    )
    card = soup(project / "site" / "index.html").select_one(".rs-attention-card")
    assert card is not None and "All 7 items" in card.get_text()
    assert card.select_one('a[href="attention/#behind"]') is not None


def _attention_on(day: str) -> list[dict[str, str]]:
    site, problems, _ = plan_site(SITES / "support" / "releases", dt.date.fromisoformat(day))
    assert site is not None, problems
    return json.loads(next(a for a in site.assets if a.path == "api/v1/attention.json").render())["items"]  # type: ignore[no-any-return]


def test_a_live_version_whose_line_ends_within_ninety_days_needs_attention() -> None:
    items = [i for i in _attention_on("2027-10-01") if i["kind"] == "end-of-life"]
    assert [(i["release"], i["message"]) for i in items] == [
        ("SHOP-2-1", "Shop 2.x reaches its end of life on 1 Dec 2027 (in 61 days); 2.1.0 is live in prod")
    ]


def test_a_line_ending_later_than_ninety_days_is_not_yet_an_item() -> None:
    assert [i for i in _attention_on("2027-08-01") if i["kind"] == "end-of-life"] == []
