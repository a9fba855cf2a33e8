"""Running MkDocs for the CLI: build into a site folder atomically, or serve with live reload.

The CLI stays free of engine imports; it calls these and turns ``BuildFailed`` into exit 1.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import Abort, MkDocsException

from relsite.publish.atomic import SecretsInSite, build_atomically
from relsite.publish.output_folder import UnsafeSiteDir

PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning): ")


class BuildFailed(Exception):
    """The site could not be built; the message says why (empty when the log already did)."""


class CannotBuildHere(Exception):
    """The environment does not allow the build (the site folder is not relsite's to replace); exit 2."""


class _ProblemsAsWritten(logging.Formatter):
    """Problems keep their `file:line:col: error: message` shape; other MkDocs messages get a level prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if PROBLEM_LINE.match(message) else super().format(record)


def show_engine_messages() -> None:
    """Show MkDocs' warnings and errors (and the plugin's) the way `mkdocs build` does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_relsite", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ProblemsAsWritten("%(levelname)-7s -  %(message)s"))
        handler._relsite = True  # type: ignore[attr-defined]
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def build_site(config_file: Path, site_dir: Path, strict: bool = False) -> None:
    show_engine_messages()
    try:
        build_atomically(config_file, site_dir, strict=strict)
    except UnsafeSiteDir as exc:
        raise CannotBuildHere(str(exc)) from None
    except (MkDocsException, Abort, SecretsInSite) as exc:
        message = str(exc).strip()
        raise BuildFailed("" if "Aborted with a BuildError" in message else message) from None


def serve_site(config_file: Path, dev_addr: str) -> None:
    from mkdocs.commands.serve import serve

    show_engine_messages()
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
