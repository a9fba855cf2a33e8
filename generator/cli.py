"""The ``relsite`` command: a thin adapter over validate, plan and the writers.

Exit codes: 0 fine, 1 problems in the YAML (or a failed build), 2 usage errors (click's own).
No traceback reaches a user: unexpected failures are reported in one line (set RELSITE_DEBUG=1
to see the trace).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from . import report
from .validate import validate as run_validate

F = TypeVar("F", bound=Callable[..., Any])


def no_traceback(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("relsite: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean message
            if os.environ.get("RELSITE_DEBUG"):
                raise
            click.echo(f"relsite: internal error: {type(exc).__name__}: {exc} (set RELSITE_DEBUG=1 for details)", err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="relsite")
def main() -> None:
    """Release portal: validate release definitions and build the site."""


FOLDER = click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)


@main.command()
@click.argument("folder", type=FOLDER, default="releases")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(sorted(report.FORMATS)), default="text", show_default=True,
              help="text for people, github for pull-request annotations, json for tools.")
@no_traceback
def validate(folder: Path, strict: bool, fmt: str) -> None:
    """Check every release file and portfolio.yaml in FOLDER (default: releases)."""
    result = run_validate(folder)
    click.echo(report.FORMATS[fmt](result.files, result.problems), nl=False)
    if result.errors or (strict and result.warnings):
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="schema", show_default=True,
              help="Folder to write release.schema.json and portfolio.schema.json into.")
@no_traceback
def schema(out: Path) -> None:
    """Write the JSON Schemas (draft 7) of release files and portfolio.yaml."""
    from .schema import render_all

    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_all().items():
        (out / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {(out / name).as_posix()}")
