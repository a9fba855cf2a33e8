"""`relsite notes`: a release's notes for the places people read them (a GitHub or GitLab release,
a Markdown body), and a service's Keep a Changelog file, from the same release files and imported
notes the portal shows."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from relsite.cli import formats
from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback

FORMATS = ("markdown", "github-release", "gitlab-release", "keepachangelog")
"""The same as plan.notes_output.FORMATS (a test keeps them equal): named here so that the command
line is assembled without importing the plan, which ``relsite validate`` must not wait for."""


@click.command("notes")
@click.argument("release", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="markdown",
    show_default=True,
    help=(
        "markdown: the notes; github-release / gitlab-release: the API payload (JSON); keepachangelog: one release's "
        "section."
    ),
)
@click.option("--changelog", "service", metavar="SERVICE", help="Write the Keep a Changelog file of SERVICE instead.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --changelog: the file to write (default: CHANGELOG.md).",
)
@click.option("--force", is_flag=True, help="With --changelog: replace the file even if relsite did not write it.")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True, help="The releases folder.")
@no_traceback
def notes_command(
    release: str | None, fmt: str, service: str | None, output: Path | None, force: bool, folder: Path
) -> None:
    """Print the notes of RELEASE, or write a service's CHANGELOG.md (--changelog SERVICE)."""
    if (release is None) == (service is None):
        raise click.UsageError("name a RELEASE, or a service with --changelog SERVICE (not both)")
    from relsite.pipeline import collect_notes
    from relsite.plan import notes_output
    from relsite.validate.checker import check_folder

    result = check_folder(folder)
    pf = result.portfolio
    problems = list(result.problems)
    notes = None
    if pf is not None and not result.errors:
        notes, found = collect_notes(pf, folder.parent, result.allowed)
        problems = sorted(problems + found)
    if pf is None or any(p.severity.value == "error" for p in problems):
        click.echo(formats.FORMATS["text"](result.files, problems), nl=False, err=True)
        sys.exit(1)
    for p in problems:  # warnings: shown, the notes still printed (on standard output, apart from them)
        click.echo(p.format(), err=True)
    if release is not None:
        r = pf.by_id.get(release)
        if r is None:
            raise click.BadParameter(f"there is no release {release!r} in {folder}", param_hint="RELEASE")
        writers = {
            "markdown": notes_output.release_markdown,
            "github-release": notes_output.github_payload,
            "gitlab-release": notes_output.gitlab_payload,
            "keepachangelog": notes_output.release_changelog,
        }
        click.echo(writers[fmt](pf, r, notes), nl=False)
        return
    assert service is not None
    if service not in pf.services:
        raise click.BadParameter(f"there is no service {service!r} in {folder}", param_hint="--changelog")
    target = output or Path("CHANGELOG.md")
    _write_changelog(target, notes_output.changelog(pf, service, notes), force)
    click.echo(f"wrote {target}")


def _write_changelog(target: Path, content: str, force: bool) -> None:
    """Atomically, and only over a file relsite wrote (its marker line) unless forced."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        click.echo(f"relsite: {target} is not a regular file; not writing it", err=True)
        sys.exit(2)
    if target.exists() and not force:
        from relsite.plan.notes_output import MARKER

        head = target.read_bytes()[:4096].decode("utf-8", "replace")
        if MARKER not in head:
            click.echo(
                f"relsite: {target} exists and was not written by relsite; not replacing it "
                "(use --output for another file, or --force to replace it)",
                err=True,
            )
            sys.exit(2)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


COMMANDS = (notes_command,)
