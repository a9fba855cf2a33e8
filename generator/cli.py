"""The ``relsite`` command: a thin adapter over validate, plan and the writers.

Exit codes: 0 fine, 1 problems in the YAML (or a failed build), 2 usage errors (click's own).
No traceback reaches a user: unexpected failures are reported in one line (set RELSITE_DEBUG=1
to see the trace).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import report
from .loading import Loading, worker_count

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning): ")


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
        except Exception as exc:
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
    # Children start loading now, while this process imports the models: about 0.12 s, the time
    # 250 files take to load, so the children take 250 more files than this process.
    loading = Loading(folder, worker_count(), head_start=250)
    from .validate import validate as run_validate

    result = run_validate(folder, loading=loading)
    # The process ends after printing: keep the collector from walking every loaded value once
    # more, right after validation and again at exit (a fifth of the run at 1,000 files).
    gc.freeze()
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


def _set_today(today: str | None) -> None:
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


def _mkdocs_logging() -> None:
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


@main.command()
@CONFIG
@TODAY
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default="site", show_default=True)
@click.option("--strict", is_flag=True, help="Fail on MkDocs warnings too.")
@no_traceback
def build(config_file: Path, today: str | None, site_dir: Path, strict: bool) -> None:
    """Validate and build the site; the old site is replaced only if the build succeeds."""
    from mkdocs.exceptions import Abort, MkDocsException

    from .build import SecretsInSite, build_atomically

    _set_today(today)
    _mkdocs_logging()
    try:
        build_atomically(config_file, site_dir, strict=strict)
    except (MkDocsException, Abort, SecretsInSite) as exc:
        message = str(exc).strip()
        if message and "Aborted with a BuildError" not in message:
            click.echo(message, err=True)
        click.echo(f"relsite: build failed; {site_dir.as_posix()}/ was left as it was", err=True)
        sys.exit(1)
    click.echo(f"built {site_dir.as_posix()}/")


@main.command()
@CONFIG
@TODAY
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@no_traceback
def serve(config_file: Path, today: str | None, dev_addr: str) -> None:
    """Live preview: rebuilds and reloads the browser when a page or a release file changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _set_today(today)
    _mkdocs_logging()
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


@main.command("secret-hash")
@no_traceback
def secret_hash() -> None:
    """Print the SHA-256 of a value read from standard input, for releases/secrets-allowlist.yaml.

    Reads locally so the value never appears in a command line, a shell history or a CI log.
    """
    from .secrets import fingerprint

    value = sys.stdin.read().rstrip("\r\n")
    if not value:
        raise click.UsageError("pipe the exact value on standard input, e.g. `printf %s 'value' | relsite secret-hash`")
    click.echo(f"- sha256: {fingerprint(value)}\n  reason: <why this is not a secret>")


@main.command()
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@click.option("--service", help="Service name from portfolio.yaml.")
@click.option("--type", "kind", type=click.Choice(["major", "minor", "patch", "emergency"]), help="Release type.")
@click.option("--title", help="Short title, e.g. 'Payments gateway 4.3'.")
@click.option("--version", "version", help="Version as text, e.g. 4.3.0.")
@click.option("--prod-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Target production date (YYYY-MM-DD).")
@no_traceback
def new(folder: Path, service: str | None, kind: str | None, title: str | None, version: str | None, prod_date: Any) -> None:
    """Scaffold a new release file that validates as a draft; asks for what the options do not give."""
    from .scaffold import next_id, release_yaml, schema_modeline
    from .validate import validate as run_validate

    result = run_validate(folder)
    pf = result.portfolio
    if pf is None:
        click.echo(report.as_text(result.files, result.errors), nl=False, err=True)
        click.echo("relsite: fix portfolio.yaml first; new releases take their environments and services from it", err=True)
        sys.exit(1)
    services = sorted(pf.services)
    if service is None:
        service = click.prompt("Service", type=click.Choice(services) if pf.config.services is not None else str)
    elif pf.config.services is not None and service not in pf.services:
        raise click.BadParameter(f"{service!r} is not in portfolio.yaml; known: {', '.join(services)}", param_hint="--service")
    kind = kind or click.prompt("Type", type=click.Choice(["major", "minor", "patch", "emergency"]), default="minor")
    title = title or click.prompt("Title")
    version = version or click.prompt("Version")
    when = prod_date.date() if prod_date else click.prompt("Target production date (YYYY-MM-DD)",
                                                           value_proc=dt.date.fromisoformat)
    rid = next_id(folder, when.year)
    target = folder / f"{rid}.yaml"
    owner = (pf.services[service].owner if service in pf.services else None) or f"{service}-team"
    text = release_yaml(rid, pf, service=service, kind=kind, title=title, version=version, prod_date=when, owner=owner,
                        schema_path=schema_modeline(target.resolve(), folder.resolve().parent))
    with target.open("x", encoding="utf-8") as fh:  # never overwrite
        fh.write(text)
    click.echo(f"wrote {target.as_posix()}")
    check = run_validate(folder)
    mine = [p for p in check.problems if p.file.endswith(target.name)]
    if mine:
        click.echo(report.as_text(1, mine), nl=False)
    else:
        click.echo(f"{rid} validates as a draft; fill it in, then run `relsite validate`")


@main.command()
@click.argument("base_ref")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@no_traceback
def diff(base_ref: str, folder: Path) -> None:
    """Markdown summary of what the working tree changes compared with BASE_REF (for a PR comment).

    Exit 1 when the change introduces errors, so a workflow can post the summary and still fail.
    """
    from .diff import GitError
    from .diff import diff as run_diff

    try:
        text, new = run_diff(base_ref, folder)
    except GitError as exc:
        raise click.UsageError(f"git: {exc}") from None
    click.echo(text, nl=False)
    if new.errors:
        sys.exit(1)
