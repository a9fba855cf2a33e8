"""validate.checker.recheck: a changed release is judged exactly as check_folder judges the folder
with the change written (issue 24: one definition of "valid" for a changed release)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from relsite.validate.checker import check_folder, recheck

from .conftest import SITES

FIXTURE = SITES / "recording" / "releases"
TODAY = dt.date(2026, 11, 27)

CHANGES = {
    "a valid change": ("status: scheduled   # set by the pipeline", "status: skipped"),
    "a rule broken": ("status: scheduled   # set by the pipeline", "status: deployed"),
    "a model error": ("risk: low", "risk: lowish"),
    "a YAML error": ("risk: low", "risk: [low"),
    "a secret": ("risk: low", "risk: low\nsupport_note: password=hunter2hunter2"),
    "a time in the future": (
        "status: scheduled   # set by the pipeline",
        "status: deployed\n    deployed_at: 2030-01-01T10:00Z",
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_recheck_finds_what_validate_finds_once_the_change_is_written(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("releases")
    shutil.copytree(FIXTURE, folder)
    before = check_folder(folder, today=TODAY)
    assert before.errors == []
    path = folder / "REL-7.yaml"
    old, new = CHANGES[change]
    data = path.read_text().replace(old, new, 1).encode()
    rechecked = recheck(before, "REL-7", data)
    path.write_bytes(data)
    assert rechecked.problems == check_folder(folder, today=TODAY).problems
