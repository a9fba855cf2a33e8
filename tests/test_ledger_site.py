"""The ledger on the site: /metrics/, api/v1/deployments.json and metrics.json (with their schemas),
and the deployments feed."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import jsonschema
import pytest

from .conftest import SITES, build, make_project, soup


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("metrics"), SITES / "metrics" / "releases")
    result = build(project, today="2026-03-01")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _json(site: Path, name: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((site / "api" / "v1" / name).read_text())  # type: ignore[type-arg]
    return data


def test_deployments_json_lists_every_attempt_newest_first_and_matches_its_schema(site: Path) -> None:
    doc = _json(site, "deployments.json")
    jsonschema.validate(doc, _json(site, "deployments.schema.json"))
    assert len(doc["deployments"]) == 10  # 3 staging + 7 production attempts in tests/sites/metrics
    assert doc["deployments"][0]["release"] == "REL-D" and doc["deployments"][-1]["release"] == "REL-A"


def test_metrics_json_holds_the_months_and_matches_its_schema(site: Path) -> None:
    doc = _json(site, "metrics.json")
    jsonschema.validate(doc, _json(site, "metrics.schema.json"))
    assert [(m["month"], m["deployments"], m["change_failure_rate"]) for m in doc["months"]] == [
        ("2026-01", 2, 0.3333),
        ("2026-02", 2, 0.5),
    ]
    assert set(doc["definitions"]) == {"deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore"}


def test_the_metrics_page_states_each_definition_names_the_bands_and_draws_the_trend(site: Path) -> None:
    page = soup(site / "metrics" / "index.html")
    text = page.get_text(" ")
    for term in (
        "Deployment frequency",
        "Lead time",
        "Change failure rate",
        "Time to restore",
        "Elite",
        "Low",
        "first successful deployment to any environment",
    ):
        assert term in text
    bars = page.select("figure.rs-trend svg g")
    assert [b.title.get_text() for b in bars] == [
        "2026-01: 2 deployed, 1 failed or rolled back",
        "2026-02: 2 deployed, 1 failed or rolled back",
    ]
    assert "33% (1 of 3)" in text and "39.0 h" in text and "6.0 days" in text


def test_the_deployments_feed_parses_with_one_entry_per_past_attempt(site: Path) -> None:
    feed = feedparser.parse((site / "deployments.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == 10
    assert feed.entries[0].title == "web 2.0.1 (REL-D) on prod: succeeded"
    assert any(e.title == "web 2.0 (REL-C) on prod: rolled back" for e in feed.entries)


def test_a_release_page_shows_every_attempt_with_its_failure_visible(site: Path) -> None:
    page = soup(site / "releases" / "REL-B" / "index.html")
    rows = page.select('table[data-rs="attempts"] tbody tr')
    assert [r.get("class") for r in rows] == [["rs-attempt-deployed"], ["rs-attempt-failed"], ["rs-attempt-deployed"]]
    assert "1 failed, 0 rolled back" in page.get_text(" ")


def test_a_rolled_back_release_shows_its_rollback(site: Path) -> None:
    page = soup(site / "releases" / "REL-C" / "index.html")
    assert page.select_one("tr.rs-attempt-rolled_back") is not None and "0 failed, 1 rolled back" in page.get_text(" ")


def test_the_production_page_shows_what_changed_since_the_previous_production_deployment(site: Path) -> None:
    page = soup(site / "environments" / "prod" / "index.html")
    changed = page.find(id="changed").find_next("table")
    assert [a.get_text() for a in changed.select("tbody td a")] == ["REL-D"]
    assert "Sun 1 Feb 2026, 00:00 UTC" in page.find(id="changed").find_next("p").get_text()
    history = page.find(id="history").find_next("table").select("tbody tr")
    assert len(history) == 7 and history[0].get("class") == ["rs-attempt-deployed"]
