"""Commands for people writing release files: new, diff, schema, secret-hash."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from relsite.cli import formats
from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback
from relsite.problems import printable
from relsite.validate.lifecycle import RELEASE_TYPES


@click.command("schema")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="schema",
    show_default=True,
    help="Folder to write release.schema.json and portfolio.schema.json into.",
)
@no_traceback
def schema_command(out: Path) -> None:
    """Write the JSON Schemas (draft 7) of release files and portfolio.yaml."""
    from relsite.validate.schema_export import render_all

    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_all().items():
        (out / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {(out / name).as_posix()}")


@click.command("secret-hash")
@no_traceback
def secret_hash_command() -> None:
    """Print the SHA-256 of a value read from standard input, for releases/secrets-allowlist.yaml.

    Reads locally so the value never appears in a command line, a shell history or a CI log.
    """
    from relsite.validate.secrets import fingerprint

    value = sys.stdin.read().rstrip("\r\n")
    if not value:
        raise click.UsageError("pipe the exact value on standard input, e.g. `printf %s 'value' | relsite secret-hash`")
    click.echo(f"- sha256: {fingerprint(value)}\n  reason: <why this is not a secret>")


def _answers(
    pf: Any, service: str | None, kind: str | None, title: str | None, version: str | None, prod_date: Any
) -> tuple[str, str, str, str, dt.date]:
    """The options, asking for what they do not give; with no terminal to ask on, the options to pass instead."""
    services = sorted(pf.services)
    missing = [
        option
        for option, value in (
            ("--service", service),
            ("--type", kind),
            ("--title", title),
            ("--version", version),
            ("--prod-date", prod_date),
        )
        if value is None
    ]
    try:
        if service is None:
            service = click.prompt("Service", type=click.Choice(services) if pf.config.services is not None else str)
        elif pf.config.services is not None and service not in pf.services:
            raise click.BadParameter(
                f"{service!r} is not in portfolio.yaml; known: {', '.join(services)}", param_hint="--service"
            )
        kind = kind or click.prompt("Type", type=click.Choice(RELEASE_TYPES), default="minor")
        title = title or click.prompt("Title")
        version = _version_in_a_line(pf, service, version)
        when = (
            prod_date.date()
            if prod_date
            else click.prompt("Target production date (YYYY-MM-DD)", value_proc=dt.date.fromisoformat)
        )
    except click.Abort:
        if sys.stdin.isatty():
            raise
        # Standard input ended (a CI job, a script, `< /dev/null`): say what to pass instead of "Aborted!".
        raise click.UsageError(
            f"no terminal to ask on; pass {', '.join(missing)} "
            f"(e.g. relsite new --service {services[0] if services else 'NAME'} --type minor --title 'Title' "
            "--version 1.0.0 --prod-date YYYY-MM-DD)"
        ) from None
    assert service is not None and kind is not None and title is not None
    return service, kind, title, version, when


@click.command("new")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@click.option("--service", help="Service name from portfolio.yaml.")
@click.option("--type", "kind", type=click.Choice(RELEASE_TYPES), help="Release type.")
@click.option("--title", help="Short title, e.g. 'Payments gateway 4.3'.")
@click.option("--version", "version", help="Version as text, e.g. 4.3.0.")
@click.option("--prod-date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Target production date (YYYY-MM-DD).")
@no_traceback
def new_command(
    folder: Path, service: str | None, kind: str | None, title: str | None, version: str | None, prod_date: Any
) -> None:
    """Scaffold a new release file that validates as a draft; asks for what the options do not give."""
    from relsite.cli.scaffold import next_id, release_yaml, schema_modeline
    from relsite.validate.checker import check_folder

    result = check_folder(folder)
    pf = result.portfolio
    if pf is None:
        click.echo(formats.as_text(result.files, result.errors), nl=False, err=True)
        click.echo(
            "relsite: fix portfolio.yaml first; new releases take their environments and services from it", err=True
        )
        sys.exit(1)
    service, kind, title, version, when = _answers(pf, service, kind, title, version, prod_date)
    rid = next_id(folder, when.year)
    target = folder / f"{rid}.yaml"
    owner = (pf.services[service].owner if service in pf.services else None) or f"{service}-team"
    text = release_yaml(
        rid,
        pf,
        service=service,
        kind=kind,
        title=title,
        version=version,
        prod_date=when,
        owner=owner,
        schema_path=schema_modeline(target.resolve(), folder.resolve().parent),
    )
    _refuse_unless_valid(folder, target.name, text)
    with target.open("x", encoding="utf-8") as fh:  # never overwrite
        fh.write(text)
    click.echo(f"wrote {printable(target.as_posix())}")
    check = check_folder(folder)
    mine = [p for p in check.problems if p.file.endswith(target.name)]
    if mine:
        click.echo(formats.as_text(1, mine), nl=False)
    else:
        click.echo(f"{rid} validates as a draft; fill it in, then run `relsite validate`")


def _refuse_unless_valid(folder: Path, name: str, text: str) -> None:
    """The new file beside the portfolio, checked by validate before it is written: what the options
    gave (a title or version validate refuses) is an error here, exit 1, with nothing written."""
    import shutil

    from relsite.validate.checker import check_folder
    from relsite.validate.secrets import ALLOWLIST_FILE

    with tempfile.TemporaryDirectory(prefix="relsite-new-") as tmp:
        trial = Path(tmp) / "releases"
        trial.mkdir()
        for kept in ("portfolio.yaml", ALLOWLIST_FILE):
            if (folder / kept).is_file():
                shutil.copyfile(folder / kept, trial / kept)
        (trial / name).write_text(text, encoding="utf-8")
        errors = [p for p in check_folder(trial).errors if p.file.endswith("/" + name)]
    if errors:
        shown = [replace(p, file=(folder / name).as_posix()) for p in errors]
        click.echo(formats.as_text(1, shown), nl=False, err=True)
        click.echo(f"relsite: {name} was not written: the values given do not validate", err=True)
        sys.exit(1)


def _version_in_a_line(pf: Any, service: str, version: str | None) -> str:
    """Asks again (or refuses --version) until the version falls into one of the service's
    declared support lines, so a new file never starts with a support-line error."""
    from relsite.validate.support_phases import line_of, newest_first

    declared = pf.services[service].lines if service in pf.services else []
    if not declared:
        return version or click.prompt("Version")
    known = ", ".join(line.version or "" for line in newest_first(declared)[:8])

    def in_a_line(text: str) -> str:
        if line_of(pf.services[service], text) is None:
            raise click.BadParameter(f"{text} is in none of the support lines of {service} ({known})")
        return text

    if version is not None:
        try:
            return in_a_line(version)
        except click.BadParameter as exc:
            exc.param_hint = "--version"
            raise
    return str(click.prompt(f"Version (support lines: {known})", value_proc=in_a_line))


@click.command("diff")
@click.argument("base_ref")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@no_traceback
def diff_command(base_ref: str, folder: Path) -> None:
    """Markdown summary of what the working tree changes compared with BASE_REF (for a PR comment).

    Exit 1 when the change introduces errors, so a workflow can post the summary and still fail.
    """
    from relsite.cli.git_base import GitError, base_folder
    from relsite.load.folder import worker_count
    from relsite.plan.change_summary import compare, markdown
    from relsite.validate.checker import check_folder

    with tempfile.TemporaryDirectory(prefix="relsite-diff-") as tmp:
        try:
            old_folder, links = base_folder(base_ref, folder, Path(tmp))
        except GitError as exc:
            raise click.UsageError(f"git: {exc}") from None
        old = check_folder(old_folder, worker_count())
        new = check_folder(folder, worker_count())
        change = compare(old, new, old_folder.as_posix().rstrip("/") + "/")
    notes = [f"{base_ref} has links under {folder.as_posix()}/ that were not read: {', '.join(links)}"] if links else []
    click.echo(markdown(change, new, base_ref, notes), nl=False)
    if new.errors:
        sys.exit(1)


COMMANDS = (new_command, diff_command, schema_command, secret_hash_command)
