"""Every check relsite makes, with its id, title and description: the loader's, the schema's, the
secret scan's and each registered rule. The rules page, SARIF's rule list and the tests read it,
so a check cannot exist without being documented."""

from __future__ import annotations

from dataclasses import dataclass

from relsite.load.reader import LOADER_CHECKS
from relsite.validate.rules import RULES

SCOPES = {"config": "portfolio.yaml", "release": "each release", "portfolio": "across releases"}


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    applies_to: str
    description: str


def all_checks() -> list[Check]:
    checks = [
        Check(rid, rid.removeprefix("load.").replace("-", " ").capitalize(), "every file", text)
        for rid, text in LOADER_CHECKS
    ]
    checks += [
        Check(
            "files",
            "Release files",
            "the releases folder",
            "Release files end in .yaml; portfolio.yaml exists; links are followed only inside the folder and only to "
            "files.",
        ),
        Check(
            "schema",
            "Types and fields",
            "every file",
            "Types, allowed values, required fields and unknown keys, as in the JSON Schema.",
        ),
        Check(
            "local-time",
            "Local times that happen twice",
            "every file",
            "(warning) A time written without an offset that happens twice in the portfolio's zone (clocks going back) "
            "is read as the first; write the offset to choose. One that does not exist (clocks going forward) is an "
            "error.",
        ),
        Check(
            "secrets",
            "No credentials",
            "every file and the built site",
            "Credentials (cloud keys, tokens, private keys, passwords in URLs or text) are refused; "
            "false positives go in releases/secrets-allowlist.yaml by hash.",
        ),
    ]
    checks += [Check(r.id, r.title, SCOPES[r.scope], r.description) for r in RULES]
    return checks
