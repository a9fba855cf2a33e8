"""Read YAML safely and remember where every value came from.

The loader is the only code that touches YAML text. It builds plain Python data straight from
libyaml's event stream (never PyYAML's constructor), which is what lets it refuse aliases, tags and
merge keys before anything is expanded, resolve scalars with one small strict rule set (YAML 1.2
core: ``yes`` stays text, ``1.10`` stays visibly a number, ``.nan`` is refused) and record the
line and column of every key and value. It knows nothing about releases.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from relsite.load.characters import BAD_ASCII, BAD_CHARS, char_name, char_problems, decode
from relsite.load.scalars import MAYBE_NOT_TEXT, ScalarError, resolve_plain
from relsite.load.source_map import Key, Loc, SourceMap, dotted, leaves
from relsite.problems import Problem, error

try:  # the C parser is the speed floor; the pure one gives the same events
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

# Re-exported for the callers that have always imported them from the reader.
__all__ = ["BAD_CHARS", "Key", "Loc", "SourceMap", "dotted", "leaves"]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 6


@dataclass
class Document:
    file: str
    data: dict[str, Any]
    source: SourceMap
    text: str | None = None
    """The file as written, for checks that are cheaper on the whole text than value by value."""


# --- documents ----------------------------------------------------------------------------------


def load_file(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Load one YAML file; ``display`` is the name used in messages (relative to the project)."""
    try:
        mode = os.stat(path).st_mode  # sockets cannot even be opened: name them first
        if not stat.S_ISREG(mode):
            return None, [
                error(
                    display,
                    1,
                    1,
                    f"this is {_file_kind(mode)}, not a regular file",
                    "keep only release files (.yaml) in the folder",
                    "load.read",
                )
            ]
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer;
        # the descriptor is then checked again, as the path may have changed in between.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, [error(display, 1, 1, f"cannot read the file: {exc.strerror or exc}", rule="load.read")]
    with os.fdopen(fd, "rb") as fh:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, [
                    error(
                        display,
                        1,
                        1,
                        f"this is {_file_kind(info.st_mode)}, not a regular file",
                        "keep only release files (.yaml) in the folder",
                        "load.read",
                    )
                ]
            if info.st_size > MAX_BYTES:
                return None, [
                    error(
                        display,
                        1,
                        1,
                        f"the file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,}",
                        "split it or shorten it; a release definition is a few kilobytes",
                        "load.size",
                    )
                ]
            data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            return None, [error(display, 1, 1, f"cannot read the file: {exc.strerror or exc}", rule="load.read")]
    return load_bytes(data, display)


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def load_bytes(data: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    if len(data) > MAX_BYTES:
        return None, [error(display, 1, 1, f"the file is over {MAX_BYTES:,} bytes", rule="load.size")]
    text, problems = decode(display, data)
    if text is None:
        return None, problems
    return load_text(text, display)


def load_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    problems = char_problems(display, text)
    if problems:
        return None, problems
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [
            error(
                display,
                1,
                1,
                "the file is empty",
                "a release file is a mapping such as 'id: REL-2026-001'",
                "load.empty",
            )
        ]
    builder = _Builder(display)
    loader = _Loader(text)
    try:
        builder.feed(_events(loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (exc.problem or exc.context or "invalid YAML").strip()
        builder.problems.append(error(display, line, col, f"invalid YAML: {message}", rule="load.syntax"))
        return None, sorted(builder.problems)
    except yaml.YAMLError as exc:  # reader errors without a mark
        builder.problems.append(error(display, 1, 1, f"invalid YAML: {exc}", rule="load.syntax"))
        return None, sorted(builder.problems)
    except _Abort:
        return None, sorted(builder.problems)
    finally:
        loader.dispose()
    if builder.problems:
        return None, sorted(builder.problems)
    if not isinstance(builder.root, dict):
        return None, [
            error(
                display,
                1,
                1,
                "the top level must be a mapping of field names to values",
                "start with a line such as 'id: REL-2026-001'",
                "load.root",
            )
        ]
    return Document(display, builder.root, builder.source, text), []


def _events(loader: Any) -> Iterable[Any]:
    """libyaml's events, pulled directly: yaml.parse() asks check_event() before every event, which
    costs more than the parsing itself (measured: 383 ms against 103 ms for 1,000 release files)."""
    get = loader.get_event
    ev = get()
    while ev is not None:
        yield ev
        if type(ev) is yaml.StreamEndEvent:
            return
        ev = get()


class _Abort(Exception):
    """Raised when the rest of a file cannot be read meaningfully (the problem is already recorded)."""


_NO_KEY = object()


class _Builder:
    """Turns the event stream into dicts, lists and scalars, recording positions as it goes."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.source = SourceMap(file)
        self.problems: list[Problem] = []
        self.root: Any = None
        self.documents = 0

    def _fail(self, mark: Any, message: str, hint: str = "", rule: str = "load.structure", fatal: bool = False) -> None:
        self.problems.append(error(self.file, mark.line + 1, mark.column + 1, message, hint, rule))
        if fatal:
            raise _Abort()

    def feed(self, events: Iterable[Any]) -> None:  # noqa: C901 - the hot loop, kept inline for speed
        """One pass over the events; written for speed, as this loop is most of validation's cost:
        the common case (a plain or single-quoted text, a container) stays inline, and what is rare
        (anchors, tags, numbers and dates, escapes, aliases, documents) goes to helper methods.

        Each stack frame is [container, path, pending key]; a mapping frame's pending key is
        _NO_KEY while a key is expected, and a (marker, path) tuple after a duplicate key.
        """
        stack: list[list[Any]] = []
        values, keys = self.source.values, self.source.keys
        Scalar, MapStart, SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
        no_key = _NO_KEY
        for ev in events:
            kind = type(ev)
            if kind is MapEnd or kind is SeqEnd:
                stack.pop()
                continue
            if not (kind is Scalar or kind is MapStart or kind is SeqStart):
                self._other_event(ev, kind)
                continue
            if ev.anchor is not None or ev.tag is not None:
                self._anchor_or_tag(ev, kind is Scalar)
            frame = stack[-1] if stack else None
            if frame is not None and frame[2] is no_key:
                self._key(ev, kind is Scalar, frame, keys)
                continue
            if frame is None:
                path: Loc = ()
            elif frame[2] is None:  # a sequence
                path = frame[1] + (len(frame[0]),)
            else:
                pending = frame[2]
                path = pending[1] if type(pending) is tuple else frame[1] + (pending,)
            values[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            if kind is Scalar:
                value: Any = ev.value
                if ev.style == '"' or (not ev.style and (not value or value[0] in MAYBE_NOT_TEXT)):
                    value = self._scalar(ev, path)
            else:
                if len(path) > MAX_DEPTH:
                    self._fail(
                        ev.start_mark,
                        f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                        "the release format never needs this much nesting",
                        "load.depth",
                        fatal=True,
                    )
                value = {} if kind is MapStart else []
            if frame is None:
                self.root = value
            elif frame[2] is None:
                frame[0].append(value)
            else:
                if type(frame[2]) is not tuple:  # a duplicate key's value is dropped
                    frame[0][frame[2]] = value
                frame[2] = no_key
            if kind is not Scalar:
                stack.append([value, path, no_key if kind is MapStart else None])

    def _scalar(self, ev: Any, path: Loc) -> Any:
        """A double-quoted text (checked for escaped characters), an empty plain value (null), or a
        plain value that may be a number, a date or a boolean."""
        value: Any = ev.value
        if ev.style == '"':
            if (BAD_ASCII if value.isascii() else BAD_CHARS).search(value):
                self._escaped_char(ev.start_mark, value)
            return value
        if not value:
            return None
        if ev.tag is None:
            try:
                value = resolve_plain(value)
            except ScalarError as exc:
                self._fail(ev.start_mark, str(exc), exc.hint, "load.scalar")
            if type(value) is not str:
                self.source.raw[path] = ev.value
        return value

    def _anchor_or_tag(self, ev: Any, is_scalar: bool) -> None:
        if ev.anchor is not None:
            self._fail(
                ev.start_mark,
                f"anchors (&{ev.anchor}) are not allowed",
                "write the value out in full; anchors and aliases make reviews hard",
                "load.anchor",
            )
        if ev.tag is not None and not (not is_scalar and ev.implicit):
            self._fail(
                ev.start_mark,
                f"explicit tags ({ev.tag}) are not allowed",
                "remove the tag; quote the value if you mean text",
                "load.tag",
            )

    def _other_event(self, ev: Any, kind: type) -> None:
        if kind is yaml.AliasEvent:
            self._fail(
                ev.start_mark,
                f"aliases (*{ev.anchor}) are not allowed",
                "write the value out in full",
                "load.alias",
                fatal=True,
            )
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._fail(
                    ev.start_mark,
                    "a file may hold only one YAML document",
                    "remove the '---' separator and put each release in its own file",
                    "load.documents",
                    fatal=True,
                )

    def _escaped_char(self, mark: Any, value: str) -> None:
        """A refused character written as an escape inside double quotes: the raw-text scan cannot
        see it, so it is reported at the start of the quoted value."""
        m = BAD_CHARS.search(value)
        assert m is not None
        self._fail(
            mark,
            f"{char_name(m.group())} is not allowed (written as an escape in quotes)",
            "delete the escape; such characters can hide what the text really says",
            "load.characters",
        )

    def _key(self, ev: Any, is_scalar: bool, frame: list[Any], keys: dict[Loc, tuple[int, int]]) -> None:
        if not is_scalar:
            self._fail(ev.start_mark, "a mapping key must be plain text", fatal=True, rule="load.key")
        key: Any = ev.value
        if ev.style == '"' and (BAD_ASCII if key.isascii() else BAD_CHARS).search(key):
            self._escaped_char(ev.start_mark, key)
        if not ev.style and (not key or key[0] in MAYBE_NOT_TEXT):
            try:
                key = resolve_plain(ev.value) if ev.value else None
            except ScalarError:
                key = ev.value
        if key == "<<" and not ev.style:
            self._fail(ev.start_mark, "merge keys (<<) are not allowed", "write the fields out in full", "load.merge")
        if not isinstance(key, str):
            self._fail(
                ev.start_mark,
                f"the key {ev.value!r} is not text",
                f'quote it ("{ev.value}") if it is meant as a name',
                "load.key",
            )
            key = ev.value
        path = frame[1] + (key,)
        if key in frame[0]:
            first = keys[path][0] if path in keys else 0
            self._fail(
                ev.start_mark,
                f"duplicate key '{key}' (first written on line {first})",
                "keep one of them",
                "load.duplicate",
            )
            frame[2] = ("__duplicate__", path)
        else:
            keys[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            frame[2] = key


LOADER_CHECKS: tuple[tuple[str, str], ...] = (
    ("load.size", f"A file is at most {MAX_BYTES:,} bytes; larger files are refused without being read."),
    (
        "load.read",
        "Only regular files are read: named pipes, sockets, devices and unreadable files are reported by name.",
    ),
    ("load.encoding", "Files are UTF-8; the first offending byte is reported."),
    ("load.characters", "Tabs, control characters, invisible and bidirectional control characters are refused."),
    ("load.empty", "A file holds a mapping; an empty or comment-only file is an error."),
    ("load.syntax", "YAML syntax errors are reported where the parser stopped."),
    ("load.documents", "One YAML document per file (no '---' separators between releases)."),
    ("load.root", "The top level is a mapping of field names to values."),
    ("load.anchor", "Anchors (&name) are refused before anything is expanded."),
    ("load.alias", "Aliases (*name) are refused before anything is expanded."),
    ("load.tag", "Explicit tags (!!python/object, !!str, ...) are refused."),
    ("load.merge", "Merge keys (<<) are refused."),
    ("load.key", "Mapping keys are plain text (not numbers, dates or booleans)."),
    ("load.duplicate", "A key appears once per mapping."),
    ("load.depth", f"Nesting is at most {MAX_DEPTH} levels."),
    (
        "load.scalar",
        "Dates are real dates, times are ISO 8601, .nan and .inf are refused. yes/no/on/off are text, not booleans.",
    ),
)
