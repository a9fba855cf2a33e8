"""`relsite record --from`: a deploying tool's event lands in the release file's history, once, in order."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from relsite.load.events.cdevents import schema_problems
from relsite.validate import ledger
from relsite.validate.ledger import Attempt

from .conftest import SITES, relsite

EVENTS = Path(__file__).resolve().parent / "events"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(SITES / "ledger" / "releases", tmp_path / "releases")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def _event(tmp: Path, payload: dict[str, Any], name: str = "event.json") -> str:
    (tmp / name).write_text(json.dumps(payload))
    return str(tmp / name)


def _github(state: str, at: str, status_id: int) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((EVENTS / "github-deployment_status-payload.json").read_text())
    payload["deployment_status"].update(state=state, id=status_id, created_at=at, updated_at=at, environment="staging")
    return payload


def _release(project: Path, rid: str = "REL-1") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / "releases" / f"{rid}.yaml").read_text())
    return data


def test_a_gitlab_event_from_its_docs_is_recorded_with_the_version_the_pipeline_passes(project: Path) -> None:
    result = relsite("record", "--from", str(EVENTS / "gitlab-deployment-event.json"), "--version", "1.0.0")
    assert result.exit_code == 0, result.output
    staging = _release(project)["environments"]["staging"]
    assert staging["status"] == "deployed" and staging["deployed_by"] == "root"
    assert staging["history"] == [
        {"status": "deployed", "at": "2021-04-28T21:50+02:00", "by": "root", "event": "gitlab:deployment:15:success"}
    ]
    assert relsite("validate").exit_code == 0


def test_the_same_event_twice_changes_nothing(project: Path) -> None:
    path = project / "releases" / "REL-1.yaml"
    assert (
        relsite("record", "--from", str(EVENTS / "gitlab-deployment-event.json"), "--version", "1.0.0").exit_code == 0
    )
    once = path.read_bytes()
    again = relsite("record", "--from", str(EVENTS / "gitlab-deployment-event.json"), "--version", "1.0.0")
    assert again.exit_code == 0 and "already recorded" in again.output
    assert path.read_bytes() == once


def test_an_in_progress_arriving_after_its_success_does_not_move_the_status_back(project: Path) -> None:
    done = _event(project, _github("success", "2019-05-15T15:20:55Z", 2), "done.json")
    started = _event(project, _github("in_progress", "2019-05-15T15:10:00Z", 1), "started.json")
    assert relsite("record", "--from", done, "--version", "1.0.0").exit_code == 0
    late = relsite("record", "--from", started, "--version", "1.0.0")
    assert late.exit_code == 0, late.output
    staging = _release(project)["environments"]["staging"]
    assert staging["status"] == "deployed"
    assert [a["status"] for a in staging["history"]] == ["in_progress", "deployed"]
    assert relsite("validate").exit_code == 0


def test_an_event_about_no_release_is_ignored_with_one_line_and_exit_0(project: Path) -> None:
    result = relsite("record", "--from", str(EVENTS / "github-deployment_status-payload.json"))
    assert result.exit_code == 0
    assert (
        result.output.count("\n") == 1
        and "ignored: no release of 'hello'" in result.output
        and "'master'" in result.output
    )


def test_strict_makes_an_event_about_no_release_exit_1(project: Path) -> None:
    assert relsite("record", "--from", str(EVENTS / "github-deployment_status-payload.json"), "--strict").exit_code == 1


def test_a_malformed_payload_is_one_error_line_and_exit_1(project: Path) -> None:
    result = relsite("record", "--from", _event(project, {"object_kind": "deployment", "status": "success"}))
    assert result.exit_code == 1 and result.output.strip().endswith("error: deployment_id is missing")
    assert "Traceback" not in result.output


def test_a_release_id_on_the_command_line_picks_the_release(project: Path) -> None:
    result = relsite("record", "--from", _event(project, _github("success", "2019-05-15T15:20:55Z", 9)), "REL-1")
    assert result.exit_code == 0, result.output
    assert _release(project)["environments"]["staging"]["status"] == "deployed"


def test_emit_cdevent_prints_a_cdevent_valid_against_the_schema(project: Path) -> None:
    payload = json.loads((EVENTS / "cdevents-0.5.1-service_deployed.json").read_text())
    payload["subject"]["id"] = "hello"
    payload["subject"]["content"]["artifactId"] = "pkg:generic/hello@1.0.0"
    result = relsite("record", "--from", _event(project, payload), "--emit", "cdevent")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert schema_problems(out) == [] and out["subject"]["content"]["environment"] == {"id": "staging"}


def test_a_hostile_name_in_a_payload_stays_data_in_the_yaml(project: Path) -> None:
    payload = _github("success", "2019-05-15T15:20:55Z", 3)
    payload["deployment_status"]["creator"]["login"] = 'x", status: failed, "y'
    assert relsite("record", "--from", _event(project, payload), "--version", "1.0.0").exit_code == 0
    staging = _release(project)["environments"]["staging"]
    assert staging["status"] == "deployed" and staging["history"][0]["by"] == 'x", status: failed, "y'


def test_a_manual_record_keeps_a_history_in_agreement(project: Path) -> None:
    assert (
        relsite("record", "--from", str(EVENTS / "gitlab-deployment-event.json"), "--version", "1.0.0").exit_code == 0
    )
    result = relsite("record", "REL-1", "staging", "--status", "failed", "--at", "2021-04-29T10:00")
    assert result.exit_code == 0, result.output
    assert [a["status"] for a in _release(project)["environments"]["staging"]["history"]] == ["deployed", "failed"]


_STATUSES = st.sampled_from(["in_progress", "deployed", "failed", "rolled_back"])
_ATTEMPTS = st.lists(
    st.builds(
        lambda s, m, i: Attempt(
            status=s, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=m), event=f"e{i}"
        ),
        _STATUSES,
        st.integers(0, 50),
        st.integers(0, 1000),
    ),
    max_size=12,
    unique_by=lambda a: a.event,
)


def _apply(events: list[Attempt]) -> list[Attempt]:
    history: list[Attempt] = []
    for a in events:
        history = ledger.with_attempt(history, a) or history
    return history


@given(_ATTEMPTS, st.randoms())
def test_any_arrival_order_gives_the_same_history_and_status(events: list[Attempt], rnd: Any) -> None:
    shuffled = events[:]
    rnd.shuffle(shuffled)
    assert _apply(events) == _apply(shuffled)
    assert ledger.in_order(_apply(shuffled))


@given(_ATTEMPTS, st.data())
def test_recording_an_event_again_changes_nothing(events: list[Attempt], data: st.DataObject) -> None:
    history = _apply(events)
    if history:
        again = data.draw(st.sampled_from(history))
        assert ledger.with_attempt(history, again) is None


@given(_ATTEMPTS)
def test_an_earlier_start_never_replaces_a_later_outcome(events: list[Attempt]) -> None:
    history = _apply(events)
    last = ledger.latest(history)
    if last is not None:
        early = Attempt(status="in_progress", at=last.at - dt.timedelta(minutes=1), event="late-arriving")
        assert ledger.latest(_apply([*history, early])) == last


def test_a_hand_written_block_history_gets_the_new_attempt_in_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SITES / "metrics" / "releases", tmp_path / "releases")
    monkeypatch.chdir(tmp_path)
    result = relsite("record", "REL-B", "prod", "--status", "rolled_back", "--at", "2026-01-13T10:00Z", "--by", "ops")
    assert result.exit_code == 0, result.output
    prod = _release(tmp_path, "REL-B")["environments"]["prod"]
    assert [a["status"] for a in prod["history"]] == ["failed", "deployed", "rolled_back"] and prod[
        "status"
    ] == "rolled_back"
    assert relsite("validate").exit_code == 0
