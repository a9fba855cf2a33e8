"""Where every loaded value was written: paths into loaded data, and their lines and columns.

Split from the reader so that the code that reports problems (every check, every rule) depends
on this small vocabulary rather than on the YAML loader; ``relsite.load.reader`` re-exports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Key = str | int
Loc = tuple[Key, ...]


def dotted(path: tuple[Key, ...]) -> str:
    """A path as people write it in messages: ``environments.prod.window``, ``notes.fixes[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def leaves(value: Any, path: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every scalar of loaded data with its path, in document order: for checks that look at all
    values whatever field they are in (secrets, local times)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))
    else:
        yield path, value


@dataclass
class SourceMap:
    """Positions (1-based line, column) of values and mapping keys, by path from the root.

    Plain tuples of ints, not libyaml's mark objects: the cyclic garbage collector skips such
    tuples, and a large portfolio holds hundreds of thousands of positions.
    """

    file: str
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)

    def at(self, *path: Key) -> tuple[int, int]:
        """Where the value at ``path`` was written, or its nearest written ancestor."""
        loc = tuple(path)
        while loc:
            pos = self.values.get(loc)
            if pos is not None:
                return pos
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key_at(self, *path: Key) -> tuple[int, int]:
        """Where the key naming ``path`` was written; falls back to the value."""
        pos = self.keys.get(tuple(path))
        return pos if pos is not None else self.at(*path)

    def forget(self) -> None:
        """Drop the positions once no message can need them (the file name stays)."""
        self.values = {}
        self.keys = {}
        self.raw = {}
