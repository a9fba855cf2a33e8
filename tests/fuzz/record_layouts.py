"""Release files in many valid YAML layouts, random deployment records, and the property every
`relsite record` edit must keep: the file is refused, or it reads back as the old data with exactly
the recorded values changed (checked here independently of the editor's own proof), in the same
line endings and byte-order mark, and the changed portfolio can be rechecked.

Shared by the hypothesis test in the normal suite (tests/test_record_property.py) and the atheris
target (tests/fuzz/fuzz_record.py); ``pick`` is how either one makes a choice.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from relsite.cli.recording import DeploymentRecord, Refused, deployment_changes
from relsite.load.reader import load_text
from relsite.load.yaml_edit import EditError, apply_changes, same
from relsite.validate import lifecycle
from relsite.validate.checker import CheckResult, model_of, recheck, release_of
from relsite.validate.models import PortfolioConfig
from relsite.validate.portfolio import Portfolio

T = TypeVar("T")
Pick = Callable[[Sequence[Any]], Any]

BASE = Path(__file__).resolve().parent.parent / "cases" / "_base" / "portfolio.yaml"
_doc, _ = load_text(BASE.read_text(encoding="utf-8"), "portfolio.yaml")
assert _doc is not None
CONFIG, _ = model_of(PortfolioConfig, _doc, None)
CONFIG_SOURCE = _doc.source
ENVS = ("dev", "test", "staging", "prod")
WINDOWS = {
    "dev": "2026-11-30T09:00:00Z",
    "test": "2026-12-01T09:00:00Z",
    "staging": "2026-12-02T09:00:00Z",
    "prod": "2026-12-03T20:00:00Z",
}
TEXTS = (
    "ci",
    "pipeline #12",
    'say "hi"',
    "a: b",
    "x # y",
    "Grüße ☃",
    "two\nlines",
    "- dash",
    "'single'",
    "{braces}",
    "",
)


def _end(start: str) -> str:
    return start.replace("09:00", "10:00").replace("20:00", "21:00")


def _note(pick: Pick, indent: str) -> str | None:
    kind = pick(("none", "plain", "double", "single", "|", "|-", "|+", ">", ">-", "empty", "null"))
    inner = indent + pick(("  ", "    "))
    return {
        "none": None,
        "plain": "note: Agreed with QA",
        "double": 'note: "Agreed with \\"QA\\""',
        "single": "note: 'It''s agreed'",
        "empty": "note:",
        "null": "note: ~",
    }.get(kind, f"note: {kind}\n{inner}Agreed with QA.\n{inner}Second line." + ("\n" if kind == "|+" else ""))


def _block_env(pick: Pick, name: str, indent: str) -> str:
    deeper = indent + indent
    start = WINDOWS[name]
    window = pick(
        (
            f"window: {{start: {start}, end: {_end(start)}}}",
            f"window:\n{deeper}{indent}start: {start}\n{deeper}{indent}end: {_end(start)}",
        )
    )
    status = "status: scheduled" + pick(("", "   # set by the pipeline"))
    entries = [window, status]
    note = _note(pick, deeper)
    if note is not None:
        entries.insert(pick((0, 1, 2)), note)
    if pick((False, True)):
        entries.insert(pick((0, 1)), "# a comment between keys")
    body = "".join(f"{deeper}{e}\n" for e in entries)
    return f"{indent}{name}:\n{body}"


def _flow_env(pick: Pick, name: str, indent: str) -> str:
    start = WINDOWS[name]
    entries = [f"window: {{start: {start}, end: {_end(start)}}}", "status: scheduled"]
    if pick((False, True)):
        entries.insert(pick((0, 1, 2)), pick(('note: "Agreed"', "note: Agreed", "note: ~", "note:")))
    sep = pick((", ", ",\n" + indent * 3))
    trailing = pick(("", ",", ", "))
    return f"{indent}{name}: {{{sep.join(entries)}{trailing}}}" + pick(("", "  # flow")) + "\n"


def release_text(pick: Pick) -> str:
    """A valid release of the base portfolio, laid out by ``pick``'s choices."""
    indent = pick(("  ", "    "))
    envs = [e for e in ENVS if e == "prod" or pick((True, False))]
    parts = [pick(("", "# Release file\n", "---\n", "# c\n---\n"))]
    head = [
        "id: REL-1",
        'title: "Shop 1.0"',
        "service: shop",
        "version: '1.0.0'",
        "type: minor",
        "status: " + pick(("approved", "planned", "in_test")),
        "summary: A summary.",
        "owner: team-a",
        "risk: low",
    ]
    parts += [line + "\n" for line in head]
    parts.append("environments:\n")
    for name in envs:
        parts.append((_flow_env if pick((False, True)) else _block_env)(pick, name, indent))
        parts.append(pick(("", "\n", f"{indent}# after {name}\n", "# at column one\n")))
    parts.append(pick(("", "# trailing comment\n", "...\n")))
    text = "".join(parts)
    if pick((False, True)):
        text = text.rstrip("\n")
    if pick((False, True)):
        text = text.replace("\n", "\r\n")
    return pick(("", "\ufeff")) + text


def deployment(pick: Pick) -> DeploymentRecord:
    status = pick(lifecycle.DEPLOYMENT_STATUSES)
    return DeploymentRecord(
        env=pick(ENVS),
        status=status,
        at=pick(("2026-12-01T09:40", "2026-12-01T09:40:30Z", "2026-11-30T23:59+05:30")),
        by=pick((None, *TEXTS)),
        note=pick((None, *TEXTS)),
        allow_future=True,
    )


def _intended(changes: Sequence[Any]) -> list[tuple[tuple[str, ...], Any]]:
    """The recorded values as Python data, computed without the editor's help."""
    import json

    out: list[tuple[tuple[str, ...], Any]] = []
    for c in changes:
        if c.value.startswith('"'):
            value: Any = json.loads(c.value)
        elif c.path[-1] == "deployed_at":
            value = dt.datetime.fromisoformat(c.value)
        else:
            value = c.value
        out.append((c.path, value))
    return out


def check_record(text: str, record: DeploymentRecord) -> str:
    """Apply ``record`` to ``text`` as `relsite record` would; 'skipped' (not a release record
    applies to), 'refused' or 'edited'. Fails (AssertionError) if the edit corrupted anything."""
    doc, problems = load_text(text.removeprefix("\ufeff"), "releases/REL-1.yaml")
    if doc is None:
        return "skipped"
    release, _ = release_of(doc, CONFIG.tz)
    if release is None:
        return "skipped"
    pf = Portfolio(CONFIG, CONFIG_SOURCE, [release], today=dt.date(2026, 11, 27))
    listed = list(release.environments)
    if record.env not in listed and listed and record.env in ENVS:  # one of the file's own environments
        record = dataclasses.replace(record, env=listed[ENVS.index(record.env) % len(listed)])
    try:
        changes, _ = deployment_changes(release, pf, record)
    except Refused:
        return "skipped"
    try:
        new = apply_changes(text, changes)
    except EditError:
        return "refused"
    assert new.startswith("\ufeff") == text.startswith("\ufeff"), "the byte-order mark changed"
    if "\r\n" in text:
        assert new.count("\n") == new.count("\r\n"), "line endings were mixed"
    after, problems = load_text(new.removeprefix("\ufeff"), "releases/REL-1.yaml")
    assert after is not None, (problems, new)
    expected = copy.deepcopy(doc.data)
    for path, value in _intended(changes):
        holder = expected
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = value
    assert same(expected, after.data), (expected, after.data, new)
    recheck(CheckResult(pf, [], 1, [], frozenset()), release.id, new.encode("utf-8"))
    return "edited"
