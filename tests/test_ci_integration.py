"""What teams copy into their CI: output formats every CI understands, the default "today", the
shipped workflows and the pre-commit hook, each run as the other tool would run it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from relsite import pipeline
from relsite.validate.catalog import all_checks

from .conftest import CASES, ROOT, clean_env, commit_all, copy_case, relsite
from .support.commands import run_relsite

SARIF_SCHEMA = Path(sys.prefix) / "share" / "relsite-tests" / "sarif-2.1.0.json"  # where ./bootstrap puts it
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _validate(case: str, tmp: Path, fmt: str) -> str:
    copy_case(case, tmp)
    result = run_relsite("validate", "--format", fmt, "releases", cwd=tmp)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


# --- SARIF --------------------------------------------------------------------------------------


def test_sarif_output_is_valid_against_the_published_sarif_2_1_0_schema(tmp_path: Path) -> None:
    assert SARIF_SCHEMA.is_file(), "./bootstrap fetches the SARIF schema from the npm registry"
    schema = json.loads(SARIF_SCHEMA.read_text())
    log = json.loads(_validate("window-overlap", tmp_path, "sarif"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]


def test_sarif_results_carry_the_file_line_and_column_the_text_output_shows(tmp_path: Path, in_tmp: Path) -> None:
    log = json.loads(_validate("freeze", tmp_path, "sarif"))
    got = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["level"],
        )
        for r in log["runs"][0]["results"]
    ]
    text = (CASES / "freeze" / "expected.txt").read_text()
    expected = [
        (m[1], int(m[2]), int(m[3]), m[4])
        for m in re.finditer(r"^(\S+):(\d+):(\d+): (error|warning):", text, re.MULTILINE)
    ]
    assert got == expected


@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_sarif_result_names_a_rule_the_log_describes(case: str, tmp_path: Path) -> None:
    run = json.loads(_validate(case, tmp_path, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert rules[result["ruleIndex"]]["help"]["text"]


def test_the_sarif_rule_list_is_the_rule_catalog() -> None:
    log = json.loads(relsite("validate", "--format", "sarif", str(CASES / "valid-minimal" / "releases")).output)
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == [c.id for c in all_checks()]


# --- GitLab Code Quality ------------------------------------------------------------------------


def test_gitlab_code_quality_issues_have_the_fields_gitlab_reads(tmp_path: Path) -> None:
    issues = json.loads(_validate("window-overlap", tmp_path, "gitlab"))
    assert issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= issue.keys()
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (
            issue["location"]["path"].startswith("releases/") and issue["location"]["positions"]["begin"]["line"] >= 1
        )
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_are_stable_across_runs_and_when_lines_move(tmp_path: Path) -> None:
    first = json.loads(_validate("window-overlap", tmp_path / "a", "gitlab"))
    again = json.loads(_validate("window-overlap", tmp_path / "b", "gitlab"))
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    for path in (tmp_path / "b" / "releases").glob("REL-*.yaml"):
        path.write_text("# a comment added on top\n" + path.read_text())
    moved = run_relsite("validate", "--format", "gitlab", "releases", cwd=tmp_path / "b").stdout
    moved_issues = json.loads(moved)
    assert [i["location"]["positions"]["begin"]["line"] for i in moved_issues] != [
        i["location"]["positions"]["begin"]["line"] for i in first
    ]
    assert sorted(i["fingerprint"] for i in moved_issues) == sorted(i["fingerprint"] for i in first)


# --- today where the portfolio is ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "utc", "expected"),
    [
        ("Pacific/Auckland", "2026-11-27T10:59:00", "2026-11-27"),  # 23:59 NZDT
        ("Pacific/Auckland", "2026-11-27T11:01:00", "2026-11-28"),  # 00:01 NZDT, still the 27th in UTC
        ("America/Los_Angeles", "2026-11-28T07:59:00", "2026-11-27"),  # 23:59 PST, already the 28th in UTC
        ("America/Los_Angeles", "2026-11-28T08:01:00", "2026-11-28"),  # 00:01 PST
    ],
)
def test_the_default_today_is_the_date_where_the_portfolio_is(
    zone: str, utc: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    releases = copy_case("valid-minimal", tmp_path)
    config = releases / "portfolio.yaml"
    config.write_text(config.read_text().replace("timezone: Europe/Berlin", f"timezone: {zone}"))
    monkeypatch.delenv("RELSITE_TODAY", raising=False)
    monkeypatch.setattr(pipeline, "now", lambda: dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC))
    site, problems, _ = pipeline.plan_site(releases, pipeline.resolve_today(None))
    assert site is not None, problems
    assert site.today.isoformat() == expected


def test_an_explicit_today_still_wins_over_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    releases = copy_case("valid-minimal", tmp_path)
    monkeypatch.setenv("RELSITE_TODAY", "2026-01-02")
    site, _, _ = pipeline.plan_site(releases, pipeline.resolve_today(None))
    assert site is not None and site.today == dt.date(2026, 1, 2)


# --- what teams copy ----------------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_shipped_workflows_pass_the_actions_security_audit(workflow: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "zizmor"), "--offline", "--persona=auditor", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_shipped_workflows_install_relsite_as_users_do_and_set_no_time_zone(workflow: Path) -> None:
    text = workflow.read_text()
    assert "pip install -e" not in text and "TZ=" not in text
    for step in (s for job in yaml.safe_load(text)["jobs"].values() for s in job.get("steps", [])):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def _guide_example(title: str) -> dict[str, object]:
    guide = (ROOT / "content" / "guides" / "propose.md").read_text()
    m = re.search(rf'```yaml title="{re.escape(title)}"\n(.*?)```', guide, re.DOTALL)
    assert m, f"the guide has no {title} example"
    return yaml.safe_load(m.group(1))


@pytest.mark.slow  # check-jsonschema takes seconds to start
@pytest.mark.parametrize(
    ("title", "schema"), [(".gitlab-ci.yml", "vendor.gitlab-ci"), ("azure-pipelines.yml", "vendor.azure-pipelines")]
)
def test_the_guides_ci_examples_are_valid_for_their_platform(title: str, schema: str, tmp_path: Path) -> None:
    example = tmp_path / title
    example.write_text(json.dumps(_guide_example(title)))
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--regex-variant",
            "python",
            "--builtin-schema",
            schema,
            str(example),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the pre-commit hook, run by pre-commit ------------------------------------------------------


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where pre-commit keeps the hook's environment: installed by the first test, reused by the next."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_config(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A .pre-commit-config.yaml installing the hook from this checkout: from a clone with the working
    tree's changes to tracked files committed, as ``pre-commit try-repo`` makes it (try-repo installs
    afresh on every call; a config naming a commit lets the second test reuse the first's environment)."""
    clone = tmp_path_factory.mktemp("hook-source") / "relsite"
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "clone", "-q", str(ROOT), str(clone)], check=True)
    changes = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=ROOT, capture_output=True, check=True).stdout
    if changes:
        subprocess.run(["git", "apply", "--index"], cwd=clone, input=changes, check=True)
        subprocess.run([*git, "commit", "-qm", "the working tree"], cwd=clone, check=True)
    return f"repos:\n  - repo: {clone}\n    rev: {_head(clone)}\n    hooks: [{{id: relsite-validate}}]\n"


def _head(repo: Path) -> str:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    return head.stdout.strip()


def _run_hook(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env(PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "run", "relsite-validate", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _git_repo(tmp_path: Path, case: str, config: str) -> Path:
    """A team's repository using the hook: its releases and a .pre-commit-config.yaml, committed."""
    repo = tmp_path / "team"
    copy_case(case, repo)
    (repo / ".pre-commit-config.yaml").write_text(config)
    commit_all(repo, "releases")
    return repo


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
@pytest.mark.index
def test_the_pre_commit_hook_passes_a_valid_portfolio(tmp_path: Path, pre_commit_home: Path, hook_config: str) -> None:
    result = _run_hook(_git_repo(tmp_path, "valid-minimal", hook_config), pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "relsite validate" in result.stdout and "Passed" in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
@pytest.mark.index
def test_the_pre_commit_hook_fails_with_the_located_problems(
    tmp_path: Path, pre_commit_home: Path, hook_config: str
) -> None:
    result = _run_hook(_git_repo(tmp_path, "window-order", hook_config), pre_commit_home)
    assert result.returncode == 1
    assert (
        "Failed" in result.stdout
        and "releases/REL-1.yaml:" in result.stdout
        and "error: environments." in result.stdout
    )
    assert os.path.isdir(pre_commit_home)


def test_sarif_uris_are_percent_encoded_so_a_space_or_hash_in_a_file_name_survives(tmp_path: Path) -> None:
    from urllib.parse import unquote, urlsplit

    releases = copy_case("window-order", tmp_path)
    (releases / "REL-1.yaml").rename(releases / "REL 1 #draft%.yaml")
    log = json.loads(run_relsite("validate", "--format", "sarif", "releases", cwd=tmp_path).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"releases/REL%201%20%23draft%25.yaml"}
    assert all(urlsplit(u).fragment == "" and unquote(u) == "releases/REL 1 #draft%.yaml" for u in uris)
