"""The indented JSON text of the portal's documents, written by orjson.

Every JSON file the portal publishes is ``json.dumps(data, indent=2, ensure_ascii=False,
default=...) + "\\n"`` in UTF-8. With an indent CPython's json runs its pure-Python encoder (the C
one only writes compact text), and at 10,000 releases that was most of a live preview's re-plan
of environments.json, support.json, the endoflife.date listing and changing.json (0.07-0.1 s
each). orjson writes the same text from Rust some 20 times faster, so ``indented`` writes with
orjson and falls back to json wherever the two could differ:

- orjson refuses what json would write differently or reject: a key that is not a str (json writes
  ``1``, ``true``, ``null`` keys as text), an int beyond 64 bits, a str with a lone surrogate (json
  then fails on encoding), nesting deeper than 254, a cycle; on any such refusal (a ``TypeError``)
  json writes the document, and fails exactly as it used to.
- dates, times and instances of subclasses (a str subclass, say) are handed to ``default`` like
  json does (orjson would write them itself), so ``default`` decides their text or refuses. A str or
  int enum is written as its value, which is the text json writes. Only what json refuses, a plain
  enum or a UUID, orjson writes instead of refusing; no document holds one (the documents are
  models dumped to plain values and dicts of them).
- floats are the one difference orjson does not refuse: it writes ``1e-05`` as ``0.00001`` and NaN
  and infinities as ``null``. No document given to ``indented`` holds a float: the release models
  have no float field and the other documents are made of text, dates, booleans and counts
  (tests/test_json_text.py walks every document of a planned portal to hold that). The one document
  with floats, the delivery metrics (rates and hours), is written by ``stdlib_indented``.

tests/test_json_text.py holds ``indented`` equal to ``stdlib_indented`` byte for byte on generated
values with hostile text and on every JSON asset of a planned portal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

Default = Callable[[Any], Any]

_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def indented(data: Any, default: Default | None = None) -> bytes:
    """``stdlib_indented(data, default)``, written by orjson when ``data`` holds no float."""
    try:
        return orjson.dumps(data, default=default, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: see the module docstring
        return stdlib_indented(data, default)


def stdlib_indented(data: Any, default: Default | None = None) -> bytes:
    """The portal's JSON text as Python's json writes it: the reference, and the writer of floats."""
    return (json.dumps(data, indent=2, ensure_ascii=False, default=default) + "\n").encode("utf-8")


def as_item(one: bytes) -> bytes:
    """``indented`` text of one value as an item of an indented list one level down (a JSON string
    never holds a raw line break, so indenting every line is safe)."""
    return b"    " + one.rstrip(b"\n").replace(b"\n", b"\n    ")


def with_items(shell: dict[str, Any], key: str, items: list[bytes], default: Default | None = None) -> bytes:
    """``indented({**shell, key: values})`` from the values' ``as_item`` texts: the same bytes, made by
    one join (at 10,000 releases releases.json is 40 MB), so a caller that keeps each item's text
    serialises only the items that changed."""
    if not items:
        return indented({**shell, key: []}, default)
    head, tail = indented({**shell, key: [None]}, default).rsplit(b"\n    null\n", 1)
    parts = list(items)
    parts[0] = head + b"\n" + parts[0]
    parts[-1] += b"\n" + tail
    return b",\n".join(parts)
