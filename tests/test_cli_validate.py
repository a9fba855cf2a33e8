"""`relsite validate` as a user meets it: exit codes, output formats, a realistic fixture portfolio."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import get_args

from relsite.validate.lifecycle import ReleaseStatus

from .conftest import PORTAL, ROOT, copy_case, relsite


def test_the_fixture_portfolio_validates_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "validate", "--strict", str(PORTAL)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("checked 21 files: no problems")


def test_the_fixture_portfolio_spans_the_lifecycle() -> None:
    from relsite.validate.checker import check_folder as validate

    pf = validate(PORTAL).portfolio
    assert pf is not None
    statuses = {r.status for r in pf.releases}
    assert set(get_args(ReleaseStatus)) <= statuses
    assert any(r.type == "emergency" for r in pf.releases)
    assert len({r.service for r in pf.releases}) >= 5


def test_a_clean_portfolio_prints_only_a_summary(in_tmp: Path) -> None:
    copy_case("valid-minimal", in_tmp)
    result = relsite("validate")
    assert (result.exit_code, result.output) == (0, "checked 2 files: no problems\n")


def test_warnings_pass_unless_strict(in_tmp: Path) -> None:
    copy_case("promotion-windows", in_tmp)
    assert relsite("validate").exit_code == 0
    assert relsite("validate", "--strict").exit_code == 1


def test_a_missing_folder_is_a_usage_error(in_tmp: Path) -> None:
    result = relsite("validate", "no-such-folder")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_an_unknown_option_is_a_usage_error(in_tmp: Path) -> None:
    assert relsite("validate", "--frobnicate").exit_code == 2


def test_github_format_prints_annotations(in_tmp: Path) -> None:
    copy_case("window-order", in_tmp)
    result = relsite("validate", "--format", "github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(
        "::error file=releases/REL-1.yaml,line=15,col=48,title=relsite window-order::environments.prod.window.end"
    )


def test_github_annotations_escape_newlines_in_hints(in_tmp: Path) -> None:
    copy_case("service-known", in_tmp)
    line = relsite("validate", "--format", "github").output.splitlines()[0]
    assert "%0Ahint: did you mean 'shop'?" in line


def test_json_format_lists_problems_for_tools(in_tmp: Path) -> None:
    copy_case("dependencies", in_tmp)
    data = json.loads(relsite("validate", "--format", "json").output)
    assert data["errors"] == 4 and data["warnings"] == 1
    assert data["problems"][0] == {
        "file": "releases/REL-1.yaml",
        "line": 10,
        "col": 14,
        "severity": "error",
        "message": "depends on unknown release 'REL-9'",
        "hint": "did you mean 'REL-3'?",
        "rule": "dependencies",
    }


def test_problems_from_many_files_are_reported_at_once_sorted_by_file_and_line(in_tmp: Path) -> None:
    copy_case("status-consistency", in_tmp)
    lines = [ln for ln in relsite("validate").output.splitlines() if ": error: " in ln]
    assert [ln.split(":")[0] for ln in lines] == [f"releases/REL-{i}.yaml" for i in range(1, 5)]


def test_an_oversized_file_is_refused_without_reading_it(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    (releases / "REL-2.yaml").write_bytes(b"id: REL-2\nsummary: " + b"x" * (2 * 1024 * 1024) + b"\n")
    result = relsite("validate")
    assert result.exit_code == 1
    assert "releases/REL-2.yaml:1:1: error: the file is 2,097,172 bytes; the limit is 1,048,576" in result.output


def test_a_link_leaving_the_folder_is_not_followed(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    outside = in_tmp / "secret.yaml"
    outside.write_text("id: REL-9\n")
    os.symlink(outside, releases / "REL-9.yaml")
    result = relsite("validate")
    assert "releases/REL-9.yaml:1:1: error: links that point outside the releases folder are not read" in result.output


def test_the_module_runs_as_a_command_without_a_traceback_on_garbage(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    (releases / "REL-2.yaml").write_bytes(bytes(range(256)))
    result = subprocess.run([sys.executable, "-m", "relsite", "validate"], capture_output=True, text=True, cwd=in_tmp)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "releases/REL-2.yaml:2:118: error: the file is not UTF-8 (byte 0x80)" in result.stdout


def test_validation_reads_the_example_without_writing_anything(tmp_path: Path) -> None:
    shutil.copytree(PORTAL, tmp_path / "releases")
    before = sorted(p.name for p in (tmp_path / "releases").rglob("*"))
    subprocess.run([sys.executable, "-m", "relsite", "validate"], cwd=tmp_path, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "releases").rglob("*")) == before
