"""`relsite init` writes workflows GitHub Actions runs: nothing a user passes or an existing mkdocs.yml
holds may put an Actions expression (``${{ ... }}``) into them, which Actions would evaluate even in a
quoted env value, and a refusal writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import clean_env
from .support.commands import run_relsite


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_relsite(*args, cwd=cwd)


@pytest.mark.parametrize(
    "spec",
    [
        "https://evil.example/${{ secrets.GITHUB_TOKEN }}.whl",
        "git+https://git.example/relsite@${{github.token}}",
        'relsite; os_name == "${{ secrets.X }}"',
    ],
)
def test_relsite_spec_refuses_an_actions_expression_and_writes_nothing(spec: str, tmp_path: Path) -> None:
    result = _run("init", "--name", "A", "--timezone", "UTC", "--relsite-spec", spec, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "--relsite-spec" in result.stderr and "${{" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", ["site_dir", "docs_dir"])
def test_init_refuses_an_existing_mkdocs_yml_whose_folders_hold_an_actions_expression_and_writes_nothing(
    key: str, tmp_path: Path
) -> None:
    (tmp_path / "mkdocs.yml").write_text(f'site_name: Handbook\n{key}: "out-${{{{ secrets.DEPLOY_KEY }}}}"\n')
    before = sorted(tmp_path.rglob("*"))
    result = _run("init", "--name", "A", "--timezone", "UTC", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    refusal = (
        f"mkdocs.yml: error: {key} 'out-${{{{ secrets.DEPLOY_KEY }}}}' holds '${{{{', "
        "which GitHub Actions would evaluate in the workflows (a secret could end up in a path); nothing was written"
    )
    assert result.stderr.splitlines() == [refusal]
    assert sorted(tmp_path.rglob("*")) == before


def test_a_relsite_spec_packaging_cannot_parse_is_refused_in_one_line(tmp_path: Path) -> None:
    result = _run("init", "--name", "A", "--timezone", "UTC", "--relsite-spec", "relsite==1.0'", cwd=tmp_path)
    assert result.returncode == 2
    error = [line for line in result.stderr.splitlines() if "--relsite-spec" in line]
    assert len(error) == 1 and error[0].endswith(")") and result.stderr.splitlines()[-1] == error[0]


MARKUP_NAME = 'R&D <img src=x onerror="document.title=1"> "Ops'


@pytest.mark.site
@pytest.mark.site
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_an_init_name_with_markup_is_shown_as_text_in_every_pages_header_on_each_engine(
    engine: str, tmp_path: Path
) -> None:
    assert _run("init", "--name", MARKUP_NAME, "--timezone", "UTC", cwd=tmp_path).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--engine", engine],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find_all("img", onerror=True) == []
    assert page.title is not None and f"{MARKUP_NAME} release portal" in page.title.get_text()
    labels = [
        tag["aria-label"] for tag in page.find_all(attrs={"aria-label": True}) if "release portal" in tag["aria-label"]
    ]
    assert labels and set(labels) == {f"{MARKUP_NAME} release portal"}  # the quote did not end the attribute
