"""Which files of a releases folder are releases, and how loading them starts.

Light on purpose (no pydantic): the CLI calls ``start_loading`` first, so that child processes
load files while this process imports the models.
"""

from __future__ import annotations

from pathlib import Path

from relsite.load.folder import Loading
from relsite.validate.secrets import ALLOWLIST_FILE, secret_candidates

PORTFOLIO_FILE = "portfolio.yaml"
RESERVED_FILES = frozenset({PORTFOLIO_FILE, ALLOWLIST_FILE})
"""Files of the releases folder that are not releases."""


def start_loading(folder: Path, jobs: int = 1, head_start: int = 0) -> Loading:
    """Start loading the release files of ``folder``, each scanned for secret-like values as it is loaded."""
    return Loading(folder, jobs, head_start, skip=RESERVED_FILES, inspect=secret_candidates)
