"""The one shape every finding takes, so that the loader, the rules and the CLI agree on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print on a terminal or in a CI log: control (line breaks included), invisible and
    bidirectional characters become visible escapes (\\u001b, \\u000a), so a value quoted in a
    message can neither drive the terminal, reorder what the reader sees, nor start a line of its own
    (where a CI runner would read ``::error`` or ``##vso[`` as a command). Every output format prints
    problems through this, once, when the problem is made."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _UNPRINTABLE.search(text) else text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A finding that points at the text a person wrote.

    Ordered by (file, line, col) so that output reads top to bottom like the files themselves.
    """

    file: str
    line: int
    col: int
    severity: Severity
    message: str
    hint: str = ""
    rule: str = ""

    def __post_init__(self) -> None:
        # Messages quote what people wrote; whatever they wrote must not reach a terminal raw.
        for name in ("file", "message", "hint"):
            value = getattr(self, name)
            clean = printable(value)
            if clean is not value:
                object.__setattr__(self, name, clean)

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(file: str, line: int, col: int, message: str, hint: str = "", rule: str = "") -> Problem:
    return Problem(file, line, col, Severity.ERROR, message, hint, rule)


def warning(file: str, line: int, col: int, message: str, hint: str = "", rule: str = "") -> Problem:
    return Problem(file, line, col, Severity.WARNING, message, hint, rule)


def summary(files: int, problems: list[Problem]) -> str:
    """The closing line every output format ends with: how many files, errors and warnings."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"checked {files} file{'s' if files != 1 else ''}: no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"checked {files} file{'s' if files != 1 else ''}: {', '.join(parts)}"
