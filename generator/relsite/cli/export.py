"""`relsite export argocd-sync-windows|gitlab-freeze-periods [--env ENV]`: the change schedule as
the deploying tool's own configuration, on stdout; what it cannot express exactly, on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback
from relsite.cli.gate import one_line

FORMATS = ("argocd-sync-windows", "gitlab-freeze-periods")


@click.command("export")
@click.argument("what", type=click.Choice(FORMATS))
@click.option("--env", help="The environment whose schedule to export (default: production).")
@click.option("--at", "at_text", help="Start of the 12 months exported (ISO 8601; default: now).")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@no_traceback
def export_command(what: str, env: str | None, at_text: str | None, folder: Path) -> None:
    """Write the freezes and change windows of ENV for the next 12 months as WHAT."""
    from relsite.pipeline import now
    from relsite.plan.exports import EXPORTS
    from relsite.validate.checker import check_folder
    from relsite.validate.published import parse_time

    result = check_folder(folder)
    if result.errors or result.portfolio is None:
        for p in result.errors:
            click.echo(p.format(), err=True)
        sys.exit(1)
    pf = result.portfolio
    name = env or pf.production
    if name not in pf.env_index:
        raise click.BadParameter(
            f"'{one_line(name)[:80]}' is not an environment (known: {', '.join(pf.env_index)})", param_hint="--env"
        )
    try:
        since = parse_time(at_text, pf.tz) if at_text else now()
    except ValueError:
        raise click.BadParameter(
            f"{at_text!r} is not a date and time such as 2026-12-02T21:15", param_hint="--at"
        ) from None
    out = EXPORTS[what](pf.config, name, since)
    for note in out.notes:
        click.echo(f"relsite: note: {one_line(note)}", err=True)
    click.echo(out.text, nl=False)
