"""Delivery metrics from a fixture ledger equal the values worked out by hand (tests/sites/metrics)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from relsite.plan.delivery_metrics import Metrics, delivery_metrics
from relsite.plan.deployment_ledger import entries
from relsite.validate.checker import check_folder

from .conftest import SITES


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    result = check_folder(SITES / "metrics" / "releases")
    assert result.portfolio is not None and not result.errors
    return delivery_metrics(entries(result.portfolio), ZoneInfo("UTC"))


def test_deployment_frequency_counts_successful_production_deployments_per_month(metrics: Metrics) -> None:
    # January: REL-A and REL-B reached prod; February: REL-C (later rolled back) and REL-D (no history,
    # counted from deployed_at).
    assert [(m.month, m.deployments) for m in metrics.portfolio] == [("2026-01", 2), ("2026-02", 2)]


def test_change_failure_rate_is_failed_or_rolled_back_over_production_deployments(metrics: Metrics) -> None:
    jan, feb = metrics.portfolio
    assert jan.change_failure_rate == round(1 / 3, 4)  # REL-B failed once; 2 successes + 1 failure
    assert feb.change_failure_rate == 0.5  # REL-C rolled back; 2 successes, no failed attempt


def test_lead_time_runs_from_the_first_environment_to_production(metrics: Metrics) -> None:
    jan, feb = metrics.portfolio
    assert jan.lead_times == [24.0, 54.0] and jan.lead_time_hours == 39.0  # A: 05 10:00→06 10:00; B: 10 08:00→12 14:00
    assert feb.lead_times == [288.0, 0.0] and feb.lead_time_hours == 144.0  # C: 20 Jan→1 Feb; D: straight to prod


def test_time_to_restore_runs_to_the_next_successful_production_deployment_of_the_service(metrics: Metrics) -> None:
    jan, feb = metrics.portfolio
    assert jan.time_to_restore_hours == 6.0  # REL-B failed 08:00, deployed 14:00
    assert feb.time_to_restore_hours == 48.0  # REL-C rolled back 1 Feb 06:00, REL-D deployed 3 Feb 06:00


def test_each_service_has_its_own_months(metrics: Metrics) -> None:
    assert [(m.month, m.deployments, m.failures) for m in metrics.services["api"]] == [("2026-01", 2, 1)]
    assert [(m.month, m.deployments, m.failures) for m in metrics.services["web"]] == [("2026-02", 2, 1)]
