"""How problems are printed: for people (text), for pull-request review (GitHub annotations), for tools (JSON)."""

from __future__ import annotations

import json

from relsite.problems import Problem, Severity, summary


def as_text(files: int, problems: list[Problem]) -> str:
    return "".join(p.format() + "\n" for p in problems) + summary(files, problems) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(files: int, problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        message = p.message + (f"\nhint: {p.hint}" if p.hint else "")
        title = f",title={_gh_prop('relsite ' + p.rule)}" if p.rule else ""
        lines.append(f"::{p.severity.value} file={_gh_prop(p.file)},line={p.line},col={p.col}{title}::{_gh_data(message)}\n")
    return "".join(lines) + summary(files, problems) + "\n"


def as_json(files: int, problems: list[Problem]) -> str:
    return json.dumps(
        {
            "files": files,
            "errors": sum(p.severity is Severity.ERROR for p in problems),
            "warnings": sum(p.severity is Severity.WARNING for p in problems),
            "problems": [
                {"file": p.file, "line": p.line, "col": p.col, "severity": p.severity.value,
                 "message": p.message, "hint": p.hint or None, "rule": p.rule or None}
                for p in problems
            ],
        },
        indent=2,
    ) + "\n"


FORMATS = {"text": as_text, "github": as_github, "json": as_json}
