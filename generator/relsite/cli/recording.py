"""`relsite record RELEASE ENV --status STATUS`: a deployment pipeline (or a person) records what
happened, and the release file changes in place.

Only the lines that must change are touched (``load.yaml_edit``); the release status follows where
the lifecycle requires it, and says so. The changed portfolio is validated before anything is
written: a change that would make it invalid writes nothing and exits 1 with the problems. Two
pipelines recording at once do not lose each other's change: the file is replaced atomically
(temporary file, then rename) under a lock, and re-read and redone if it changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from relsite.cli import formats
from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback
from relsite.validate.lifecycle import DEPLOYMENT_STATUSES

ATTEMPTS = 5


def _when(at: str | None, zone: dt.tzinfo) -> dt.datetime:
    if at is None:
        return dt.datetime.now(zone).replace(second=0, microsecond=0)
    try:
        value = dt.datetime.fromisoformat(at)
    except ValueError:
        raise click.BadParameter(f"{at!r} is not a date and time such as 2026-12-02T21:15 or 2026-12-02T21:15+01:00",
                                 param_hint="--at") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 and value.microsecond == 0 else "seconds")


@click.command("record")
@click.argument("release_id", metavar="RELEASE", required=False)
@click.argument("env", metavar="ENV", required=False)
@click.option("--status", type=click.Choice(DEPLOYMENT_STATUSES), help="What happened on ENV.")
@click.option("--at", help="When (ISO 8601; default: now). Recorded for deployed, failed and rolled_back.")
@click.option("--by", help="Who or what deployed (a person or a pipeline run).")
@click.option("--note", help="Anything readers should know about this deployment (Markdown).")
@click.option("--releases", "folder", type=FOLDER, default="releases", show_default=True)
@click.option("--from", "source", metavar="FILE|-", help="Read a deployment event (GitHub, GitLab, Argo CD, Flux, CDEvents) instead.")
@click.option("--version", "version", help="With --from: the version, when the event names none (GitLab).")
@click.option("--strict", is_flag=True, help="With --from: exit 1 when the event concerns no release.")
@click.option("--emit", type=click.Choice(["cdevent"]), help="With --from: print the CDEvent for what was recorded.")
@no_traceback
def record_command(release_id: str | None, env: str | None, status: str | None, at: str | None, by: str | None, note: str | None,
                   folder: Path, source: str | None, version: str | None, strict: bool, emit: str | None) -> None:
    """Record a deployment of RELEASE on ENV in its release file, or the event in --from FILE."""
    from relsite.validate.checker import check_folder

    if source is not None:
        from relsite.cli.ledger import record_event

        return record_event(source, folder, release_id, version, strict, emit)
    if release_id is None or env is None or status is None:
        raise click.UsageError("give RELEASE ENV --status STATUS, or --from FILE")

    for _ in range(ATTEMPTS):
        result = check_folder(folder)
        pf = result.portfolio
        if pf is None:
            click.echo(formats.as_text(result.files, result.errors), nl=False, err=True)
            sys.exit(1)
        release = pf.by_id.get(release_id)
        if release is None:
            raise click.BadParameter(f"no release {release_id!r} in {folder.as_posix()}/", param_hint="RELEASE")
        if env not in release.environments:
            listed = ", ".join(release.environments)
            raise click.BadParameter(f"{release_id} lists no environment {env!r} (it lists {listed}); add it to the file first",
                                     param_hint="ENV")
        path = Path(release.file)
        original = path.read_bytes()
        plan = _planned_change(original.decode("utf-8"), release_id, env, status, at, by, note, pf)
        problems = _problems_after(result, plan.text, path, release_id)
        if [p for p in problems if p.severity.value == "error"]:
            click.echo(formats.as_text(result.files, problems), nl=False, err=True)
            click.echo(f"relsite: {release_id} was not changed: the change would make the portfolio invalid", err=True)
            sys.exit(1)
        if _replace_if_unchanged(path, original, plan.text.encode("utf-8")):
            for line in plan.said:
                click.echo(line)
            return
    click.echo(f"relsite: the file of {release_id} kept changing while it was being recorded; try again", err=True)
    sys.exit(2)


class _Plan:
    def __init__(self, text: str, said: list[str]) -> None:
        self.text, self.said = text, said


def _planned_change(text: str, rid: str, env: str, status: str, at: str | None, by: str | None, note: str | None,
                    pf: object) -> _Plan:
    from relsite.load.yaml_edit import set_value
    from relsite.validate import lifecycle
    from relsite.validate.portfolio import Portfolio

    assert isinstance(pf, Portfolio)
    release = pf.by_id[rid]
    said = []
    text = set_value(text, ("environments", env, "status"), status)
    text = _with_manual_attempt(text, release.environments[env], env, status, _when(at, pf.tz), by)
    if status in lifecycle.TIME_RECORDED:
        when = _when(at, pf.tz)
        text = set_value(text, ("environments", env, "deployed_at"), _iso(when))
        said.append(f"recorded {rid} on {env}: {status} at {_iso(when)}")
    else:
        said.append(f"recorded {rid} on {env}: {status}")
    if by:
        text = set_value(text, ("environments", env, "deployed_by"), json.dumps(by, ensure_ascii=False))
    if note:
        text = set_value(text, ("environments", env, "note"), json.dumps(note, ensure_ascii=False))
    others = any(d.status == "in_progress" for e, d in release.environments.items() if e != env)
    new_status = lifecycle.status_after_recording(release.status, env == pf.production, status, others)
    if new_status != release.status:
        text = set_value(text, ("status",), new_status)
        said.append(f"release status: {release.status} → {new_status} (the lifecycle requires it)")
    return _Plan(text, said)


def _with_manual_attempt(text: str, dep: Any, env: str, status: str, when: dt.datetime, by: str | None) -> str:
    """A deployment that keeps a history gets this attempt too, so status and history agree."""
    from relsite.cli.ledger import set_history
    from relsite.validate import ledger

    if not dep.history or status not in ledger.ATTEMPT_STATUSES:
        return text
    history = ledger.with_attempt(dep.history, ledger.Attempt(status=status, at=when, by=by))  # type: ignore[arg-type]
    return text if history is None else set_history(text, env, history)


def _problems_after(result: object, text: str, path: Path, rid: str) -> list[Any]:
    """Every error the portfolio would have with ``text`` as this release's file."""
    from relsite.load.reader import load_text
    from relsite.validate.checker import CheckResult, model_of
    from relsite.validate.models import Release
    from relsite.validate.portfolio import Portfolio
    from relsite.validate.rules import check_portfolio, check_release

    assert isinstance(result, CheckResult) and result.portfolio is not None
    pf = result.portfolio
    display = pf.by_id[rid].file
    doc, problems = load_text(text, display)
    if doc is None:
        return problems
    release, found = model_of(Release, doc, pf.tz)
    problems += found
    if release is None:
        return problems
    release._source = doc.source
    others = [r for r in pf.releases if r.id != rid]
    changed = Portfolio(pf.config, pf.config_source, [*others, release])
    problems += check_release(release, changed) + check_portfolio(changed)
    return sorted(p for p in problems if p.severity.value == "error" or p.file == display)


def _replace_if_unchanged(path: Path, original: bytes, new: bytes) -> bool:
    """Write ``new`` over ``path`` atomically unless someone changed the file since it was read."""
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        if path.read_bytes() != original:
            return False
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".relsite-tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(new)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, path.stat().st_mode & 0o777)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
    finally:
        os.close(folder)


COMMANDS = (record_command,)
