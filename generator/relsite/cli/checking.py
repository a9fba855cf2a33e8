"""`relsite validate`: check a releases folder and print every problem at once."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path

import click

from relsite.cli import formats
from relsite.cli.errors import no_traceback
from relsite.load.folder import worker_count
from relsite.validate.release_files import start_loading

FOLDER = click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)


@click.command("validate")
@click.argument("folder", type=FOLDER, default="releases")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="RELSITE_TODAY",
    help="The day recorded deployments are measured against (default: RELSITE_TODAY or the real date).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(formats.FORMATS)),
    default="text",
    show_default=True,
    help=(
        "text for people, github for pull-request annotations, json for tools, sarif for code scanning, gitlab for "
        "Code Quality."
    ),
)
@no_traceback
def validate_command(folder: Path, strict: bool, today: str | None, fmt: str) -> None:
    """Check every release file and portfolio.yaml in FOLDER (default: releases)."""
    # Children start loading now, while this process imports the models: about 0.12 s, the time
    # 250 files take to load, so the children take 250 more files than this process.
    loading = start_loading(folder, worker_count(), head_start=250)
    from relsite.validate.checker import check_folder

    result = check_folder(folder, loading=loading, today=_day(today))
    if result.portfolio is not None and any(s.notes for s in result.portfolio.config.services or []):
        from relsite.pipeline import collect_notes  # only portfolios that import notes pay for git

        result.problems = sorted(result.problems + collect_notes(result.portfolio, folder.parent, result.allowed)[1])
    # The process ends after printing: keep the collector from walking every loaded value once
    # more, right after validation and again at exit (a fifth of the run at 1,000 files).
    gc.freeze()
    click.echo(formats.FORMATS[fmt](result.files, result.problems), nl=False)
    if result.errors or (strict and result.warnings):
        sys.exit(1)


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    from relsite.validate.fields import in_range

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date as YYYY-MM-DD", param_hint="--today") from None
    if not in_range(day):
        raise click.BadParameter(f"{text} is outside the years 1970 to 2200", param_hint="--today")
    return day


COMMANDS = (validate_command,)
