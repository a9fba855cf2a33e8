"""Conventional Commits 1.0.0: ``type(scope)!: description``, a body, and footers.

A commit that does not follow the convention is not a note (most repositories mix both). The
types listed are those conventional-changelog shows by default; a breaking change of any type is
always shown, under "Breaking changes", with the text of its ``BREAKING CHANGE:`` footer when it has one.
"""

from __future__ import annotations

import re

from relsite.load.notes.git import Commit
from relsite.load.notes.items import NoteItem, SourceLinks

TYPES = (("feat", "Features"), ("fix", "Bug Fixes"), ("perf", "Performance Improvements"), ("revert", "Reverts"))
_HEADINGS = dict(TYPES)
BREAKING = ("breaking", "Breaking changes")
HEADER = re.compile(r"(?P<type>[A-Za-z]+)(?:\((?P<scope>[^()\n]{1,80})\))?(?P<bang>!)?: (?P<subject>\S.*)")
FOOTER = re.compile(r"^(?P<token>BREAKING[ -]CHANGE|[A-Za-z][A-Za-z-]*)(?::\s|\s#)(?P<value>.*)$")
PR_REF = re.compile(r"\s*\(#(\d{1,9})\)\s*$")


def parse(commit: Commit, links: SourceLinks) -> list[NoteItem]:
    lines = commit.message.split("\n")
    m = HEADER.fullmatch(lines[0].strip()) if lines else None
    if m is None:
        return []
    kind = m["type"].lower()
    subject = m["subject"].strip()
    pr = PR_REF.search(subject)
    if pr:
        subject = subject[: pr.start()].rstrip()
        ref, url = f"#{pr[1]}", links.pull(pr[1])
    else:
        ref, url = commit.sha[:7], links.commit(commit.sha)
    text = f"**{m['scope']}:** {subject}" if m["scope"] else subject
    origin = f"commit {commit.sha[:12]}"
    breaking_text = _breaking_footer(lines[1:])
    items = []
    if m["bang"] or breaking_text is not None:
        items.append(
            NoteItem(
                kind=BREAKING[0],
                section=BREAKING[1],
                rank=-1,
                text=breaking_text or text,
                ref=ref,
                url=url,
                origin=origin,
                breaking=True,
                labels=(kind, "breaking-change"),
            )
        )
    if kind in _HEADINGS:
        items.append(
            NoteItem(
                kind=kind,
                section=_HEADINGS[kind],
                rank=list(_HEADINGS).index(kind),
                text=text,
                ref=ref,
                url=url,
                origin=origin,
                breaking=bool(items),
                labels=(kind,),
            )
        )
    return items


def _breaking_footer(body: list[str]) -> str | None:
    """The value of a ``BREAKING CHANGE:`` footer, which runs until the next footer token."""
    found: list[str] | None = None
    for line in body:
        m = FOOTER.match(line)
        if m and found is not None:
            break
        if m and m["token"] in ("BREAKING CHANGE", "BREAKING-CHANGE"):
            found = [m["value"].strip()]
        elif found is not None:
            found.append(line)
    return "\n".join(found).strip() if found is not None else None
