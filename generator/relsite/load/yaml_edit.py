"""Change values in a YAML file and nothing else: comments, key order, quoting and blank lines
stay byte for byte outside the values that change.

Edits are placed by the YAML node structure (libyaml's node marks give the exact span of every
value), never by guessing from lines: a value is replaced where it was written; a missing key is
added after the last value of its mapping, indented like its siblings, or inside the braces of a
flow mapping. A byte-order mark and CRLF line endings are kept as they were.

Every edit is then proved: the new text is read back with relsite's own loader and its whole data
must equal the old data with exactly the intended values changed. Anything else (a layout this
module does not know how to edit) is an ``EditError``, and the caller writes nothing: a file is
edited correctly or not at all. Knows nothing about releases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from relsite.load.reader import Loc, dotted, load_text

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

BOM = "\ufeff"


@dataclass(frozen=True)
class Change:
    """Set the value at ``path`` (mapping keys from the top) to ``value``, a scalar already written
    as YAML: a plain word or time, or a double-quoted string (see ``quoted``). Every mapping on the
    way must exist; the last key is added when missing."""

    path: tuple[str, ...]
    value: str


class EditError(ValueError):
    """The change cannot be made safely; ``line`` and ``col`` (1-based) say where, when known."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.line, self.col = line, col


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON's string syntax is a subset of it)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """``text`` with every change made, or ``EditError``; the result is verified (see the module)."""
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    newline = _newline(body)
    new = body
    for change in changes:
        if newline != "\n":  # a value over several lines (a history) takes the file's line ending too
            change = Change(change.path, change.value.replace("\n", newline))
        new = _apply(new, change, newline)
    _verify(body, new, changes)
    return bom + new


def _newline(text: str) -> str:
    """The file's line ending; a file that mixes them is refused rather than made worse."""
    crlf, cr, lf = text.count("\r\n"), text.count("\r"), text.count("\n")
    if cr == 0:
        return "\n"
    if crlf == cr == lf:
        return "\r\n"
    raise EditError("the file mixes line endings (CRLF, LF or CR); save it with one kind")


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, key: str, where: tuple[str, ...]) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"{dotted(where)} is not a mapping", *_mark(node))
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _is_block_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def _scalar_end(text: str, node: yaml.Node) -> int:
    """Where a scalar's own text ends. A block scalar's mark runs to the start of the next token,
    over the blank lines after it; those stay where they are, so its text ends with its last
    written line."""
    end = int(node.end_mark.index)
    if _is_block_scalar(node):
        start = int(node.start_mark.index)
        end = start + len(text[start:end].rstrip(" \r\n"))
    return end


def _keeps_trailing_lines(text: str, node: yaml.Node) -> bool:
    """A block scalar with the keep indicator (``|+``) owns the blank lines after it."""
    start = int(node.start_mark.index)
    header = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    return "+" in header.split("#", 1)[0]


def _last_value(node: yaml.Node) -> yaml.Node:
    """The value written last inside a block collection (what a new sibling line follows)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node


def _line_break_at(text: str, index: int) -> int:
    """Where the line holding ``index`` ends (the position of its line break, or the end)."""
    lf = text.find("\n", index)
    if lf == -1:
        return len(text)
    return lf - 1 if lf > 0 and text[lf - 1] == "\r" else lf


def _apply(text: str, change: Change, newline: str) -> str:
    path = change.path
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EditError(f"the file cannot be read as YAML ({exc})") from None
    if node is None:
        raise EditError("the file is empty")
    for i, key in enumerate(path[:-1]):
        found = _child(node, key, path[:i])
        if found is None:
            raise EditError(f"{dotted(path[: i + 1])} is missing", *_mark(node))
        node = found[1]
    existing = _child(node, path[-1], path[:-1])
    if existing is not None:
        return _replace(text, existing[0], existing[1], change)
    if not isinstance(node, yaml.MappingNode):  # pragma: no cover - _child checked it
        raise EditError(f"{dotted(path[:-1])} is not a mapping", *_mark(node))
    entry = f"{path[-1]}: {change.value}"
    if node.flow_style:
        if node.value:
            k, v = node.value[-1]
            after = int(v.end_mark.index) if v.end_mark.index > k.end_mark.index else int(k.end_mark.index)
            return text[:after] + ", " + entry + text[after:]
        opening = int(node.start_mark.index) + 1
        return text[:opening] + entry + text[opening:]
    if not node.value:
        raise EditError(f"{dotted(path[:-1])} is an empty mapping", *_mark(node))
    indent = " " * node.value[0][0].start_mark.column
    last = _last_value(node)
    if _is_block_scalar(last) and _keeps_trailing_lines(text, last):
        at = int(last.end_mark.index)
        lead = "" if at == 0 or text[at - 1] == "\n" else newline
        return text[:at] + lead + indent + entry + newline + text[at:]
    at = _line_break_at(
        text, _scalar_end(text, last) if isinstance(last, yaml.ScalarNode) else int(last.end_mark.index)
    )
    return text[:at] + newline + indent + entry + text[at:]


def _replace(text: str, key: yaml.Node, node: yaml.Node, change: Change) -> str:
    if isinstance(node, yaml.SequenceNode) and (
        node.value or node.flow_style
    ):  # a whole list (the ledger's history), `[]` too
        if not node.value:
            return text[: int(node.start_mark.index)] + change.value + text[int(node.end_mark.index) :]
        last = _last_value(node)
        end = (
            int(node.end_mark.index)
            if node.flow_style
            else (_scalar_end(text, last) if isinstance(last, yaml.ScalarNode) else int(last.end_mark.index))
        )
        # A block list may start its items at the key's own column ("history:\n- ..."); a flow list
        # there would be no value of the key, so it goes one column deeper than the key.
        lead = " " * max(0, int(key.start_mark.column) + 1 - int(node.start_mark.column)) if not node.flow_style else ""
        return text[: int(node.start_mark.index)] + lead + change.value + text[end:]
    if not isinstance(node, yaml.ScalarNode):
        raise EditError(f"{dotted(change.path)} holds a list or mapping, not a single value", *_mark(node))
    start, end = int(node.start_mark.index), _scalar_end(text, node)
    if start == end:  # written empty ("note:"): the value goes after the colon
        return text[:start] + " " + change.value + text[end:]
    return text[:start] + change.value + text[end:]


# --- proof --------------------------------------------------------------------------------------


def _value_of(scalar: str) -> Any:
    doc, problems = load_text(f"v: {scalar}\n", "(value)")
    if doc is None:
        raise EditError(f"{scalar!r} is not a value relsite can read: {problems[0].message if problems else 'invalid'}")
    return doc.data["v"]


def _set(data: Any, path: Loc, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def same(a: Any, b: Any) -> bool:
    """Equal data of equal types: ``1`` is not ``True``, a time keeps its offset."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def _verify(old: str, new: str, changes: Sequence[Change]) -> None:
    before, _ = load_text(old, "(before)")
    after, problems = load_text(new, "(after)")
    if before is None:
        raise EditError("the file cannot be read as relsite reads it")
    if after is None:
        p = problems[0] if problems else None
        raise EditError(
            "this layout cannot be edited safely: the edit would make the file unreadable"
            + (f" ({p.message})" if p else ""),
            *((p.line, p.col) if p else (1, 1)),
        )
    expected = before.data
    for change in changes:
        _set(expected, change.path, _value_of(change.value))
    if not same(expected, after.data):
        line, col = before.source.at(*changes[0].path) if changes else (1, 1)
        raise EditError(
            "this layout cannot be edited safely: the edit would change more than the recorded values", line, col
        )
