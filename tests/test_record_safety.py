"""`relsite record` on every valid layout of a release file: the file is edited correctly, or the
command refuses in one line and writes nothing (issue 21, items 4 to 6; issue 22, item 11)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from relsite.load.reader import MAX_BYTES, load_text

from .conftest import SITES, clean_env
from .support.commands import run_relsite

FIXTURE = SITES / "recording" / "releases"

RELEASE = """\
id: REL-7
title: "Shop 7.0"
service: shop
version: '7.0.0'
type: minor
status: approved
summary: A summary.
owner: team-a
risk: low
environments:
{envs}"""

BLOCK_NOTE_LAST = """\
  test:
    window: {start: 2026-12-01T09:00:00Z, end: 2026-12-01T10:00:00Z}
    status: scheduled
    note: |
      QA agreed this window.

  staging:
    window: {start: 2026-12-02T09:00:00Z, end: 2026-12-02T10:00:00Z}
    status: scheduled
  prod:
    window: {start: 2026-12-03T20:00:00Z, end: 2026-12-03T21:00:00Z}
    status: scheduled
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "releases")
    return tmp_path


def _record(project: Path, *args: str, allow_future: bool = True) -> subprocess.CompletedProcess[str]:
    extra = ["--allow-future"] if allow_future else []
    return run_relsite("record", *args, *extra, cwd=project)


def _write(project: Path, text: str, name: str = "REL-7.yaml") -> Path:
    path = project / "releases" / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _data(path: Path) -> dict:
    doc, problems = load_text(path.read_bytes().decode("utf-8"), path.name)
    assert doc is not None, problems
    return doc.data


def _nothing_written(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_a_new_key_after_a_block_scalar_lands_in_its_own_environment(project: Path) -> None:
    path = _write(project, RELEASE.format(envs=BLOCK_NOTE_LAST))
    result = _record(project, "REL-7", "test", "--status", "skipped", "--by", "ci")
    assert result.returncode == 0, result.stderr
    envs = _data(path)["environments"]
    assert envs["test"]["deployed_by"] == "ci" and "deployed_by" not in envs["staging"]
    assert envs["test"]["note"] == "QA agreed this window.\n"


def test_a_block_scalar_note_is_replaced_by_the_recorded_note(project: Path) -> None:
    path = _write(project, RELEASE.format(envs=BLOCK_NOTE_LAST))
    result = _record(project, "REL-7", "test", "--status", "skipped", "--note", "Covered by staging")
    assert result.returncode == 0, result.stderr
    envs = _data(path)["environments"]
    assert envs["test"]["note"] == "Covered by staging" and envs["staging"] == {
        "window": envs["staging"]["window"],
        "status": "scheduled",
    }


def test_a_file_with_a_byte_order_mark_is_edited_in_place_and_keeps_it(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = _record(project, "REL-7", "test", "--status", "skipped", "--by", "ci")
    assert result.returncode == 0, result.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"    status: skipped   # set by the pipeline\n" in raw and b'\n    deployed_by: "ci"\n' in raw


def test_a_flow_mapping_with_a_trailing_comma_gets_one_comma_per_key(project: Path) -> None:
    envs = BLOCK_NOTE_LAST.replace(
        "  staging:\n    window: {start: 2026-12-02T09:00:00Z, end: 2026-12-02T10:00:00Z}\n    status: scheduled\n",
        "  staging: {window: {start: 2026-12-02T09:00:00Z, end: 2026-12-02T10:00:00Z}, status: scheduled,}\n",
    )
    path = _write(project, RELEASE.format(envs=envs))
    result = _record(project, "REL-7", "staging", "--status", "skipped", "--by", "ci")
    assert result.returncode == 0, result.stderr
    assert ",," not in path.read_text()
    assert _data(path)["environments"]["staging"]["deployed_by"] == "ci"


def test_a_crlf_file_keeps_crlf_on_every_line(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2026-12-01T09:40Z", "--by", "ci")
    assert result.returncode == 0, result.stderr
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"deployed_by" in raw


def test_a_file_that_mixes_line_endings_is_refused_and_left_alone(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    path.write_bytes(path.read_bytes().replace(b"risk: low\n", b"risk: low\r\n"))
    before = path.read_bytes()
    result = _record(project, "REL-7", "test", "--status", "skipped")
    assert result.returncode == 1 and "mixes line endings" in result.stderr
    assert result.stderr.startswith("releases/REL-7.yaml:1:1: error:")
    _nothing_written(path, before)


def test_a_symlinked_release_file_is_edited_through_the_link(project: Path) -> None:
    link = project / "releases" / "REL-7.yaml"
    target = project / "releases" / "kept" / "REL-7.txt"
    target.parent.mkdir()
    link.rename(target)
    link.symlink_to(Path("kept") / "REL-7.txt")
    result = _record(project, "REL-7", "test", "--status", "skipped")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and "    status: skipped   # set by the pipeline" in target.read_text()


def test_a_change_that_pushes_the_file_past_the_size_limit_writes_nothing(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    text = path.read_text()
    padding = MAX_BYTES - len(text.encode()) - 10
    path.write_text(text + "#" * (padding - 1) + "\n")
    before = path.read_bytes()
    assert len(before) <= MAX_BYTES
    result = _record(project, "REL-7", "test", "--status", "skipped", "--by", "pipeline run 1234")
    assert result.returncode == 1
    assert "releases/REL-7.yaml:1:1: error: the file is over 1,048,576 bytes" in result.stderr
    _nothing_written(path, before)


def test_a_time_the_clocks_skip_is_refused_as_validate_refuses_it(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    before = path.read_bytes()
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2026-03-29T02:30")
    assert result.returncode == 1
    assert "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks skip that hour" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    _nothing_written(path, before)


def test_a_release_whose_file_has_errors_gets_that_files_problems(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    path.write_text(path.read_text().replace("risk: low", "risk: lowish"))
    before = path.read_bytes()
    result = _record(project, "REL-7", "test", "--status", "skipped")
    assert result.returncode == 1
    assert "releases/REL-7.yaml:12:7: error:" in result.stderr and "no release" not in result.stderr
    _nothing_written(path, before)


def test_a_time_after_now_is_refused_without_allow_future(project: Path) -> None:
    path = project / "releases" / "REL-7.yaml"
    before = path.read_bytes()
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2199-01-01T10:00Z", allow_future=False)
    assert result.returncode == 1 and "is in the future" in result.stderr and "--allow-future" in result.stderr
    _nothing_written(path, before)


def test_a_time_after_now_is_recorded_with_allow_future(project: Path) -> None:
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2199-01-01T10:00Z")
    assert result.returncode == 0, result.stderr
    assert "deployed_at: 2199-01-01T10:00+00:00" in (project / "releases" / "REL-7.yaml").read_text()


def test_a_past_time_needs_no_flag(project: Path) -> None:
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2026-01-05T10:00Z", allow_future=False)
    assert result.returncode == 0, result.stderr


# --- two records at once ------------------------------------------------------------------------

TWIN = """\
id: {id}
title: "Shop {id}"
service: shop
version: '{version}'
type: minor
status: approved
summary: A summary.
owner: {owner}
risk: low
environments:
  test:
    window: {{start: 2026-12-01T09:00:00Z, end: 2026-12-01T10:00:00Z}}
    status: skipped
"""


def _waiting_for_lock(pids: list[int]) -> set[int]:
    """Which of ``pids`` wait for a file lock (the kernel lists waiters with '->' in /proc/locks)."""
    waiting = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()  # "1: -> FLOCK ADVISORY WRITE <pid> <device:inode> 0 EOF"
        if len(fields) > 5 and fields[1] == "->" and int(fields[5]) in pids:
            waiting.add(int(fields[5]))
    return waiting


def test_two_records_that_are_fine_alone_but_clash_together_cannot_both_succeed(project: Path) -> None:
    folder = project / "releases"
    (folder / "REL-7.yaml").unlink()
    for rid, version, owner in (("REL-8", "8.0.0", "team-a"), ("REL-9", "9.0.0", "team-b")):
        (folder / f"{rid}.yaml").write_text(TWIN.format(id=rid, version=version, owner=owner))
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # both commands start while the folder is locked, then race
    try:
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "relsite", "record", rid, "test", "--status", "scheduled"],
                cwd=project,
                env=clean_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for rid in ("REL-8", "REL-9")
        ]
        deadline = time.monotonic() + 120
        while _waiting_for_lock([p.pid for p in procs]) != {p.pid for p in procs}:
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), (
                "the commands did not reach the lock"
            )
            time.sleep(0.05)
    finally:
        os.close(fd)
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 1], outs
    assert any("window overlaps" in err for _, err in outs)
    check = subprocess.run(
        [sys.executable, "-m", "relsite", "validate", "releases"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout


def test_an_at_that_is_not_a_time_is_a_usage_error(project: Path) -> None:
    result = _record(project, "REL-7", "test", "--status", "deployed", "--at", "2026-11-30")
    assert result.returncode == 2 and "expected a date and time" in result.stderr
