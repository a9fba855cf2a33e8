"""`relsite record RELEASE ENV --status STATUS`: a deployment pipeline (or a person) records what
happened, and the release file changes in place.

Two layers, so that other ways of recording (an event payload, a history) reuse the safe part:

- ``change_release`` is the transaction: under one lock over the releases folder it checks the
  folder, asks a planner for the changes, edits the file by its YAML structure (``load.yaml_edit``,
  which proves that only the intended values changed), rechecks the changed portfolio exactly as
  ``validate`` would (``validate.checker.recheck``) and only then replaces the file atomically,
  through a symbolic link if the file is one. Any refusal writes nothing.
- ``record_deployment`` plans one deployment record: the environment's status, time, who and a
  note, and the release status where the lifecycle requires it.

Validating and writing under one lock is what keeps two pipelines recording at once from both
succeeding into a portfolio that neither alone would have made invalid.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from relsite.cli import formats
from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback
from relsite.validate.lifecycle import DEPLOYMENT_STATUSES

if TYPE_CHECKING:
    from relsite.load.yaml_edit import Change
    from relsite.validate.models import Release
    from relsite.validate.portfolio import Portfolio


class Refused(Exception):
    """Nothing was written. ``lines`` say why (printed as they are); ``code`` is the exit code:
    1 for a problem in the data, 2 for usage or the environment."""

    def __init__(self, lines: list[str], code: int = 1) -> None:
        super().__init__("\n".join(lines))
        self.lines, self.code = lines, code


Planner = Callable[["Release", "Portfolio"], "tuple[list[Change], list[str]]"]
"""Given the release as it is now and its portfolio: the changes to make to its file and what to
tell the user once they are written. May raise ``Refused``."""


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock over the whole releases folder, held from checking to writing."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def change_release(folder: Path, release_id: str, planner: Planner) -> list[str]:
    """Change the file of release ``release_id`` in ``folder`` as ``planner`` says, or raise
    ``Refused`` having written nothing. Returns the planner's lines."""
    from relsite.load.yaml_edit import EditError, apply_changes
    from relsite.validate.checker import check_folder, recheck

    with folder_lock(folder):
        result = check_folder(folder)
        if result.errors or result.portfolio is None:
            raise Refused(
                [
                    formats.as_text(result.files, result.errors).rstrip("\n"),
                    f"relsite: {release_id} was not changed: {folder.as_posix()}/ has errors; fix them first",
                ]
            )
        release = result.portfolio.by_id.get(release_id)
        if release is None:
            raise Refused([f"relsite: no release {release_id!r} in {folder.as_posix()}/"], 2)
        changes, said = planner(release, result.portfolio)
        path = Path(release.file)
        original = path.read_bytes()
        try:
            new = apply_changes(original.decode("utf-8"), changes).encode("utf-8")
        except EditError as exc:
            raise Refused(
                [f"{release.file}:{exc.line}:{exc.col}: error: {exc}", f"relsite: {release_id} was not changed"]
            ) from None
        after = recheck(result, release_id, new)
        if after.errors:
            raise Refused(
                [
                    formats.as_text(after.files, after.errors).rstrip("\n"),
                    f"relsite: {release_id} was not changed: the change would make the portfolio invalid",
                ]
            )
        _replace_through_links(path, original, new)
    return said


def _replace_through_links(path: Path, original: bytes, new: bytes) -> None:
    """Write ``new`` over the file ``path`` names, atomically (a temporary file beside it, then a
    rename); a symbolic link stays a link and its target changes. A hand edit made since the file
    was read is not overwritten."""
    target = path.resolve(strict=True)
    if target.read_bytes() != original:
        raise Refused([f"relsite: {path.as_posix()} changed while it was being recorded; try again"], 2)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".relsite-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- one deployment -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeploymentRecord:
    """What happened on one environment of a release."""

    env: str
    status: str
    at: str | None = None
    """When, in ISO 8601 as written (without an offset: in the portfolio's zone); None: now.
    Recorded for deployed, failed and rolled_back."""
    by: str | None = None
    note: str | None = None
    allow_future: bool = False
    """Accept a time after now (normally a mistake: a deployment is recorded once it happened)."""
    event: str | None = None
    """The deploying tool's event this comes from (`record --from`): its attempt is added by the ledger."""


def now() -> dt.datetime:
    """The clock, in one place (tests set it)."""
    return dt.datetime.now(dt.UTC)


def record_deployment(folder: Path, release_id: str, record: DeploymentRecord) -> list[str]:
    """Record ``record`` in the file of ``release_id`` (see ``change_release``)."""
    return change_release(folder, release_id, lambda release, pf: deployment_changes(release, pf, record))


def deployment_changes(release: Release, pf: Portfolio, record: DeploymentRecord) -> tuple[list[Change], list[str]]:
    from relsite.load.yaml_edit import Change, quoted
    from relsite.validate import lifecycle

    rid, env, status = release.id, record.env, record.status
    if env not in release.environments:
        listed = ", ".join(release.environments)
        raise Refused([f"relsite: {rid} lists no environment {env!r} (it lists {listed}); add it to the file first"], 2)
    place = ("environments", env)
    changes = [Change((*place, "status"), status)]
    if status in lifecycle.TIME_RECORDED:
        when = _when(record, pf.tz)
        changes.append(Change((*place, "deployed_at"), _iso(when)))
        said = [f"recorded {rid} on {env}: {status} at {_iso(when)}"]
    else:
        said = [f"recorded {rid} on {env}: {status}"]
    if record.by:
        changes.append(Change((*place, "deployed_by"), quoted(record.by)))
    if record.note:
        changes.append(Change((*place, "note"), quoted(record.note)))
    changes += _history_kept(release, env, status, record, pf)
    others = any(d.status == "in_progress" for e, d in release.environments.items() if e != env)
    new_status = lifecycle.status_after_recording(release.status, env == pf.production, status, others)
    if new_status != release.status:
        changes.append(Change(("status",), new_status))
        said.append(f"release status: {release.status} → {new_status} (the lifecycle requires it)")
    return changes, said


def _history_kept(release: Release, env: str, status: str, record: DeploymentRecord, pf: Portfolio) -> list[Change]:
    """A deployment that keeps a history (the ledger) gets this attempt too, so status and history agree."""
    from relsite.cli.ledger import attempt_changes
    from relsite.validate import ledger

    dep = release.environments[env]
    if not dep.history or status not in ledger.ATTEMPT_STATUSES or record.event is not None:
        return []
    return attempt_changes(release, env, ledger.Attempt(status=status, at=_when(record, pf.tz), by=record.by))  # type: ignore[arg-type]


def _when(record: DeploymentRecord, zone: dt.tzinfo) -> dt.datetime:
    """The time to record, read as validate reads a time in a file (a local time the clocks skip
    is refused), and not after now unless allowed."""
    if record.at is None:
        return now().astimezone(zone).replace(second=0, microsecond=0)
    from pydantic import TypeAdapter, ValidationError

    from relsite.validate.fields import DateTime

    try:
        when: dt.datetime = TypeAdapter(DateTime).validate_python(record.at, context={"tz": zone})
    except ValidationError as exc:
        first = exc.errors()[0]
        usage = first["type"] == "datetime"  # not a time at all: a usage mistake, as click reports them
        raise Refused([f"relsite: error: --at {record.at}: {first['msg']}"], 2 if usage else 1) from None
    if when > now() and not record.allow_future:
        raise Refused(
            [
                (
                    f"relsite: error: --at {record.at} is in the future; a deployment is recorded once it happened "
                    "(--allow-future to record it anyway)"
                )
            ]
        )
    return when


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 and value.microsecond == 0 else "seconds")


@click.command("record")
@click.argument("release_id", metavar="RELEASE", required=False)
@click.argument("env", metavar="ENV", required=False)
@click.option("--status", type=click.Choice(DEPLOYMENT_STATUSES), help="What happened on ENV.")
@click.option("--at", help="When (ISO 8601; default: now). Recorded for deployed, failed and rolled_back.")
@click.option("--allow-future", is_flag=True, help="Accept an --at after the current time.")
@click.option("--by", help="Who or what deployed (a person or a pipeline run).")
@click.option("--note", help="Anything readers should know about this deployment (Markdown).")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@click.option(
    "--from",
    "source",
    metavar="FILE|-",
    help="Read a deployment event (GitHub, GitLab, Argo CD, Flux, CDEvents) instead.",
)
@click.option("--version", "version", help="With --from: the version, when the event names none (GitLab).")
@click.option("--strict", is_flag=True, help="With --from: exit 1 when the event concerns no release.")
@click.option("--emit", type=click.Choice(["cdevent"]), help="With --from: print the CDEvent for what was recorded.")
@no_traceback
def record_command(
    release_id: str | None,
    env: str | None,
    status: str | None,
    at: str | None,
    allow_future: bool,
    by: str | None,
    note: str | None,
    folder: Path,
    source: str | None,
    version: str | None,
    strict: bool,
    emit: str | None,
) -> None:
    """Record a deployment of RELEASE on ENV in its release file, or the event in --from FILE."""
    if source is not None:
        from relsite.cli.ledger import record_event

        return record_event(source, folder, release_id, version, strict, emit)
    if release_id is None or env is None or status is None:
        raise click.UsageError("give RELEASE ENV --status STATUS, or --from FILE")
    record = DeploymentRecord(env=env, status=status, at=at, by=by, note=note, allow_future=allow_future)
    try:
        said = record_deployment(folder, release_id, record)
    except Refused as refusal:
        for line in refusal.lines:
            click.echo(line, err=True)
        sys.exit(refusal.code)
    for line in said:
        click.echo(line)


COMMANDS = (record_command,)
