"""The project team's path: scaffold, validate, see the diff a pull request makes, hooks and workflows."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from relsite.cli import main
from relsite.plan.pages.reference import model_tables
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.rules import RULES

from .conftest import PORTAL, ROOT, soup
from .support.commands import run_relsite


def _run(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_relsite(*args, cwd=cwd, input=input)


def _copy_example(tmp: Path) -> Path:
    shutil.copytree(PORTAL, tmp / "releases")
    shutil.copytree(ROOT / "schema", tmp / "schema")
    return tmp


def test_new_writes_a_release_that_validates_as_a_draft(tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    result = _run(
        "new",
        "--service",
        "payments",
        "--type",
        "minor",
        "--title",
        "Payments gateway 4.3",
        "--version",
        "4.3.0",
        "--prod-date",
        "2027-02-10",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote releases/REL-2027-002.yaml",
        "REL-2027-002 validates as a draft; fill it in, then run `relsite validate`",
    ]
    text = (project / "releases/REL-2027-002.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/release.schema.json\n")
    for section in ("milestones:", "notes:", "handover:", "depends_on:", "components:"):
        assert f"# {section}" in text
    check = _run("validate", "--strict", cwd=project)
    assert check.returncode == 0, check.stdout


def test_new_picks_the_next_free_id_and_never_overwrites(tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    ids = []
    for _ in range(2):
        result = _run(
            "new",
            "--service",
            "crm",
            "--type",
            "patch",
            "--title",
            "CRM fix",
            "--version",
            "13.0.1",
            "--prod-date",
            "2027-03-09",
            cwd=project,
        )
        assert result.returncode == 0, result.stderr
        ids.append(result.stdout.split()[1])
    assert ids == ["releases/REL-2027-002.yaml", "releases/REL-2027-003.yaml"]


def test_new_asks_for_what_the_options_do_not_give(tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    result = _run("new", cwd=project, input="identity\nminor\nSSO 2.5\n2.5.0\n2027-02-16\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote releases/REL-2027-002.yaml" in result.stdout
    assert 'title: "SSO 2.5"' in (project / "releases/REL-2027-002.yaml").read_text()


def test_new_refuses_a_service_outside_the_catalog(tmp_path: Path) -> None:
    project = _copy_example(tmp_path)
    result = _run(
        "new",
        "--service",
        "paymnts",
        "--type",
        "minor",
        "--title",
        "x",
        "--version",
        "1",
        "--prod-date",
        "2027-02-10",
        cwd=project,
    )
    assert result.returncode == 2 and "'paymnts' is not in portfolio.yaml" in result.stderr


# --- diff against a real git repository ------------------------------------------------------------


def _git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


def _two_commits(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", "-b", "main", cwd=repo)
    shutil.copytree(PORTAL, repo / "releases")
    _git("add", ".", cwd=repo)
    _git("commit", "-qm", "base", cwd=repo)
    base = _git("rev-parse", "HEAD", cwd=repo)
    r14 = repo / "releases/REL-2026-014.yaml"
    r14.write_text(
        r14.read_text()
        .replace("status: in_test", "status: ready")
        .replace(
            "{start: 2026-12-02T21:00:00Z, end: 2026-12-02T23:00:00Z}",
            "{start: 2026-12-04T21:00:00Z, end: 2026-12-04T23:00:00Z}",
        )
    )
    (repo / "releases/REL-2026-017.yaml").unlink()
    new = (
        (PORTAL / "REL-2026-019.yaml")
        .read_text()
        .replace("REL-2026-019", "REL-2026-020")
        .replace("HR portal 1.8", "HR portal 1.9")
    )
    new = new.replace("2026-12-10T18:00, end: 2026-12-10T19:00", "2026-12-19T18:00, end: 2026-12-19T19:00")
    (repo / "releases/REL-2026-020.yaml").write_text(new)
    pf = repo / "releases/portfolio.yaml"
    pf.write_text(
        pf.read_text()
        .replace("security: 2027-03-01, end_of_life: 2028-01-01", "security: 2027-03-01, end_of_life: 2028-07-03")
        .replace(
            '      - {version: "3.x", phases: {active: 2024-02-05, security: 2026-01-12, end_of_life: 2026-07-01}}\n',
            "",
        )
    )
    _git("add", "-A", ".", cwd=repo)
    _git("commit", "-qm", "change", cwd=repo)
    return repo, base


def test_diff_reports_each_kind_of_change(tmp_path: Path) -> None:
    repo, base = _two_commits(tmp_path)
    result = _run("diff", base, cwd=repo)
    out = result.stdout
    assert (
        "**New releases**\n\n- **REL-2026-020** HR portal 1.9 (year-end payslips) "
        "(hr-portal 1.8.0, minor, production 2026-12-19 18:00 CET), status approved"
    ) in out
    assert "**Removed releases**\n\n- **REL-2026-017** Web shop 7.3 (product reviews)" in out
    assert "- **REL-2026-014** Payments gateway 4.2: in test → ready" in out
    assert "- **REL-2026-014** prod: 2026-12-02 22:00 CET → 2026-12-04 22:00 CET (+2 days)" in out
    assert "**2 new errors** (the site will not build):" in out
    assert (
        "**Support dates**\n\n- **payments 3.x**: line removed\n"
        "- **payments 4.x**: end\\_of\\_life 2028-01-01 → 2028-07-03\n" in out
    )
    assert "- `releases/REL-2026-020.yaml:13` the test window overlaps REL-2026-019 (hr-portal" in out
    assert (
        "- `releases/REL-2026-020.yaml:14` the prod window (2026-12-19 18:00 CET) "
        "falls in the hard freeze 'Year-end freeze'" in out
    )
    assert result.returncode == 1


def test_diff_without_changes_says_so(tmp_path: Path) -> None:
    repo, _ = _two_commits(tmp_path)
    result = _run("diff", "HEAD", cwd=repo)
    assert result.stdout.endswith("No change to releases, dates or conflicts.\n")


def test_diff_works_in_a_shallow_clone_once_the_base_is_fetched(tmp_path: Path) -> None:
    repo, base = _two_commits(tmp_path)
    clone = tmp_path / "clone"
    _git("clone", "-q", "--depth", "1", f"file://{repo}", str(clone), cwd=tmp_path)
    missing = _run("diff", base, cwd=clone)
    assert missing.returncode == 2 and "git:" in missing.stderr
    _git("fetch", "-q", "--depth", "1", "origin", base, cwd=clone)
    result = _run("diff", base, cwd=clone)
    assert "in test → ready" in result.stdout


def test_diff_with_an_unknown_ref_is_a_usage_error(tmp_path: Path) -> None:
    repo, _ = _two_commits(tmp_path)
    result = _run("diff", "no-such-ref", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr


# --- generated reference pages ---------------------------------------------------------------------


def test_field_reference_lists_every_field_of_every_model(portal_site: Path) -> None:
    text = soup(portal_site / "reference/fields/index.html").get_text(" ")
    for root in (Release, PortfolioConfig):
        for model, rows in model_tables(root):
            assert model in text
            for field, *_ in rows:
                assert field in text, (model, field)
    assert "Version as text: quote it" in text


def test_rules_page_lists_every_rule(portal_site: Path) -> None:
    ids = {tr["id"] for tr in soup(portal_site / "reference/rules/index.html").select("tr[id]")}
    assert {r.id for r in RULES} <= ids
    assert {"load.anchor", "schema", "secrets"} <= ids


# --- hook and workflows ------------------------------------------------------------------------------


def test_the_pre_commit_hook_entry_runs_and_fails_on_bad_yaml(tmp_path: Path) -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["id"] == "relsite-validate" and re.match(hook["files"], "releases/REL-2026-014.yaml")
    project = _copy_example(tmp_path)
    entry = shlex.split(hook["entry"])
    relsite = str(Path(sys.executable).parent / entry[0])
    assert subprocess.run([relsite, *entry[1:]], cwd=project, capture_output=True).returncode == 0
    (project / "releases/REL-2026-014.yaml").write_text("id: [\n")
    bad = subprocess.run([relsite, *entry[1:]], cwd=project, capture_output=True, text=True)
    assert bad.returncode == 1 and "releases/REL-2026-014.yaml:2:1: error: invalid YAML" in bad.stdout


def test_workflows_only_use_commands_that_exist() -> None:
    used = set()
    for path in (ROOT / ".github/workflows").glob("*.yml"):
        flow = yaml.safe_load(path.read_text())
        for job in flow["jobs"].values():
            for step in job["steps"]:
                for m in re.finditer(r"\brelsite ([a-z-]+)", step.get("run", "")):
                    used.add(m.group(1))
    assert used == {"validate", "diff", "build"}
    for command in used:
        assert CliRunner().invoke(main, [command, "--help"]).exit_code == 0
    assert "bash .ci/run" in (ROOT / ".github/workflows/publish.yml").read_text()
