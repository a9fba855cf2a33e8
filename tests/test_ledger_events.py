"""Deployment events from each tool's own documentation are read into one record, and bad ones are refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.load.events import EventError, Ignored, read_event
from relsite.load.events.cdevents import schema_problems, to_cdevent

EVENTS = Path(__file__).resolve().parent / "events"


def _load(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return value


def _bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


def test_a_github_deployment_status_webhook_gives_state_environment_repository_and_creator() -> None:
    event = read_event((EVENTS / "github-deployment_status-payload.json").read_bytes())
    assert (event.tool, event.status, event.environment) == ("github", "deployed", "production")
    assert event.services == ("Codertocat/Hello-World", "Hello-World")
    assert event.at == dt.datetime(2019, 5, 15, 15, 20, 55, tzinfo=dt.UTC)
    assert event.by == "Codertocat" and event.event_id == "github:deployment_status:209916254"


def test_a_github_in_progress_status_is_a_started_attempt() -> None:
    assert read_event((EVENTS / "github-deployment_status-gh-pages.json").read_bytes()).status == "in_progress"


def test_a_github_deployment_created_with_a_version_in_its_payload_names_that_version() -> None:
    payload = _load("github-deployment_status-with-installation.json")
    payload["deployment"]["payload"] = {"version": "4.2.0"}
    assert read_event(_bytes(payload)).version == "4.2.0"


def test_an_inactive_github_status_is_ignored_with_a_reason() -> None:
    payload = _load("github-deployment_status-payload.json")
    payload["deployment_status"]["state"] = "inactive"
    with pytest.raises(Ignored, match="inactive"):
        read_event(_bytes(payload))


def test_the_gitlab_deployment_event_reads_its_own_time_format() -> None:
    event = read_event((EVENTS / "gitlab-deployment-event.json").read_bytes())
    assert (event.tool, event.status, event.environment, event.by) == ("gitlab", "deployed", "staging", "root")
    assert event.at == dt.datetime(2021, 4, 28, 19, 50, tzinfo=dt.UTC)
    assert event.services[0] == "root/test-deployment-webhooks" and event.version is None


def test_a_flux_event_with_the_alerts_env_metadata_is_a_failed_attempt_when_its_severity_is_error() -> None:
    payload = _load("flux-generic-webhook-event.json")
    payload["metadata"]["env"] = "staging"
    event = read_event(_bytes(payload))
    assert (event.tool, event.status, event.environment) == ("flux", "failed", "staging")
    assert event.services[0] == "Kustomization/webapp.apps" and event.by == "kustomize-controller"


def test_a_flux_event_sent_through_the_github_dispatch_provider_is_unwrapped() -> None:
    flux = _load("flux-event.json")
    flux.update(
        severity="info",
        reason="ReconciliationSucceeded",
        metadata={**flux["metadata"], "env": "prod", "version": "2.1.0"},
    )
    event = read_event(_bytes({"action": "Kustomization/webapp.apps", "client_payload": flux}))
    assert (event.status, event.environment, event.version) == ("deployed", "prod", "2.1.0")


def test_a_flux_event_without_an_environment_is_ignored_and_says_how_to_name_one() -> None:
    with pytest.raises(Ignored, match="eventMetadata.env"):
        read_event((EVENTS / "flux-event.json").read_bytes())


def test_an_argo_cd_notification_in_relsites_template_is_read() -> None:
    event = read_event((EVENTS / "argocd-notification.json").read_bytes())
    assert (event.tool, event.status, event.environment, event.version) == ("argocd", "deployed", "prod", "2.1.0")
    assert event.services == ("webapp",) and event.by == "alice"


def test_an_argo_cd_sync_that_left_the_application_degraded_is_a_failed_attempt() -> None:
    payload = _load("argocd-notification.json")
    payload["client_payload"]["health"] = "Degraded"
    assert read_event(_bytes(payload)).status == "failed"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("cdevents-0.5.1-service_deployed.json", "deployed"),
        ("cdevents-0.5.1-service_upgraded.json", "deployed"),
        ("cdevents-0.5.1-service_rolledback.json", "rolled_back"),
        ("cdevents-0.4.1-service_deployed.json", "deployed"),
    ],
)
def test_the_cdevents_conformance_examples_are_valid_and_read(name: str, status: str) -> None:
    assert schema_problems(_load(name)) == []
    event = read_event((EVENTS / name).read_bytes())
    assert (event.status, event.environment, event.services) == (status, "test123", ("mySubject123", "myapp"))


def test_a_cdevent_inside_a_cloudevents_envelope_is_read() -> None:
    cdevent = _load("cdevents-0.5.1-service_deployed.json")
    envelope = {"specversion": "1.0", "id": "1", "source": "/x", "type": cdevent["context"]["type"], "data": cdevent}
    assert read_event(_bytes(envelope)).event_id == "cdevents:271069a8-fc18-44f1-b38f-9d70a1695819"


def test_a_cdevent_that_breaks_its_schema_is_refused_with_the_field_named() -> None:
    cdevent = _load("cdevents-0.5.1-service_deployed.json")
    del cdevent["subject"]["content"]["environment"]
    with pytest.raises(EventError, match="subject.content.*environment"):
        read_event(_bytes(cdevent))


def test_the_oci_tag_qualifier_gives_the_version_when_the_artifact_is_named_by_digest() -> None:
    cdevent = _load("cdevents-0.5.1-service_deployed.json")
    cdevent["subject"]["content"]["artifactId"] += "?tag=2.1.0"
    assert read_event(_bytes(cdevent)).version == "2.1.0"


def test_the_emitted_cdevent_is_valid_against_the_cdevents_schema() -> None:
    for status in ("deployed", "rolled_back"):
        out = to_cdevent(
            event_id="github:1",
            at="2026-12-02T21:15:00+01:00",
            status=status,
            service="shop",
            version="7.0.0+build 1",
            environment="prod",
            release_id="REL-7",
        )
        assert out is not None and schema_problems(out) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "not JSON"),
        (b"[]", "must be a JSON object"),
        (b"\xff", "not UTF-8"),
        (b"{}", "not a deployment event"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b"[" * 100000, "nested"),
        (_bytes({"object_kind": "deployment", "status": "success"}), "deployment_id is missing"),
        (_bytes({"object_kind": "deployment", "status": ["x"]}), "status must be text or a number"),
        (_bytes({"deployment_status": {"state": "party"}, "deployment": {}}), "not a GitHub deployment state"),
    ],
)
def test_a_malformed_payload_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(EventError, match=message):
        read_event(data)


def test_text_that_could_break_a_line_of_yaml_or_a_log_is_refused() -> None:
    payload = _load("gitlab-deployment-event.json")
    payload["user"]["username"] = "root\n::error::owned"
    with pytest.raises(EventError, match="user.username contains control"):
        read_event(_bytes(payload))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)
_SHAPES = st.sampled_from(
    [
        "github-deployment_status-payload.json",
        "gitlab-deployment-event.json",
        "flux-event.json",
        "argocd-notification.json",
        "cdevents-0.5.1-service_deployed.json",
    ]
)


@settings(max_examples=120, deadline=None)
@given(_SHAPES, st.lists(st.tuples(st.integers(0, 10**6), _JSON), max_size=4))
def test_any_damage_to_a_real_payload_is_read_ignored_or_refused_never_a_crash(
    name: str, damage: list[tuple[int, Any]]
) -> None:
    payload = _load(name)
    for where, value in damage:  # replace a value somewhere inside the payload
        node: Any = payload
        while isinstance(node, dict) and node:
            keys = sorted(node)
            key = keys[where % len(keys)]
            if not isinstance(node[key], dict) or where % 3 == 0:
                node[key] = value
                break
            node, where = node[key], where // 7
    try:
        event = read_event(_bytes(payload))
    except (EventError, Ignored):
        return
    assert event.status in ("in_progress", "deployed", "failed", "rolled_back") and event.at.tzinfo is not None
