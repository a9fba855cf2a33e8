"""`relsite build` and `relsite serve`: the engine run with the relsite plugin (see ``publish.build_and_serve``)."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import signal
import sys
from pathlib import Path

import click

from relsite.cli.errors import no_traceback


def set_today(today: str | None) -> None:
    """Hand --today to the plugin through RELSITE_TODAY, which it reads wherever it runs."""
    if today is None:
        return
    try:
        day = dt.date.fromisoformat(today)
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a date as YYYY-MM-DD", param_hint="--today") from None
    if not 1970 <= day.year <= 2200:
        raise click.BadParameter(f"{today} is outside the years 1970 to 2200", param_hint="--today")
    os.environ["RELSITE_TODAY"] = today


def stop_on_sigterm() -> None:
    """SIGTERM (a CI job cancelled, a container stopped) unwinds like Ctrl-C, so the half-built
    folder is removed and the previous site stays as it was."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


CONFIG = click.option(
    "--config-file",
    "-f",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="MkDocs configuration.",
)
TODAY = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="RELSITE_TODAY",
    help="Show status as of this date (default: RELSITE_TODAY or the real date).",
)


ENGINE = click.option(
    "--engine",
    type=click.Choice(["mkdocs", "properdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="Site engine: MkDocs, ProperDocs (a maintained MkDocs 1.x fork) or Zensical.",
)


def adopt_command(config_file: Path, site_dir: Path | None, engine: str) -> str:
    """The exact command that takes over a site folder an earlier MkDocs build wrote, as this one was typed."""
    parts = ["relsite", "build"]
    if config_file != Path("mkdocs.yml"):
        parts += ["-f", config_file.as_posix()]
    if site_dir is not None:
        parts += ["--site-dir", site_dir.as_posix()]
    if engine != "mkdocs":
        parts += ["--engine", engine]
    return shlex.join([*parts, "--adopt-site-dir"])


@click.command("build")
@CONFIG
@TODAY
@ENGINE
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: site_dir in mkdocs.yml, relative to that file; else site/ beside it).",
)
@click.option("--strict", is_flag=True, help="Fail on MkDocs warnings too.")
@click.option(
    "--adopt-site-dir",
    is_flag=True,
    help="Once, to take over a site folder an MkDocs build wrote before relsite: replaced only if it holds "
    "nothing this build does not write.",
)
@no_traceback
def build_command(
    config_file: Path, today: str | None, engine: str, site_dir: Path | None, strict: bool, adopt_site_dir: bool
) -> None:
    """Validate and build the site; the old site is replaced only if the build succeeds."""
    from relsite.publish.build_and_serve import BuildFailed, CannotBuildHere, InvalidSiteConfig, build_site

    set_today(today)
    stop_on_sigterm()
    try:
        built = build_site(
            config_file,
            site_dir,
            strict=strict,
            engine=engine,
            adopt=adopt_command(config_file, site_dir, engine),
            adopting=adopt_site_dir,
        )
    except InvalidSiteConfig as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except CannotBuildHere as exc:
        click.echo(f"relsite: {exc}", err=True)
        sys.exit(2)
    except BuildFailed:
        shown = f"{site_dir.as_posix()}/" if site_dir is not None else "the site folder"
        click.echo(f"relsite: build failed; {shown} was left as it was", err=True)
        sys.exit(1)
    click.echo(f"built {site_dir.as_posix() if site_dir is not None else os.path.relpath(built)}/")


@click.command("serve")
@CONFIG
@TODAY
@ENGINE
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@no_traceback
def serve_command(config_file: Path, today: str | None, engine: str, dev_addr: str) -> None:
    """Live preview: rebuilds and reloads the browser when a page or a release file changes."""
    from relsite.publish.build_and_serve import CannotBuildHere, InvalidSiteConfig, serve_site

    set_today(today)
    stop_on_sigterm()
    try:
        serve_site(config_file, dev_addr, engine)
    except InvalidSiteConfig as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except CannotBuildHere as exc:
        click.echo(f"relsite: {exc}", err=True)
        sys.exit(2)


COMMANDS = (build_command, serve_command)
