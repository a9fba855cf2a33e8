"""Change one value in a YAML file and nothing else: comments, key order, quoting and blank lines
stay byte for byte outside the lines that change.

libyaml's node marks give the exact span of every value, so a value is replaced where it was
written; a missing key is added after the last line of its mapping, indented like its siblings
(or inside the braces of a flow mapping). Knows nothing about releases.
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

Path_ = tuple[str, ...]


class EditError(ValueError):
    """The path leads through something that is not a mapping."""


def _child(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        raise EditError("not a mapping")
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _content_end(node: yaml.Node) -> int:
    """Where a value's own text ends (block collections end where the next token starts, after
    any comments and blank lines, which belong to what follows)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return int(node.end_mark.index)


def _root(text: str) -> yaml.Node:
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        raise EditError("the file is empty")
    return node


def set_value(text: str, path: Path_, value: str) -> str:
    """``text`` with the value at ``path`` set to ``value`` (already written as YAML: a plain
    word, or a double-quoted string). The mapping that holds it must exist."""
    parent = _root(text)
    for key in path[:-1]:
        found = _child(parent, key)
        if found is None:
            raise EditError(f"{'.'.join(path[:-1])} is missing")
        parent = found[1]
    existing = _child(parent, path[-1])
    if existing is not None:
        node = existing[1]
        if not isinstance(node, yaml.ScalarNode):
            raise EditError(f"{'.'.join(path)} is not a single value")
        return text[: node.start_mark.index] + value + text[node.end_mark.index :]
    if not isinstance(parent, yaml.MappingNode):
        raise EditError(f"{'.'.join(path[:-1])} is not a mapping")
    if parent.flow_style:
        close = text.rindex("}", 0, parent.end_mark.index)
        return text[:close].rstrip(" ") + (", " if parent.value else "") + f"{path[-1]}: {value}" + text[close:]
    if not parent.value:
        raise EditError(f"{'.'.join(path[:-1])} is empty")
    indent = " " * parent.value[0][0].start_mark.column
    end = _content_end(parent)
    line_end = text.find("\n", end)
    if line_end == -1:
        return text + f"\n{indent}{path[-1]}: {value}\n"
    return text[:line_end] + f"\n{indent}{path[-1]}: {value}" + text[line_end:]
