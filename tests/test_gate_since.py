"""The live preview's secret gate searches only the part of a rewritten file that changed: for any
edit of a file that passed the gate, it finds exactly what searching the whole file finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.publish.changed_part import changed_part
from relsite.publish.secret_gate import findings_since, relsite_findings

PIECES = [
    "AKIA",
    "ABCDEFGHIJKLMNOP",
    "QRST",
    "ghp_",
    "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8",
    "xoxb-",
    "1234567890ab",
    "https://",
    "deploy:hunter2x@db.internal",
    "-----BEGIN RSA ",
    "PRIVATE KEY-----",
    "&#64;",
    "\n",
    "\r\n",
    "\t",
    " ",
    '"',
    ",",
    "title",
    "é",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30)


def _edited(old: list[str], at: int, cut: int, insert: list[str]) -> list[str]:
    at = at % (len(old) + 1)
    return old[:at] + insert + old[at + cut :]


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 40), st.integers(0, 4), texts, st.sampled_from(["a.json", "b.ics", "c.html"]))
def test_searching_the_changed_part_finds_what_searching_the_whole_file_finds(
    old: list[str], at: int, cut: int, insert: list[str], name: str
) -> None:
    before, after = "".join(old).encode(), "".join(_edited(old, at, cut, insert)).encode()
    if relsite_findings(name, before.decode(), frozenset()):
        return  # only a file that passed the gate is ever the previous version
    assert findings_since(name, after, before, frozenset()) == relsite_findings(name, after.decode(), frozenset())


def test_a_secret_added_to_a_long_file_is_found_in_the_changed_part() -> None:
    line = b'  "title": "Quarterly ledger close",\n'
    before = line * 50_000
    after = line * 20_000 + b'  "note": "AKIAABCDEFGHIJKLMNOP",\n' + line * 30_000
    start, end = changed_part(before, after)
    assert b"AKIAABCDEFGHIJKLMNOP" in after[start:end]
    assert end - start < 3 * len(line)
    assert findings_since("api.json", after, before, frozenset()) == [
        "api.json:20001:12: error: the built site contains what looks like an AWS access key id (AKIA… (20 characters))"
    ]


def test_an_unchanged_file_has_nothing_new_to_search() -> None:
    data = b"line one\nline two\n"
    start, end = changed_part(data, data)
    assert data[start:end] == b""
