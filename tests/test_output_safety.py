"""What relsite prints is safe to print anywhere: data never starts a line of output (where a CI runner
reads `::error`, `##vso[` or `##[group]` as a command), and a value that Python cannot convert is a
located problem, never an internal error that hides every other file's problems."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import commit_all, copy_case
from .support.commands import run_relsite

PAYLOADS = {"newline": "\\n", "carriage return": "\\r", "CRLF": "\\r\\n"}
"""The line breaks the loader lets through in quoted text (the others are refused as invisible characters)."""
COMMAND = "::error file=x::pwned"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_relsite(*args, cwd=cwd)


def _hostile_freeze(tmp: Path, escape: str) -> Path:
    """A hard freeze whose (double-quoted) name holds a line break then a workflow command, over the
    production window of the one release, so every format quotes the name in a problem."""
    releases = copy_case("valid-minimal", tmp)
    pf = releases / "portfolio.yaml"
    pf.write_text(pf.read_text().replace("name: Year-end", f'name: "Year-end{escape}{COMMAND}"'))
    rel = releases / "REL-1.yaml"
    rel.write_text(rel.read_text().replace("2026-12-03T2", "2026-12-21T2"))
    return releases


def _lines_data_could_start(text: str) -> list[str]:
    """Every line as a CI log or terminal splits it (Python's splitlines knows every line break)."""
    return text.splitlines()


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "gitlab"])
@pytest.mark.parametrize("escape", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_output_format_lets_a_quoted_value_start_a_line(fmt: str, escape: str, tmp_path: Path) -> None:
    _hostile_freeze(tmp_path, escape)
    result = _run(tmp_path, "validate", "--format", fmt)
    assert result.returncode == 1, result.stderr
    assert "Year-end" in result.stdout
    for line in _lines_data_could_start(result.stdout):
        assert not line.lstrip().startswith(COMMAND), line


def test_the_text_output_shows_a_line_break_in_a_value_as_a_visible_escape(tmp_path: Path) -> None:
    _hostile_freeze(tmp_path, "\\n")
    out = _run(tmp_path, "validate").stdout
    assert f"'Year-end\\u000a{COMMAND}'" in out


def test_json_output_keeps_the_escape_so_tools_see_what_the_terminal_shows(tmp_path: Path) -> None:
    _hostile_freeze(tmp_path, "\\n")
    data = json.loads(_run(tmp_path, "validate", "--format", "json").stdout)
    assert any(f"Year-end\\u000a{COMMAND}" in p["message"] for p in data["problems"])


def test_the_pull_request_summary_never_lets_a_quoted_value_start_a_line(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_case("valid-minimal", repo)
    commit_all(repo)
    _hostile_freeze(tmp_path / "hostile", "\\n")
    for name in ("portfolio.yaml", "REL-1.yaml"):
        (repo / "releases" / name).write_text((tmp_path / "hostile" / "releases" / name).read_text())
    result = _run(repo, "diff", "HEAD")
    assert result.returncode == 1 and "Year-end" in result.stdout, result.stderr
    for line in _lines_data_could_start(result.stdout):
        assert not line.lstrip("- ").startswith(COMMAND), line


# --- values Python cannot convert ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 5000, "a number of 5,000 digits is too long"),
        ("-" + "9" * 4301, "a number of 4,301 digits is too long"),
        ("1e999", "1e999 is too large to be a number"),
        ("-1e999", "-1e999 is too large to be a number"),
    ],
)
def test_a_plain_number_python_cannot_hold_is_a_located_problem_and_other_files_still_report(
    value: str, message: str, tmp_path: Path
) -> None:
    releases = copy_case("window-order", tmp_path)
    (releases / "REL-8.yaml").write_text(f"id: REL-8\ntitle: Huge\nversion: {value}\n")
    result = _run(tmp_path, "validate")
    assert result.returncode == 1
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert f"releases/REL-8.yaml:3:10: error: {message}" in result.stdout
    assert "releases/REL-1.yaml:15:" in result.stdout  # window-order's own problem is still there


def test_a_huge_integer_as_a_mapping_key_is_read_as_text_not_an_internal_error(tmp_path: Path) -> None:
    releases = copy_case("valid-minimal", tmp_path)
    rel = releases / "REL-1.yaml"
    rel.write_text(rel.read_text() + f"? {'7' * 5000}\n: x\n")  # an explicit key: a simple one ends at 1,024 characters
    result = _run(tmp_path, "validate")
    assert result.returncode == 1 and "internal error" not in result.stderr, result.stderr
    assert "releases/REL-1.yaml:17:3: error: unknown field" in result.stdout


@pytest.mark.parametrize("text", ["a\x1b[2Jb", "a\u202eb", "a\u200bb", "a\x00b"])
def test_the_pull_request_summary_shows_control_and_invisible_characters_as_escapes(text: str) -> None:
    from relsite.plan.change_summary import md_code, md_text

    for shown in (md_text(text), md_code(text)):
        assert shown.isprintable() and f"u{ord(text[1]):04x}" in shown
