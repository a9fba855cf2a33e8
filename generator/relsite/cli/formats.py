"""How problems are printed: for people (text), for pull-request review (GitHub annotations), for
tools (JSON), for code-scanning dashboards (SARIF 2.1.0) and for GitLab merge requests (Code Quality)."""

from __future__ import annotations

import hashlib
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
        lines.append(
            f"::{p.severity.value} file={_gh_prop(p.file)},line={p.line},col={p.col}{title}::{_gh_data(message)}\n"
        )
    return "".join(lines) + summary(files, problems) + "\n"


def as_json(files: int, problems: list[Problem]) -> str:
    return (
        json.dumps(
            {
                "files": files,
                "errors": sum(p.severity is Severity.ERROR for p in problems),
                "warnings": sum(p.severity is Severity.WARNING for p in problems),
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "col": p.col,
                        "severity": p.severity.value,
                        "message": p.message,
                        "hint": p.hint or None,
                        "rule": p.rule or None,
                    }
                    for p in problems
                ],
            },
            indent=2,
        )
        + "\n"
    )


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_PAGE = "reference/rules/"


def _version() -> str:
    from importlib import metadata  # only SARIF needs it; a module start-up cost of 15 ms otherwise

    try:
        return metadata.version("relsite")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _uri(path: str) -> str:
    """A relative path as the URI reference SARIF requires: a space, ``#`` or ``%`` in a file name
    is percent-encoded (RFC 3986), so a viewer neither cuts the path at ``#`` nor rejects it."""
    from urllib.parse import quote

    return quote(path, safe="/")


def as_sarif(files: int, problems: list[Problem]) -> str:
    """SARIF 2.1.0: one run, the whole rule catalog as the driver's rules (ids, titles, help from the
    registry), one result per problem with its file, line and column."""
    from relsite.validate.catalog import all_checks

    checks = all_checks()
    index = {c.id: i for i, c in enumerate(checks)}
    rules = [
        {
            "id": c.id,
            "name": c.title,
            "shortDescription": {"text": c.title},
            "fullDescription": {"text": c.description},
            "help": {"text": c.description},
            "properties": {"appliesTo": c.applies_to},
        }
        for c in checks
    ]
    results = []
    for p in problems:
        result: dict[str, object] = {
            "ruleId": p.rule or "schema",
            "level": p.severity.value,
            "message": {"text": p.message + (f" (hint: {p.hint})" if p.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(p.file)},
                        "region": {"startLine": p.line, "startColumn": p.col},
                    }
                }
            ],
        }
        if (p.rule or "schema") in index:
            result["ruleIndex"] = index[p.rule or "schema"]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "relsite", "version": _version(), "semanticVersion": _version(), "rules": rules}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def as_gitlab(files: int, problems: list[Problem]) -> str:
    """GitLab Code Quality: fingerprints come from the rule, the file and the message (not the line,
    which moves when lines are added above), numbered when the same problem occurs twice, so a
    merge request shows which problems are new and which were fixed."""
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for p in problems:
        key = (p.rule or "schema", p.file, p.message)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": p.rule or "schema",
                "description": p.message + (f" (hint: {p.hint})" if p.hint else ""),
                "categories": ["Bug Risk"],
                "severity": "major" if p.severity is Severity.ERROR else "minor",
                "fingerprint": fingerprint,
                "location": {"path": p.file, "positions": {"begin": {"line": p.line, "column": p.col}}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": as_text, "github": as_github, "json": as_json, "sarif": as_sarif, "gitlab": as_gitlab}
