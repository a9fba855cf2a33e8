"""Golden pairs: each folder under tests/cases holds a small portfolio and the exact output of
`relsite validate` for it (expected.txt, ending in the exit code). One folder per rule and per
hostile input; the file:line:col and message of every problem are part of the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CASES, copy_case, relsite

CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def test_there_is_a_case_for_every_rule() -> None:
    from relsite.validate.rules import RULES

    tested = " ".join((CASES / c / "expected.txt").read_text() for c in CASE_NAMES)
    for rule in RULES:
        assert any(word in tested for word in _words_of(rule.id)), f"no golden case exercises rule {rule.id}"


def _words_of(rule_id: str) -> list[str]:
    """A phrase each rule's message is known to contain."""
    return {
        "config.production": ["second production environment", "no environment is marked production"],
        "config.unique-names": ["is defined twice"],
        "config.freezes": ["names unknown environment", "before it starts"],
        "config.reserved-names": ["is taken by a generated file"],
        "reserved-names": ["is taken by an archive page"],
        "id-matches-file": ["does not match the file name"],
        "emergency": ["emergency release needs", "is only for type emergency"],
        "environment-known": ["unknown environment"],
        "window-order": ["window.end"],
        "deployed-at": ["has no deployed_at"],
        "milestones-order": ["is before milestones"],
        "promotion-order": ["not deployed or skipped"],
        "promotion-windows": ["starts before the"],
        "sign-off": ["requires a sign-off"],
        "status-consistency": ["status is planned but", "status is deploying but"],
        "handover-ready": ["the handover lacks"],
        "acceptance-to-close": ["accepted_by is missing"],
        "cab-review": ["needs milestones.cab"],
        "breaking-actions": ["actions_required is empty"],
        "service-known": ["unknown service"],
        "unique-ids": ["is already used by"],
        "dependencies": ["depends on"],
        "window-overlap": ["window overlaps"],
        "coordinated-with": ["coordinated with unknown release", "not coordinated with itself"],
        "freeze": ["freeze '"],
        "config.support-phases": ["dates no phase", "must start after"],
        "config.support-lines": ["covers the same versions", "lies inside line", "so each needs a version"],
        "support-line": ["is in none of the support lines"],
        "support-ended": ["on or after the end of life"],
        "config.schedule": ["needs an end or a duration", "never occurs", "excludes nothing"],
        "config.change-windows": ["names unknown service", "only emergency releases name their approver"],
        "change-window": ["is outside every change window"],
    }[rule_id]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_validate_prints_exactly_the_expected_problems(case: str, in_tmp: Path) -> None:
    copy_case(case, in_tmp)
    result = relsite("validate", "releases")
    got = result.output + f"exit: {result.exit_code}\n"
    assert got == (CASES / case / "expected.txt").read_text(encoding="utf-8")
