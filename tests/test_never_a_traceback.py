"""Property-based: whatever bytes or YAML a person commits, validation answers with problems, never an exception."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relsite.load.reader import load_bytes, load_text
from relsite.problems import Severity
from relsite.validate.checker import model_of as _model
from relsite.validate.models import PortfolioConfig, Release

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pipeline(doc_bytes: bytes) -> None:
    doc, problems = load_bytes(doc_bytes, "releases/X.yaml")
    for p in problems:
        assert p.file == "releases/X.yaml" and p.line >= 1 and p.col >= 1 and p.severity is Severity.ERROR
    if doc is not None:
        for model in (Release, PortfolioConfig):
            _, found = _model(model, doc, dt.UTC)
            for p in found:
                assert p.line >= 1 and p.col >= 1 and p.message


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _pipeline(data)


yaml_text = st.text(alphabet=string.printable + "äé€ -:[]{}&*!|>'\"#%@`", max_size=300)


@SETTINGS
@given(yaml_text)
def test_arbitrary_yaml_like_text_never_raises(text: str) -> None:
    _pipeline(text.encode("utf-8"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(),
)
keys = st.sampled_from(
    [
        "id",
        "title",
        "service",
        "version",
        "type",
        "status",
        "environments",
        "prod",
        "test",
        "window",
        "start",
        "end",
        "notes",
        "handover",
        "known_issues",
        "summary",
        "x",
    ]
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=20,
)


def _dump(value: object, indent: int = 0) -> str:
    """A tiny YAML writer in flow style: enough to produce structurally arbitrary documents."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


@SETTINGS
@given(st.dictionaries(keys, trees, max_size=8))
def test_arbitrary_yaml_structures_never_raise(tree: dict[str, object]) -> None:
    text = "\n".join(f"{k}: {_dump(v)}" for k, v in tree.items()) + "\n"
    doc, problems = load_text(text, "releases/X.yaml")
    assert doc is not None or problems
    _pipeline(text.encode("utf-8"))


REGRESSIONS = sorted((Path(__file__).parent / "fuzz" / "regressions").glob("*"))


def test_inputs_that_once_crashed_now_end_as_problems() -> None:
    """Inputs found by the atheris harness (tests/fuzz/fuzz_loader.py) that once raised."""
    assert REGRESSIONS
    for path in REGRESSIONS:
        _pipeline(path.read_bytes())
