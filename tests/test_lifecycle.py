"""The lifecycle module: the one definition of every status set and predicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from relsite.validate import lifecycle
from relsite.validate.models import Deployment, Release

UTC = dt.UTC
T1 = dt.datetime(2026, 12, 1, 20, tzinfo=UTC)
T2 = dt.datetime(2026, 12, 1, 22, tzinfo=UTC)
RECORDED = dt.datetime(2026, 12, 1, 21, 15, tzinfo=UTC)


def _dep(status: str, window: bool = True, deployed_at: dt.datetime | None = None) -> Deployment:
    data: dict[str, Any] = {"status": status}
    if window:
        data["window"] = {"start": T1, "end": T2}
    if deployed_at:
        data["deployed_at"] = deployed_at
    return Deployment.model_validate(data, context={"tz": UTC})


def _release(
    status: str = "draft", type_: str = "minor", risk: str = "low", handover: dict[str, Any] | None = None
) -> Release:
    data: dict[str, Any] = {
        "id": "REL-1",
        "title": "T",
        "service": "svc",
        "version": "1.0",
        "type": type_,
        "status": status,
        "summary": "S",
        "owner": "team",
        "risk": risk,
        "environments": {"prod": {"status": "scheduled"}},
    }
    if handover is not None:
        data["handover"] = handover
    return Release.model_validate(data, context={"tz": UTC})


FULL_HANDOVER = {
    "runbook": "https://wiki.example.com/rb",
    "support": {"team": "ops"},
    "rollback": "Redeploy the last version.",
}

NAMED_RELEASE_SETS = [
    lifecycle.NOTHING_LIVE_YET,
    lifecycle.WAITING,
    lifecycle.IN_PROGRESS,
    lifecycle.APPROVED_OR_LATER,
    lifecycle.HANDOVER_DUE,
    lifecycle.PRODUCTION_REACHED,
    lifecycle.FINISHED,
]
NAMED_DEPLOYMENT_SETS = [
    lifecycle.ON_THE_ENVIRONMENT,
    lifecycle.PROMOTED_PAST,
    lifecycle.TIME_RECORDED,
    lifecycle.PENDING,
    lifecycle.NOT_TAKING_PLACE,
]


@pytest.mark.parametrize("statuses", NAMED_RELEASE_SETS)
def test_every_release_status_set_uses_only_real_statuses(statuses: frozenset[str]) -> None:
    assert statuses <= set(lifecycle.RELEASE_STATUSES)


@pytest.mark.parametrize("statuses", NAMED_DEPLOYMENT_SETS)
def test_every_deployment_status_set_uses_only_real_statuses(statuses: frozenset[str]) -> None:
    assert statuses <= set(lifecycle.DEPLOYMENT_STATUSES)


def test_the_vocabularies_are_the_models_vocabularies() -> None:
    assert Release.model_fields["status"].annotation is lifecycle.ReleaseStatus
    assert Release.model_fields["type"].annotation is lifecycle.ReleaseType


def test_a_release_that_needs_its_handover_is_approved_and_not_waiting() -> None:
    assert lifecycle.HANDOVER_DUE <= lifecycle.APPROVED_OR_LATER
    assert not lifecycle.HANDOVER_DUE & lifecycle.WAITING


def test_on_hold_is_waiting_but_may_already_be_deployed_somewhere() -> None:
    assert "on_hold" in lifecycle.WAITING and "on_hold" not in lifecycle.NOTHING_LIVE_YET


def test_the_deployment_time_is_the_recorded_time_once_something_happened() -> None:
    assert lifecycle.deployment_time(_dep("deployed", deployed_at=RECORDED)) == RECORDED
    assert lifecycle.deployment_time(_dep("rolled_back", deployed_at=RECORDED)) == RECORDED


def test_the_deployment_time_is_the_window_start_before_anything_happened() -> None:
    assert lifecycle.deployment_time(_dep("scheduled", deployed_at=RECORDED)) == T1
    assert lifecycle.deployment_time(_dep("scheduled", window=False)) is None


def test_only_a_deployment_recorded_before_the_moment_is_live() -> None:
    assert lifecycle.is_live(_dep("deployed", deployed_at=RECORDED), T2)
    assert not lifecycle.is_live(_dep("deployed", deployed_at=RECORDED), T1)
    assert not lifecycle.is_live(_dep("rolled_back", deployed_at=RECORDED), T2)


@pytest.mark.parametrize(
    ("release", "deployment", "expected"),
    [
        ("draft", "scheduled", "TENTATIVE"),
        ("approved", "scheduled", "CONFIRMED"),
        ("closed", None, "CONFIRMED"),
        ("cancelled", "scheduled", "CANCELLED"),
        ("in_test", "skipped", "CANCELLED"),
        ("on_hold", "scheduled", "TENTATIVE"),
    ],
)
def test_calendar_status_follows_the_release_and_the_deployment(
    release: str, deployment: str | None, expected: str
) -> None:
    assert lifecycle.calendar_status(release, deployment) == expected


@pytest.mark.parametrize("status", sorted(lifecycle.HANDOVER_DUE))
def test_a_release_from_ready_on_needs_runbook_support_and_rollback(status: str) -> None:
    assert lifecycle.handover_missing(_release(status)) == ["runbook", "support", "rollback"]
    assert lifecycle.handover_missing(_release(status, handover=FULL_HANDOVER)) == []


@pytest.mark.parametrize("status", sorted(set(lifecycle.RELEASE_STATUSES) - lifecycle.HANDOVER_DUE))
def test_a_release_before_ready_needs_no_handover_yet(status: str) -> None:
    assert lifecycle.handover_missing(_release(status)) == []


def test_the_checklist_requires_at_ready_exactly_what_the_rule_reports() -> None:
    required = [e.key for e in lifecycle.CHECKLIST if lifecycle.required_before_handover(e)]
    assert required == lifecycle.handover_missing(_release("ready"))


@pytest.mark.parametrize(
    ("type_", "risk", "status", "expected"),
    [
        ("major", "low", "approved", True),
        ("minor", "high", "in_test", True),
        ("minor", "low", "approved", False),
        ("major", "low", "planned", False),
        ("emergency", "critical", "deploying", False),
    ],
)
def test_major_or_risky_releases_need_the_cab_once_approved(type_: str, risk: str, status: str, expected: bool) -> None:
    assert lifecycle.needs_cab(_release(status, type_, risk)) is expected


@pytest.mark.parametrize(
    ("status", "production", "recorded", "others", "expected"),
    [
        ("ready", True, "deployed", False, "deployed"),
        ("deploying", True, "deployed", False, "deployed"),
        ("closed", True, "deployed", False, "closed"),
        ("deployed", True, "rolled_back", False, "rolled_back"),
        ("ready", True, "in_progress", False, "deploying"),
        ("approved", False, "in_progress", False, "in_test"),
        ("planned", False, "deployed", False, "in_test"),
        ("deploying", True, "failed", False, "ready"),
        ("deploying", False, "deployed", True, "deploying"),
        ("in_test", False, "deployed", False, "in_test"),
    ],
)
def test_recording_a_deployment_moves_the_release_status_only_where_the_lifecycle_requires(
    status: str, production: bool, recorded: str, others: bool, expected: str
) -> None:
    assert lifecycle.status_after_recording(status, production, recorded, others) == expected
