"""`relsite record --from` on payloads an attacker or a broken tool sends: each is refused as the
payload's fault in one line, exit 1, the release file untouched, and never an internal error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from relsite.load.events.reading import MAX_BYTES

from .conftest import SITES, clean_env
from .support.commands import run_relsite

EVENTS = Path(__file__).resolve().parent / "events"


def _project(tmp: Path) -> Path:
    shutil.copytree(SITES / "ledger" / "releases", tmp / "releases")
    return tmp / "releases" / "REL-1.yaml"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_relsite(*args, cwd=cwd)


def _github_by(login: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((EVENTS / "github-deployment_status-payload.json").read_text())
    payload["deployment_status"].update(state="success", environment="staging", id=7)
    payload["deployment_status"]["creator"]["login"] = login
    return payload


HIDDEN = {
    "lone surrogate": "\ud800",
    "zero-width space": "\u200b",
    "non-character": "\ufffe",
    "byte-order mark": "\ufeff",
    "left-to-right mark": "\u200e",
}


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_payload_value_holding_a_character_release_files_refuse_is_the_payloads_error(
    char: str, tmp_path: Path
) -> None:
    release = _project(tmp_path)
    before = release.read_bytes()
    (tmp_path / "event.json").write_text(
        json.dumps(_github_by(f"ad{char}min"))
    )  # ASCII JSON: the character is a \u escape
    result = _run(tmp_path, "record", "--from", "event.json", "--version", "1.0.0")
    assert result.returncode == 1, result.stderr
    refusal = "event.json: error: deployment_status.creator.login contains control or direction-changing characters"
    assert result.stderr.splitlines() == [refusal]
    assert "internal error" not in result.stderr and release.read_bytes() == before


def test_an_integer_longer_than_python_converts_is_one_line_and_exit_1(tmp_path: Path) -> None:
    release = _project(tmp_path)
    before = release.read_bytes()
    (tmp_path / "event.json").write_text('{"deployment_status": {"id": ' + "9" * 5000 + "}}")
    result = _run(tmp_path, "record", "--from", "event.json")
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("event.json: error: ")
    assert "internal error" not in result.stderr and release.read_bytes() == before


def test_an_endless_stream_on_stdin_is_refused_after_the_size_limit_not_read_to_the_end(tmp_path: Path) -> None:
    _project(tmp_path)
    with subprocess.Popen(
        [sys.executable, "-m", "relsite", "record", "--from", "-"],
        cwd=tmp_path,
        env=clean_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        stdin = proc.stdin

        def feed() -> None:  # more than the limit, and the stream stays open like a pipe from a hung producer
            try:
                stdin.write(b" " * (MAX_BYTES + 10))
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        feeder.join(timeout=10)
        err = proc.stderr.read().decode()
    assert proc.returncode == 1
    assert err.strip() == "<stdin>: error: the payload is larger than 2 MB"


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_an_event_dated_outside_the_years_release_files_accept_is_the_payloads_error(at: str, tmp_path: Path) -> None:
    release = _project(tmp_path)
    before = release.read_bytes()
    payload = _github_by("octocat")
    payload["deployment_status"].update(created_at=at, updated_at=at)
    (tmp_path / "event.json").write_text(json.dumps(payload))
    result = _run(tmp_path, "record", "--from", "event.json", "--version", "1.0.0")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"event.json: error: the event's time: {at} is outside the years 1970 to 2200"
    ]
    assert release.read_bytes() == before


LAYOUTS = {
    "an empty flow list": ("    status: scheduled\n", "    status: scheduled\n    history: []\n"),
    "a block list at the key's own column": (
        "    status: scheduled\n",
        '    status: in_progress\n    history:\n    - {status: in_progress, at: 2019-05-14T09:00Z, event: "x:1"}\n',
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_an_event_joins_a_history_in_any_layout_validate_accepts(layout: tuple[str, str], tmp_path: Path) -> None:
    release = _project(tmp_path)
    text = release.read_text().replace(*layout, 1)
    if "in_progress" in layout[1]:
        text = text.replace("status: approved", "status: in_test")
    release.write_text(text)
    assert _run(tmp_path, "validate").returncode == 0
    before = yaml.safe_load(text)
    (tmp_path / "event.json").write_text(json.dumps(_github_by("octocat")))
    result = _run(tmp_path, "record", "--from", "event.json", "--version", "1.0.0")
    assert result.returncode == 0, result.stderr
    after = yaml.safe_load(release.read_text())
    history = after["environments"]["staging"].pop("history")
    assert history[-1] == {
        "status": "deployed",
        "at": "2019-05-15T15:20:55+00:00",
        "by": "octocat",
        "event": "github:deployment_status:7",
    }
    kept = [(a["status"], a["event"]) for a in before["environments"]["staging"].pop("history")]
    assert [(a["status"], a["event"]) for a in history[:-1]] == kept
    assert after["environments"]["prod"] == before["environments"]["prod"]
    assert _run(tmp_path, "validate").returncode == 0


def test_a_crlf_release_file_keeps_crlf_through_a_history_so_the_next_event_is_recorded_too(tmp_path: Path) -> None:
    release = _project(tmp_path)
    release.write_bytes(release.read_bytes().replace(b"\n", b"\r\n"))
    staging, prod = _github_by("octocat"), _github_by("octocat")
    prod["deployment_status"].update(
        environment="production", id=8, created_at="2019-05-15T15:30:00Z", updated_at="2019-05-15T15:30:00Z"
    )
    for name, payload in (("staging.json", staging), ("prod.json", prod)):
        (tmp_path / name).write_text(json.dumps(payload))
        result = _run(tmp_path, "record", "--from", name, "--version", "1.0.0")
        assert result.returncode == 0, result.stderr
        data = release.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n"), name
    assert _run(tmp_path, "validate").returncode == 0
