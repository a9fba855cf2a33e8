"""The committed JSON Schemas match the models, and the example portfolio satisfies them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from relsite.validate.schema_export import render_all

from .conftest import PORTAL, ROOT, relsite


def test_committed_schemas_are_in_sync_with_the_models() -> None:
    for name, text in render_all().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is stale: run `relsite schema`"
        )


def test_schemas_are_valid_draft_7() -> None:
    for name in render_all():
        jsonschema.Draft7Validator.check_schema(json.loads((ROOT / "schema" / name).read_text()))


def _plain(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_example_files_satisfy_the_schemas() -> None:
    release = jsonschema.Draft7Validator(json.loads((ROOT / "schema" / "release.schema.json").read_text()))
    portfolio = jsonschema.Draft7Validator(json.loads((ROOT / "schema" / "portfolio.schema.json").read_text()))
    for path in sorted((PORTAL).glob("*.yaml")):
        data = _plain(yaml.safe_load(path.read_text()))
        validator = portfolio if path.name == "portfolio.yaml" else release
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"


def test_schema_command_writes_both_files(tmp_path: Path) -> None:
    result = relsite("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.schema.json", "release.schema.json"]


@pytest.mark.slow
def test_check_jsonschema_accepts_the_schema_and_the_example_files() -> None:
    """An independent validator with ECMA-262 regexes, as editors use: catches patterns only Python accepts."""
    import shutil
    import subprocess
    import sys

    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert tool, "check-jsonschema is a test dependency"
    files = [str(p) for p in sorted((PORTAL).glob("REL-*.yaml"))]
    result = subprocess.run(
        [tool, "--schemafile", str(ROOT / "schema/release.schema.json"), *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [tool, "--schemafile", str(ROOT / "schema/portfolio.schema.json"), str(PORTAL / "portfolio.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
