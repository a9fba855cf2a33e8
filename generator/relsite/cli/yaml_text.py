"""YAML that `init` and `new` write: every value comes out of PyYAML's emitter, never string
formatting, so a name such as ``Acme: IT``, ``"quoted``, ``- dash``, ``*star``, ``@at`` or ``a #b``
stays one value; and what was written is read back and compared before it reaches the disk.

The files keep their explanatory comments (an emitter cannot write those), so the starter files are
templates whose holes take only emitted scalars, and comments take only ``comment()`` text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import yaml

from relsite.problems import printable


class GeneratedFileError(click.ClickException):
    """A generated file is not what relsite meant to write: a bug in relsite (exit 3), caught before
    the file reaches the disk."""

    exit_code = 3


def scalar(value: str, *, quoted: bool = False) -> str:
    """One YAML scalar on one line, as PyYAML emits it: plain where plain reads back the same, single-
    or double-quoted where it would not. ``quoted`` always double-quotes (the release files' style for
    text). A line break or control character is written as a double-quoted escape."""
    if not quoted:
        text = yaml.safe_dump(value, allow_unicode=True, width=float("inf")).removesuffix("\n...\n").removesuffix("\n")
        if "\n" not in text and printable(value) == value:
            return text
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style='"').removesuffix("\n")
    if "\n" in text:  # pragma: no cover - the double-quoted style escapes every line break
        raise AssertionError(f"the YAML emitter wrote {value!r} over several lines")
    return text


def comment(text: str) -> str:
    """Text for after a ``#``: a line break or control character becomes a visible escape, so data in a
    comment can never end it and write keys of its own."""
    return printable(text)


def refuse_unprintable(value: str, option: str) -> str:
    """A name shown in headers and titles: control, invisible and bidirectional characters (line breaks
    included) are refused, as the release files refuse them, rather than written where a reader
    cannot see them."""
    if printable(value) != value:
        bad = next(ch for ch in value if printable(ch) != ch)
        raise click.BadParameter(
            f"{value!r} holds the control or invisible character U+{ord(bad):04X}; write the name without it",
            param_hint=option,
        )
    return value


def read_back(text: str, where: str) -> Any:
    """The data a generated file holds, as any YAML reader sees it; a file that does not parse is a
    bug in relsite, stopped before anything is written."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:  # pragma: no cover - the templates and the emitter agree
        raise GeneratedFileError(
            f"relsite would write invalid YAML to {where} (a bug; nothing was written): {exc}"
        ) from None


def expect(data: Any, path: tuple[str | int, ...], value: Any, where: str) -> None:
    """Stop before writing when a generated file does not hold ``value`` at ``path``."""
    got = data
    for key in path:
        got = (
            got.get(key)
            if isinstance(got, dict)
            else got[key]
            if isinstance(got, list) and isinstance(key, int)
            else None
        )
    if got != value:
        raise GeneratedFileError(
            f"relsite would write {'.'.join(map(str, path))} = {got!r} to {where} instead of {value!r} "
            "(a bug; nothing was written)"
        )


STARTER = Path(__file__).resolve().parent / "starter"
_HOLE = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, **values: str) -> str:
    """A starter template with its ``{holes}`` filled in one pass, so a value that itself reads
    ``{owner}`` is written as it is, never filled again. Braces that are not holes (YAML flow
    mappings in the comments) stay."""
    text = (STARTER / template).read_text(encoding="utf-8")
    return _HOLE.sub(lambda m: values.get(m[1], m[0]), text)
