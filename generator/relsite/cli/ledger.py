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
from relsite.load.events import DeploymentEvent, EventError, Ignored, read_event
from relsite.validate import ledger
from relsite.validate.ledger import Attempt
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio

ATTEMPTS = 5


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
        return f"the environment {event.environment!r} is not one of the portfolio's (map it under event_mapping.environments)"
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
        release = next((r for s in services for r in pf.releases
                        if r.service == s and r.version in (wanted, wanted.removeprefix("v"))), None)
        if release is None:
            named = ", ".join(repr(s) for s in services) or "no service"
            return f"no release of {named} has version {wanted!r} (map the name under event_mapping.services)"
    if env not in release.environments:
        return f"{release.id} lists no environment {env!r}"
    return Target(release, env)


def history_text(history: list[Attempt]) -> str:
    """The history as a YAML flow sequence, one attempt per line (JSON strings are YAML strings,
    so nothing a payload carries can end the value early)."""
    def one(a: Attempt) -> str:
        item = {"status": a.status, "at": _iso(a.at), "by": a.by, "event": a.event}
        return json.dumps({k: v for k, v in item.items() if v is not None}, ensure_ascii=False)
    return "[\n" + ",\n".join(one(a) for a in history) + "]"


def set_history(text: str, env: str, history: list[Attempt]) -> str:
    """``text`` with the environment's ``history`` replaced (or added): the one edit `record`
    needs beyond single values. Replaces the span of the existing value, indented under its key."""
    import yaml

    from relsite.load.yaml_edit import set_value

    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    node = _find(root, ("environments", env))
    assert isinstance(node, yaml.MappingNode)
    indent = " " * (node.value[0][0].start_mark.column + 2) if node.value else "  "
    value = history_text(history).replace("\n", "\n" + indent)
    existing = _find(node, ("history",))
    if not isinstance(existing, yaml.Node):
        return set_value(text, ("environments", env, "history"), value)
    end = existing.end_mark.index
    return text[: existing.start_mark.index] + value + text[end:]


def _find(node: object, path: tuple[str, ...]) -> object | None:
    import yaml

    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    return node


def record_event(source: str, folder: Path, release_id: str | None, version: str | None, strict: bool, emit: str | None) -> None:
    from relsite.cli.recording import _planned_change, _problems_after, _replace_if_unchanged
    from relsite.validate.checker import check_folder

    shown = "<stdin>" if source == "-" else source
    data = sys.stdin.buffer.read() if source == "-" else _read(source)
    try:
        event = read_event(data)
    except Ignored as why:
        _ignored(shown, str(why), strict)
        return
    except EventError as exc:
        click.echo(f"{shown}: error: {exc}", err=True)
        sys.exit(1)
    for _ in range(ATTEMPTS):
        result = check_folder(folder)
        pf = result.portfolio
        if pf is None:
            click.echo(formats.as_text(result.files, result.errors), nl=False, err=True)
            sys.exit(1)
        target = find_target(pf, event, release_id, version)
        if isinstance(target, str):
            _ignored(shown, target, strict)
            return
        rid, env = target.release.id, target.env
        dep = target.release.environments[env]
        attempt = Attempt(status=event.status, at=event.at.replace(microsecond=0), by=event.by, event=event.event_id)  # type: ignore[arg-type]
        history = ledger.with_attempt(dep.history, attempt)
        if history is None:
            click.echo(f"{rid} on {env}: {event.event_id} is already recorded; nothing changed")
            _emit(emit, event, target, pf)
            return
        path = Path(target.release.file)
        original = path.read_bytes()
        text = set_history(original.decode("utf-8"), env, history)
        said = [f"recorded {rid} on {env}: {event.status} at {_iso(attempt.at)} (from {event.event_id})"]
        if ledger.latest(history) is attempt:
            plan = _planned_change(text, rid, env, event.status, _iso(attempt.at.astimezone(pf.tz)), event.by, None, pf)
            text, said = plan.text, said + plan.said[1:]
        else:
            said.append(f"{env} stays {dep.status}: a later attempt is already recorded")
        problems = _problems_after(result, text, path, rid)
        if [p for p in problems if p.severity.value == "error"]:
            click.echo(formats.as_text(result.files, problems), nl=False, err=True)
            click.echo(f"relsite: {rid} was not changed: the change would make the portfolio invalid", err=True)
            sys.exit(1)
        if _replace_if_unchanged(path, original, text.encode("utf-8")):
            for line in said:
                click.echo(line, err=emit is not None)
            _emit(emit, event, target, pf)
            return
    click.echo("relsite: the release file kept changing while it was being recorded; try again", err=True)
    sys.exit(2)


def _read(source: str) -> bytes:
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        click.echo(f"relsite: cannot read {source}: {exc.strerror}", err=True)
        sys.exit(2)


def _ignored(shown: str, why: str, strict: bool) -> None:
    click.echo(f"{shown}: ignored: {why}", err=strict)
    if strict:
        sys.exit(1)


def _emit(emit: str | None, event: DeploymentEvent, target: Target, pf: Portfolio) -> None:
    from relsite.load.events.cdevents import to_cdevent

    if emit != "cdevent":
        return
    out = to_cdevent(event_id=event.event_id, at=event.at.isoformat(), status=event.status, service=target.release.service,
                     version=target.release.version, environment=target.env, release_id=target.release.id)
    if out is None:
        click.echo(f"no CDEvent describes a deployment that is {event.status}; nothing emitted", err=True)
        return
    click.echo(json.dumps(out, ensure_ascii=False, sort_keys=True))
