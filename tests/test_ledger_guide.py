"""The guide to recording deployments: its workflows pass the Actions security audit, its YAML parses,
and its Argo CD template is the one relsite reads."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from relsite.load.events.argocd import ARGOCD_TEMPLATE

from .conftest import ROOT

GUIDE = ROOT / "content" / "guides" / "deployments.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)
WORKFLOWS = [b for b in BLOCKS if b.startswith("name:")]


def test_every_yaml_block_in_the_guide_parses() -> None:
    assert len(BLOCKS) >= 5
    for block in BLOCKS:
        yaml.safe_load(block)


@pytest.mark.parametrize("index", range(len(WORKFLOWS)))
def test_the_guides_workflows_pass_the_actions_security_audit(index: int, tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "record.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(WORKFLOWS[index])
    result = subprocess.run(
        [str(Path(sys.executable).parent / "zizmor"), "--offline", "--persona=auditor", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_workflow_pastes_an_event_value_into_a_script() -> None:
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow)["jobs"].values():
            for step in job["steps"]:
                assert "github.event" not in step.get("run", "")


def test_the_guide_shows_the_argo_cd_template_relsite_reads() -> None:
    assert ARGOCD_TEMPLATE in GUIDE.read_text()
