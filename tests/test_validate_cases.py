"""Golden pairs: each folder under tests/cases holds a small portfolio and the exact output of
`relsite validate` for it (expected.txt, ending in the exit code). One folder per rule and per
hostile input; the file:line:col and message of every problem are part of the contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CASES, copy_case, relsite

CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _rules_reported(case: str, where: Path) -> set[str]:
    """The rule ids ``relsite validate --format json`` names for a case's problems."""
    copy_case(case, where / case)
    data = json.loads(relsite("validate", "--format", "json", str(where / case / "releases")).output)
    return {p["rule"] for p in data["problems"] if p.get("rule")}


def test_there_is_a_case_for_every_rule(tmp_path: Path) -> None:
    from relsite.validate.rules import RULES

    reported = set().union(*(_rules_reported(case, tmp_path) for case in CASE_NAMES))
    assert sorted(rule.id for rule in RULES if rule.id not in reported) == []


@pytest.mark.parametrize("case", CASE_NAMES)
def test_validate_prints_exactly_the_expected_problems(
    case: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELSITE_TODAY", "2026-12-31")  # after every deployment the cases record, but one
    copy_case(case, in_tmp)
    result = relsite("validate", "releases")
    got = result.output + f"exit: {result.exit_code}\n"
    assert got == (CASES / case / "expected.txt").read_text(encoding="utf-8")
