"""Imported notes under the rules of every other text: bounded length and nesting, no secrets.

An item that breaks a rule is reported where it was written (the fragment's file and line, or the
commit) and left out, so the rest of a release's notes still show once the error is fixed.
"""

from __future__ import annotations

from relsite.load.notes.items import NoteItem
from relsite.problems import Problem, error
from relsite.validate.fields import MAX_NESTING, markdown_nesting
from relsite.validate.secrets import ALLOWLIST_FILE, redact, scan_text

MAX_TEXT = 5000
"""As a Text value in a release file."""
MAX_ITEMS = 2000
"""Items per release or draft: a release with more is read up to here and reported."""


def check_items(items: list[NoteItem], allowed: frozenset[str]) -> tuple[list[NoteItem], list[Problem]]:
    kept: list[NoteItem] = []
    problems: list[Problem] = []
    for item in items[:MAX_ITEMS]:
        found = _item_problems(item, allowed)
        problems += found
        if not found:
            kept.append(item)
    if len(items) > MAX_ITEMS:
        last = items[MAX_ITEMS]
        problems.append(
            error(
                last.origin,
                last.line,
                1,
                f"more than {MAX_ITEMS} notes for one release; the rest are left out",
                "check the tag pattern: a missing tag makes one release of the whole history",
                "notes.count",
            )
        )
    return kept, problems


def _item_problems(item: NoteItem, allowed: frozenset[str]) -> list[Problem]:
    out = []
    if len(item.text) > MAX_TEXT:
        out.append(
            error(
                item.origin,
                item.line,
                1,
                f"the note is {len(item.text):,} characters long; at most {MAX_TEXT:,} are allowed",
                "shorten it; link to the details",
                "notes.length",
            )
        )
    elif markdown_nesting(item.text) > MAX_NESTING:
        out.append(
            error(
                item.origin,
                item.line,
                1,
                f"the note nests quotes or lists more than {MAX_NESTING} levels deep",
                rule="notes.nesting",
            )
        )
    for f in scan_text(item.text, allowed):
        before = item.text[: f.offset]
        line = item.line + before.count("\n")
        col = f.offset - (before.rfind("\n") + 1) + 1
        out.append(
            error(
                item.origin,
                line,
                col,
                f"the note contains what looks like {f.kind} ({redact(f.value)}); secrets must not be published",
                "remove it and rotate the credential; if it is not a secret, add the output of `relsite secret-hash` "
                f"for it to releases/{ALLOWLIST_FILE}",
                "secrets",
            )
        )
    return out
