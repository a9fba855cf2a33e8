"""`relsite record --from FILE|-`: record the deployment event a deploying tool sent.

The event is read by ``load.events`` (untrusted input, checked field by field); here it is
matched to a release and environment of the portfolio through ``event_mapping``, and added to the
environment's history with the same validated, atomic in-place edit `record` uses. The same event
twice changes nothing; an event older than the latest attempt joins the history without moving the
status back; an event about no release is ignored with one line saying why.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from relsite.cli import formats
from relsite.cli.recording import DeploymentRecord, Planner, Refused, change_release, deployment_changes
from relsite.load.events import DeploymentEvent, EventError, Ignored, read_event
from relsite.load.events.reading import MAX_BYTES
from relsite.load.yaml_edit import Change
from relsite.problems import printable
from relsite.validate import ledger
from relsite.validate.ledger import Attempt
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 and value.microsecond == 0 else "seconds")


@dataclass(frozen=True)
class Target:
    release: Release
    env: str


def find_target(pf: Portfolio, event: DeploymentEvent, release_id: str | None, version: str | None) -> Target | str:
    """The release and environment the event is about, or the reason it concerns none."""
    mapping = pf.config.event_mapping
    env = mapping.environments.get(event.environment, event.environment)
    if env not in pf.env_index:
        return (
            f"the environment {event.environment!r} is not one of the portfolio's (map it under "
            "event_mapping.environments)"
        )
    wanted_id = release_id or event.release
    if wanted_id:
        release = pf.by_id.get(wanted_id)
        if release is None:
            return f"there is no release {wanted_id!r}"
    else:
        services = [mapping.services.get(n, n) for n in event.services]
        wanted = version or event.version
        if wanted is None:
            return f"the {event.tool} event names no version (pass --version or --release)"
        release = next(
            (
                r
                for s in services
                for r in pf.releases
                if r.service == s and r.version in (wanted, wanted.removeprefix("v"))
            ),
            None,
        )
        if release is None:
            named = ", ".join(repr(s) for s in services) or "no service"
            return f"no release of {named} has version {wanted!r} (map the name under event_mapping.services)"
    if env not in release.environments:
        return f"{release.id} lists no environment {env!r}"
    return Target(release, env)


def history_value(history: list[Attempt], indent: str) -> str:
    """The history as a YAML flow sequence, one attempt per line indented under its key (JSON
    strings are YAML strings, so nothing a payload carries can end a value early)."""

    def one(a: Attempt) -> str:
        item = {"status": a.status, "at": _iso(a.at), "by": a.by, "event": a.event}
        return json.dumps({k: v for k, v in item.items() if v is not None}, ensure_ascii=False)

    return "[\n" + ",\n".join(indent + one(a) for a in history) + "]"


def attempt_changes(release: Release, env: str, attempt: Attempt) -> list[Change]:
    """The edit that puts ``attempt`` into the environment's history, in its place by time (none
    when it is already there); made and proved by ``load.yaml_edit`` like every `record` edit."""
    history = ledger.with_attempt(release.environments[env].history, attempt)
    if history is None:
        return []
    _, col = release.source.key_at("environments", env, "status")
    return [Change(("environments", env, "history"), history_value(history, " " * (col + 1)))]


class _AlreadyRecorded(Exception):
    """The event is in the history already: nothing to write."""


def _attempt(event: DeploymentEvent, shown: str) -> Attempt:
    """The attempt the event reports, checked by the history's own model before anything is read or
    written: a payload dated 9999 (or with anything else a release file would refuse) is the
    payload's error, one line, exit 1."""
    from pydantic import ValidationError

    try:
        return Attempt(status=event.status, at=event.at.replace(microsecond=0), by=event.by, event=event.event_id)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = {"at": "the event's time", "by": "the event's author", "event": "the event's id"}.get(
            str(first["loc"][0]), "the event"
        )
        click.echo(f"{shown}: error: {where}: {printable(first['msg'])}", err=True)
        sys.exit(1)


def _planner(event: DeploymentEvent, attempt: Attempt, env: str) -> Planner:
    def plan(release: Release, pf: Portfolio) -> tuple[list[Change], list[str]]:
        changes = attempt_changes(release, env, attempt)
        if not changes:
            raise _AlreadyRecorded
        dep = release.environments[env]
        said = [f"recorded {release.id} on {env}: {event.status} at {_iso(attempt.at)} (from {event.event_id})"]
        if ledger.latest([*dep.history, attempt]) is attempt:
            record = DeploymentRecord(
                env=env, status=event.status, at=_iso(attempt.at), by=event.by, allow_future=True, event=event.event_id
            )
            more, lines = deployment_changes(release, pf, record)
            changes += more
            said += lines[1:]
        else:
            said.append(f"{env} stays {dep.status}: a later attempt is already recorded")
        return changes, said

    return plan


def record_event(
    source: str, folder: Path, release_id: str | None, version: str | None, strict: bool, emit: str | None
) -> None:
    from relsite.validate.checker import check_folder

    shown = "<stdin>" if source == "-" else source
    data = sys.stdin.buffer.read(MAX_BYTES + 1) if source == "-" else _read(source)
    try:
        event = read_event(data)
    except Ignored as why:
        _ignored(shown, str(why), strict)
        return
    except EventError as exc:
        click.echo(f"{shown}: error: {exc}", err=True)
        sys.exit(1)
    attempt = _attempt(event, shown)
    result = check_folder(folder)
    if result.portfolio is None or result.errors:
        click.echo(formats.as_text(result.files, result.errors), nl=False, err=True)
        sys.exit(1)
    target = find_target(result.portfolio, event, release_id, version)
    if isinstance(target, str):
        _ignored(shown, target, strict)
        return
    try:
        said = change_release(folder, target.release.id, _planner(event, attempt, target.env))
    except _AlreadyRecorded:
        said = [f"{target.release.id} on {target.env}: {event.event_id} is already recorded; nothing changed"]
    except Refused as refusal:
        for line in refusal.lines:
            click.echo(line, err=True)
        sys.exit(refusal.code)
    for line in said:
        click.echo(line, err=emit is not None)
    _emit(emit, event, target)


def _read(source: str) -> bytes:
    try:
        with Path(source).open("rb") as stream:  # no more than the size limit: `--from /dev/zero` must end
            return stream.read(MAX_BYTES + 1)
    except OSError as exc:
        click.echo(f"relsite: cannot read {source}: {exc.strerror}", err=True)
        sys.exit(2)


def _ignored(shown: str, why: str, strict: bool) -> None:
    click.echo(f"{shown}: ignored: {why}", err=strict)
    if strict:
        sys.exit(1)


def _emit(emit: str | None, event: DeploymentEvent, target: Target) -> None:
    from relsite.load.events.cdevents import to_cdevent

    if emit != "cdevent":
        return
    out = to_cdevent(
        event_id=event.event_id,
        at=event.at.isoformat(),
        status=event.status,
        service=target.release.service,
        version=target.release.version,
        environment=target.env,
        release_id=target.release.id,
    )
    if out is None:
        click.echo(f"no CDEvent describes a deployment that is {event.status}; nothing emitted", err=True)
        return
    click.echo(json.dumps(out, ensure_ascii=False, sort_keys=True))
