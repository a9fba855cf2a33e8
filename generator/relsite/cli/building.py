"""`relsite build` and `relsite serve`: the MkDocs engine run with the relsite plugin."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from pathlib import Path

import click

from relsite.cli.errors import no_traceback

PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning): ")


def set_today(today: str | None) -> None:
    """Hand --today to the plugin through RELSITE_TODAY, which it reads wherever it runs."""
    if today is None:
        return
    try:
        dt.date.fromisoformat(today)
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a date as YYYY-MM-DD", param_hint="--today") from None
    os.environ["RELSITE_TODAY"] = today


class _ProblemsAsWritten(logging.Formatter):
    """Problems keep their `file:line:col: error: message` shape; other MkDocs messages get a level prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if PROBLEM_LINE.match(message) else super().format(record)


def mkdocs_logging() -> None:
    """Show MkDocs' warnings and errors (and the plugin's) the way `mkdocs build` does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_relsite", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_ProblemsAsWritten("%(levelname)-7s -  %(message)s"))
        handler._relsite = True  # type: ignore[attr-defined]
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


CONFIG = click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      default="mkdocs.yml", show_default=True, help="MkDocs configuration.")
TODAY = click.option("--today", metavar="YYYY-MM-DD", envvar="RELSITE_TODAY",
                     help="Show status as of this date (default: RELSITE_TODAY or the real date).")


@click.command("build")
@CONFIG
@TODAY
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default="site", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on MkDocs warnings too.")
@no_traceback
def build_command(config_file: Path, today: str | None, site_dir: Path, strict: bool) -> None:
    """Validate and build the site; the old site is replaced only if the build succeeds."""
    from mkdocs.exceptions import Abort, MkDocsException

    from relsite.publish.atomic import SecretsInSite, build_atomically

    set_today(today)
    mkdocs_logging()
    try:
        build_atomically(config_file, site_dir, strict=strict)
    except (MkDocsException, Abort, SecretsInSite) as exc:
        message = str(exc).strip()
        if message and "Aborted with a BuildError" not in message:
            click.echo(message, err=True)
        click.echo(f"relsite: build failed; {site_dir.as_posix()}/ was left as it was", err=True)
        sys.exit(1)
    click.echo(f"built {site_dir.as_posix()}/")


@click.command("serve")
@CONFIG
@TODAY
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@no_traceback
def serve_command(config_file: Path, today: str | None, dev_addr: str) -> None:
    """Live preview: rebuilds and reloads the browser when a page or a release file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    set_today(today)
    mkdocs_logging()
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


COMMANDS = (build_command, serve_command)
