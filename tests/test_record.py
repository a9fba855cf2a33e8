"""`relsite record`: a pipeline records a deployment; the file changes only where it must."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SITES, clean_env
from .support.commands import run_relsite

FIXTURE = SITES / "recording" / "releases"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "releases")
    return tmp_path


def _record(project: Path, *args: str, allow_future: bool = True) -> subprocess.CompletedProcess[str]:
    """``relsite record`` in ``project``; the fixture's times lie around December 2026, so by default
    the clock does not decide the outcome (--allow-future)."""
    extra = ["--allow-future"] if allow_future else []
    return run_relsite("record", *args, *extra, cwd=project)


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_recording_changes_only_the_lines_it_must(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    before = path.read_text()
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2026-12-01T09:40", "--by", "ci #12")
    assert result.returncode == 0, result.stderr
    assert _changed_lines(before, path.read_text()) == [
        "-status: approved",
        "+status: in_test",
        "-    status: scheduled   # set by the pipeline",
        "+    status: deployed   # set by the pipeline",
        "+    deployed_at: 2026-12-01T09:40+01:00",
        '+    deployed_by: "ci #12"',
    ]


def test_a_flow_mapping_gets_the_new_keys_inside_its_braces(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    assert _record(project, "REL-7", "test", "--status", "skipped").returncode == 0
    result = _record(
        project, "REL-7", "staging", "--status", "failed", "--at", "2026-12-02T09:30+01:00", "--note", "Disk full"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "  staging: {window: {start: 2026-12-02T09:00:00Z, end: 2026-12-02T10:00:00Z}, status: failed, "
        'deployed_at: 2026-12-02T09:30+01:00, note: "Disk full"}'
    ) in path.read_text()


def test_production_deployed_moves_the_release_to_deployed_and_says_so(project: Path) -> None:
    for env in ("test", "staging"):
        assert _record(project, "REL-7", env, "--status", "skipped").returncode == 0
    result = _record(project, "REL-7", "prod", "--status", "deployed", "--at", "2026-12-03T20:30Z")
    assert result.returncode == 1  # the test environment needs a sign-off before production
    text = (project / "releases" / "REL-7.yaml").read_text()
    assert (
        "sign-off" in result.stderr
        and "prod:\n    window: {start: 2026-12-03T20:00:00Z, end: 2026-12-03T21:00:00Z}\n    status: scheduled" in text
    )


def test_production_deployed_after_sign_off_marks_the_release_deployed(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    path.write_text(
        path.read_text()
        .replace(
            "    status: scheduled   # set by the pipeline",
            "    status: skipped\n    sign_off: {result: waived, by: QA, date: 2026-12-01}",
        )
        .replace(
            "status: approved",
            "status: ready\nhandover: {runbook: 'https://wiki.example.com/rb', "
            "support: {team: ops}, rollback: Redeploy 6.9.}",
        )
    )
    assert _record(project, "REL-7", "staging", "--status", "skipped").returncode == 0
    result = _record(project, "REL-7", "prod", "--status", "deployed", "--at", "2026-12-03T20:30Z")
    assert result.returncode == 0, result.stderr
    assert "release status: ready → deployed" in result.stdout
    assert "\nstatus: deployed\n" in path.read_text()


def test_a_change_that_would_make_the_portfolio_invalid_writes_nothing(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    before = path.read_bytes()
    result = _record(project, "REL-7", "prod", "--status", "deployed")  # test and staging are still scheduled
    assert result.returncode == 1
    assert "not deployed or skipped" in result.stderr and "REL-7 was not changed" in result.stderr
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_an_unknown_release_or_environment_is_a_usage_error(project: Path) -> None:
    assert _record(project, "REL-99", "test", "--status", "deployed").returncode == 2
    result = _record(project, "REL-7", "dev", "--status", "deployed")
    assert result.returncode == 2 and "lists no environment 'dev'" in result.stderr


def test_two_pipelines_recording_at_once_both_land(project: Path) -> None:
    cmds = [
        [sys.executable, "-m", "relsite", "record", "REL-7", "test", "--status", "in_progress", "--by", "pipeline A"],
        [sys.executable, "-m", "relsite", "record", "REL-7", "staging", "--status", "skipped", "--by", "pipeline B"],
    ]
    procs = [
        subprocess.Popen(c, cwd=project, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in cmds
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    text = (project / "releases" / "REL-7.yaml").read_text()
    assert 'deployed_by: "pipeline A"' in text and 'deployed_by: "pipeline B"' in text
    assert "status: in_progress" in text and "status: skipped" in text
