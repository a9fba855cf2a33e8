"""The JSON assets written by orjson (plan/json_text.py) are byte for byte what Python's json writes:
on generated values with hostile text, and on every document of planned portals."""

from __future__ import annotations

import collections
import datetime as dt
import enum
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relsite.plan import json_text
from relsite.plan.json_api import _iso
from relsite.plan.planning import Planning
from relsite.validate.checker import check_folder

from .support.projects import PORTAL, ROOT, TODAY


class _Text(str):
    """A str subclass: json writes its text; orjson hands it to ``default``."""


class _Colour(enum.StrEnum):
    """A str enum: json writes its text, orjson its value (the same)."""

    RED = "red"


class _Level(enum.IntEnum):
    """An int enum: json writes its int, orjson its value (the same)."""

    HIGH = 3


def _outcome(write: Callable[[], bytes]) -> bytes | str:
    """The bytes written, or the kind of error raised: both writers must fail alike too."""
    try:
        return write()
    except (TypeError, ValueError, RecursionError) as e:
        return type(e).__name__


def _same(data: Any, default: json_text.Default | None = _iso) -> None:
    assert _outcome(lambda: json_text.indented(data, default)) == _outcome(
        lambda: json_text.stdlib_indented(data, default)
    )


_HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f", "\x85"]),
        st.sampled_from(["\u2028", "\u2029", "\ufeff", "é", "€", "😀", "👩‍👩‍👧", "\U0010ffff", "</script>"]),
        st.characters(),  # any code point but surrogates
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # a lone surrogate: json fails to encode it
    ),
    max_size=12,
).map("".join)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # beyond 64 bits too
    _HOSTILE,
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
    _HOSTILE.map(_Text),
    st.sampled_from([_Colour.RED, _Level.HIGH]),
)
_KEYS = st.one_of(_HOSTILE, _HOSTILE.map(_Text), st.integers(), st.booleans(), st.none())
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(_HOSTILE, inner, max_size=5),
        st.dictionaries(_KEYS, inner, max_size=3),
        st.dictionaries(_HOSTILE, inner, max_size=3).map(collections.OrderedDict),
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(data=_VALUES)
def test_generated_values_are_written_as_json_writes_them(data: Any) -> None:
    _same(data)


@settings(max_examples=300, deadline=None)
@given(data=_VALUES)
def test_generated_values_without_a_default_are_written_or_refused_as_json_does(data: Any) -> None:
    _same(data, None)


@pytest.mark.parametrize(
    "data",
    [
        {"a": [], "b": {}, "c": [{}], "d": [[]]},
        [[[[]]]],
        {"deep": [[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]},
        "x",
        0,
        2**63,
        2**64,
        -(2**63) - 1,
        {2: "int key", True: "bool key", None: "none key"},
        {"text": _Text("a str subclass"), "enum": _Colour.RED, "level": _Level.HIGH},
        dt.datetime(2026, 11, 27, 9, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
    ],
)
def test_edge_values_are_written_as_json_writes_them(data: Any) -> None:
    _same(data)


def test_nesting_deeper_than_orjson_goes_is_written_as_json_writes_it() -> None:
    data: Any = "bottom"
    for _ in range(300):
        data = {"x": [data]}
    _same(data)


def _floats(value: Any, where: str = "") -> Iterator[str]:
    if isinstance(value, float):
        yield where
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _floats(v, f"{where}/{k}")
    elif isinstance(value, (list, tuple)):
        for n, v in enumerate(value):
            yield from _floats(v, f"{where}/{n}")


@pytest.mark.parametrize("folder", [PORTAL, ROOT / "releases"], ids=["test-portal", "example-portal"])
def test_every_document_of_a_planned_portal_holds_no_float_and_is_written_as_json_writes_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []
    original = json_text.indented

    def checked(data: Any, default: json_text.Default | None = None) -> bytes:
        assert not list(_floats(data)), "a float reached orjson: write the document with stdlib_indented"
        out = original(data, default)
        assert out == json_text.stdlib_indented(data, default)
        written.append(len(out))
        return out

    monkeypatch.setattr(json_text, "indented", checked)
    result = check_folder(folder, today=dt.date.fromisoformat(TODAY))
    assert result.portfolio is not None
    assets = Planning(result.portfolio, dt.date.fromisoformat(TODAY), "https://portal.example/").assets()
    for asset in assets:
        asset.render()
    assert len(written) >= len([a for a in assets if a.path.endswith(".json")]) > 30


@settings(max_examples=50, deadline=None)
@given(data=st.lists(_VALUES, max_size=3))
def test_a_document_joined_from_its_items_is_written_as_json_writes_it(data: list[Any]) -> None:
    shell = {"name": "x", "as_of": "2026-11-27"}
    try:
        expected = json_text.stdlib_indented({**shell, "items": data}, _iso)
    except (TypeError, ValueError):  # what json refuses (a lone surrogate, a cycle) is no document
        assume(False)
    items = [json_text.as_item(json_text.indented(one, _iso)) for one in data]
    assert json_text.with_items(shell, "items", items, _iso) == expected
