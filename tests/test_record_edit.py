"""load.yaml_edit: edits placed by the YAML structure and proved by reading the file back."""

from __future__ import annotations

import pytest

from relsite.load.reader import load_text
from relsite.load.yaml_edit import Change, EditError, _verify, apply_changes


def _data(text: str) -> dict:
    doc, problems = load_text(text, "x.yaml")
    assert doc is not None, problems
    return doc.data


def test_the_proof_refuses_an_edit_that_changed_another_value() -> None:
    old = "a:\n  status: x\n  other: 1\n"
    tampered = "a:\n  status: y\n  other: 2\n"
    with pytest.raises(EditError, match="would change more than the recorded values") as caught:
        _verify(old, tampered, [Change(("a", "status"), "y")])
    assert (caught.value.line, caught.value.col) == (2, 11)


def test_a_key_after_a_keep_block_scalar_leaves_its_trailing_lines_in_it() -> None:
    text = "a:\n  note: |+\n    hi\n\nb: 1\n"
    new = apply_changes(text, [Change(("a", "by"), '"ci"')])
    assert _data(new) == {"a": {"note": "hi\n\n", "by": "ci"}, "b": 1}


def test_a_value_that_is_a_mapping_is_not_replaced() -> None:
    with pytest.raises(EditError, match=r"a\.status holds a list or mapping") as caught:
        apply_changes("a:\n  status: {x: 1}\n", [Change(("a", "status"), "deployed")])
    assert (caught.value.line, caught.value.col) == (2, 11)


def test_a_value_written_empty_gets_its_value_after_the_colon() -> None:
    assert apply_changes("a:\n  note:\n  b: 1\n", [Change(("a", "note"), '"x"')]) == 'a:\n  note: "x"\n  b: 1\n'
