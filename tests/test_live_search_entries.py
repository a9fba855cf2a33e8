"""The live preview's search index (publish/live_search.SearchEntries), kept as bytes per page: the
file it writes is byte for byte the index a build writes with the same entries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from relsite.publish.live_search import SEARCH_INDEX, SearchEntries

_CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"]}


def _entry(location: str, text: str) -> dict[str, str]:
    return {"location": location, "title": f"Title of {location}", "text": text}


_DOCS = [
    _entry("", "Home — “quoted” \\ </script> 😀"),
    _entry("releases/REL-1/", "Ünïcode and \u2028 line separators"),
    _entry("releases/REL-1/#notes", "Notes"),
    _entry("releases/REL-2/", "Second"),
    _entry("releases/REL-2/#handover", "Handover\nwith a break"),
    _entry("calendar/", "Calendar"),
]


def _index(docs: list[dict[str, Any]]) -> bytes:
    """The index as the build writes it (search_index.Collector.merge_into): compact JSON, docs last."""
    return json.dumps({"config": _CONFIG, "docs": docs}, separators=(",", ":")).encode("utf-8")


def _read(tmp_path: Path, docs: list[dict[str, Any]]) -> SearchEntries:
    (tmp_path / SEARCH_INDEX).parent.mkdir(parents=True)
    (tmp_path / SEARCH_INDEX).write_bytes(_index(docs))
    found = SearchEntries.read(tmp_path)
    assert found is not None
    return found


def test_an_index_read_and_written_again_is_the_same_bytes(tmp_path: Path) -> None:
    assert _read(tmp_path, _DOCS).data() == _index(_DOCS)


@pytest.mark.parametrize(
    ("url", "new"),
    [
        ("releases/REL-1/", [_entry("releases/REL-1/", "Edited “again” 😀"), _entry("releases/REL-1/#a", "A")]),
        ("", [_entry("", "The first page, edited")]),
        ("calendar/", [_entry("calendar/", "The last page"), _entry("calendar/#m", "\u2029")]),
        ("releases/REL-2/", []),
    ],
    ids=["middle", "first", "last", "emptied"],
)
def test_a_pages_entries_replaced_give_the_index_a_build_writes_with_them(
    tmp_path: Path, url: str, new: list[dict[str, str]]
) -> None:
    replaced = _read(tmp_path, _DOCS).replaced(url, new)
    assert replaced is not None
    at = [n for n, d in enumerate(_DOCS) if d["location"].split("#")[0] == url]
    expected = _DOCS[: at[0]] + new + _DOCS[at[-1] + 1 :]
    assert replaced.data() == _index(expected)


def test_an_index_whose_only_page_is_emptied_has_no_entries(tmp_path: Path) -> None:
    replaced = _read(tmp_path, [_entry("only/", "One")]).replaced("only/", [])
    assert replaced is not None
    assert replaced.data() == _index([])


def test_a_page_whose_entries_are_scattered_is_not_replaced_in_place(tmp_path: Path) -> None:
    docs = [_entry("a/", "A"), _entry("b/", "B"), _entry("a/#late", "A again")]
    assert _read(tmp_path, docs).replaced("a/", [_entry("a/", "new")]) is None
