"""`relsite notes`: a release's notes for GitHub, GitLab, Markdown and Keep a Changelog, and a
service's changelog file, read back by the third-party ``keepachangelog`` parser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import keepachangelog
import pytest

from tests.support.notes_repo import notes_project
from tests.support.projects import relsite


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = notes_project(tmp_path / "p")
    monkeypatch.chdir(root)
    return root


def test_the_markdown_body_has_the_curated_layer_first_and_the_technical_changes_with_sources(project: Path) -> None:
    result = relsite("notes", "REL-1")
    assert result.exit_code == 0, result.output
    body = result.output
    assert (
        body.index("Customers can pay by invoice.") < body.index("## Highlights") < body.index("## Technical changes")
    )
    assert "- New resolver: Loosen URL comparison" in body
    assert "([#10002](https://github.com/acme/shop/issues/10002))" in body
    assert "**checkout:** pay by invoice ([#41](https://github.com/acme/shop/pull/41))" in body


def test_the_github_payload_is_the_release_apis_json(project: Path) -> None:
    payload = json.loads(relsite("notes", "REL-2", "--format", "github-release").output)
    assert set(payload) == {"tag_name", "name", "body", "draft", "prerelease"}
    assert (payload["tag_name"], payload["draft"], payload["prerelease"]) == ("v1.1.0", False, True)
    assert "## Technical changes" in payload["body"]


def test_the_gitlab_payload_uses_the_monorepo_tag_pattern(project: Path) -> None:
    payload = json.loads(relsite("notes", "REL-3", "--format", "gitlab-release").output)
    assert set(payload) == {"tag_name", "name", "description"}
    assert payload["tag_name"] == "billing-4.2.0"
    assert "CPUWeigher" in payload["description"]


def test_a_hostile_fragment_stays_text_in_every_output(project: Path) -> None:
    body = relsite("notes", "REL-2").output
    assert re.search(r"(?<!\\)<(script|img)", body) is None  # every < from data is escaped: Markdown shows it as text
    assert "\\<script\\>" in body
    for line in body.splitlines():
        assert not line.lstrip().startswith(("::", "##[", "##vso[")), line
    assert "\\::error file=app.py::owned" in body


def test_the_changelog_is_read_back_by_the_keepachangelog_package(project: Path) -> None:
    result = relsite("notes", "--changelog", "shop", "--output", "CHANGELOG.md")
    assert result.exit_code == 0, result.output
    parsed = keepachangelog.to_dict("CHANGELOG.md", show_unreleased=True)
    assert parsed["1.0.0"]["metadata"]["release_date"] == "2026-11-20"
    assert any("New resolver: Loosen URL comparison" in line for line in parsed["1.0.0"]["added"])
    assert any("Git version parsing" in line for line in parsed["1.0.0"]["removed"])
    assert parsed["unreleased"]["added"] == ["Invoices in **PDF**. ([#900](https://github.com/acme/shop/issues/900))"]
    assert "1.1.0" not in parsed  # planned, not released


def test_the_changelog_replaces_its_own_file_but_never_one_it_did_not_write(project: Path) -> None:
    Path("CHANGELOG.md").write_text("# Our hand-written history\n")
    refused = relsite("notes", "--changelog", "shop")
    assert refused.exit_code == 2
    assert "was not written by relsite" in refused.output
    assert Path("CHANGELOG.md").read_text() == "# Our hand-written history\n"
    assert relsite("notes", "--changelog", "shop", "--force").exit_code == 0
    assert relsite("notes", "--changelog", "shop").exit_code == 0  # its own file now


def test_one_release_as_a_keep_a_changelog_section(project: Path) -> None:
    section = relsite("notes", "REL-1", "--format", "keepachangelog").output
    assert section.startswith("## [1.0.0] - 2026-11-20\n")
    assert "### Added" in section and "### Removed" in section


def test_a_binary_or_control_character_fragment_is_an_error_at_its_file(project: Path) -> None:
    (project / "mono/news/667.feature.md").write_bytes(
        (Path(__file__).parent / "notes/hostile/667.feature.md").read_bytes()
    )
    (project / "mono/news/668.feature.md").write_bytes(
        (Path(__file__).parent / "notes/hostile/668.feature.md").read_bytes()
    )
    result = relsite("notes", "REL-1")
    assert result.exit_code == 1
    assert (
        "mono/news/667.feature.md:1:15: error: a control or invisible character (U+0007) is not allowed"
        in result.output
    )
    assert "mono/news/668.feature.md:1:1: error: the file is binary, not text" in result.output


def test_a_secret_in_a_fragment_is_an_error_without_showing_it(project: Path) -> None:
    token = "ghp_" + "a1B2" * 9
    (project / "mono/news/901.feature.md").write_text(f"Deploy with\n{token}\n")
    result = relsite("notes", "REL-1")
    assert result.exit_code == 1
    assert "mono/news/901.feature.md:2:1: error: the note contains what looks like a GitHub token" in result.output
    assert token not in result.output


def test_naming_neither_a_release_nor_a_service_is_a_usage_error(project: Path) -> None:
    assert relsite("notes").exit_code == 2


def test_validate_reports_a_bad_fragment_at_its_file_like_a_bad_release_file(project: Path) -> None:
    (project / "mono/news/902.feature.md").write_bytes(b"Text with a bell \x07\n")
    result = relsite("validate", "releases")
    assert result.exit_code == 1
    assert (
        "mono/news/902.feature.md:1:18: error: a control or invisible character (U+0007) is not allowed"
        in result.output
    )


@pytest.mark.parametrize(
    "line", ["::error file=a::x", "  ::warning::x", "##[error]x", "##vso[task.complete result=Failed]x", "[command]x"]
)
def test_no_line_of_data_starts_like_a_ci_workflow_command(line: str) -> None:
    from relsite.plan.notes_output import text

    out = text(f"first\n{line}")
    assert out.split("\n")[1].lstrip().startswith("\\")


def test_control_characters_from_data_become_visible_escapes() -> None:
    from relsite.plan.notes_output import text

    assert text("red \x1b[31m text") == "red \\u001b[31m text"


def test_a_portfolio_that_configures_no_notes_imports_nothing_and_plans_as_before(tmp_path: Path) -> None:
    from relsite.pipeline import collect_notes
    from relsite.validate.checker import check_folder
    from tests.support.projects import PORTAL

    pf = check_folder(PORTAL).portfolio
    assert pf is not None
    assert collect_notes(pf, tmp_path) == (None, [])
