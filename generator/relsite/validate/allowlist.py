"""``releases/secrets-allowlist.yaml``: the reviewed list of values that look like secrets and are not.

Kept apart from the scanning in ``secrets.py`` because reading it needs the pydantic models, and
scanning must be able to start before those are imported.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from relsite.load.reader import load_file
from relsite.problems import Problem
from relsite.validate.model_errors import problems_from
from relsite.validate.secrets import ALLOWLIST_FILE


class AllowedValue(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 of the exact value, from `relsite secret-hash`."""
    reason: str = Field(min_length=3, max_length=500)
    """Why this value is not a secret."""


class Allowlist(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    allow: list[AllowedValue] = []


def load_allowlist(folder: Path, display: str) -> tuple[frozenset[str], list[Problem]]:
    path = folder / ALLOWLIST_FILE
    if not path.exists():
        return frozenset(), []
    doc, problems = load_file(path, display)
    if doc is None:
        return frozenset(), problems
    try:
        allow = Allowlist.model_validate(doc.data)
    except ValidationError as exc:
        return frozenset(), problems_from(exc, doc.data, doc.source, Allowlist)
    return frozenset(a.sha256 for a in allow.allow), []
