"""Rules for one release at a time: its own fields against each other and against the portfolio."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from relsite.problems import Problem
from relsite.validate import lifecycle
from relsite.validate.model_errors import did_you_mean
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules.registry import err, fmt_time, register, warn


@register("release", "id-matches-file", "The id equals the file name")
def _id_matches_file(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`id` equals the file name without `.yaml`, so a release is found where its id says."""
    stem = r.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    if r.id != stem:
        yield err(
            r.source,
            ("id",),
            f"id '{r.id}' does not match the file name '{stem}.yaml'",
            f"rename the file to {r.id}.yaml or change the id",
        )


RESERVED_RELEASE_IDS = frozenset({"unscheduled"})
"""plan/urls.py's archive names besides years (validate cannot import plan; tests/test_urls.py keeps them equal)."""


@register("release", "reserved-names", "Ids that generated pages already use")
def _reserved_ids(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A release id is not only digits (`releases/2026/` is a year's archive) nor `unscheduled` (the archive of undated
    releases)."""
    if r.id.isdigit() or r.id.lower() in RESERVED_RELEASE_IDS:
        yield err(
            r.source,
            ("id",),
            f"the id '{r.id}' is taken by an archive page (releases/{r.id}/)",
            "use an id with letters, such as REL-2026-001",
        )


@register("release", "emergency", "Emergency details exactly for emergency releases")
def _emergency(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`emergency` (reason, approved_by) is required when `type` is emergency and forbidden otherwise."""
    if r.type == "emergency" and r.emergency is None:
        yield err(
            r.source,
            ("type",),
            "an emergency release needs an 'emergency' section with reason and approved_by",
            "add emergency: {reason: ..., approved_by: ...}",
        )
    if r.type != "emergency" and r.emergency is not None:
        yield err(
            r.source,
            ("emergency",),
            f"'emergency' is only for type emergency (this release is {r.type})",
            "remove the section or set type: emergency",
            key=True,
        )


@register("release", "environment-known", "Environments exist in the portfolio")
def _environment_known(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Every key under `environments` is an environment defined in `portfolio.yaml`."""
    names = list(pf.env_index)
    for env in r.environments:
        if env not in pf.env_index:
            yield err(
                r.source,
                ("environments", env),
                f"unknown environment '{env}'",
                did_you_mean(env, names) or "known: " + ", ".join(names),
                key=True,
            )


@register("release", "window-order", "Windows end after they start")
def _window_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A deployment window's `end` is after its `start`."""
    for env, dep in r.environments.items():
        if dep.window and dep.window.end <= dep.window.start:
            yield err(
                r.source,
                ("environments", env, "window", "end"),
                f"environments.{env}.window.end ({fmt_time(dep.window.end)}) is "
                f"{'equal to' if dep.window.end == dep.window.start else 'before'} start "
                f"({fmt_time(dep.window.start)})",
            )


@register("release", "deployed-at", "Deployment time recorded")
def _deployed_at(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`deployed_at` is given when a deployment's status is deployed, failed or rolled_back."""
    for env, dep in r.environments.items():
        if dep.status in lifecycle.TIME_RECORDED and dep.deployed_at is None:
            yield err(
                r.source,
                ("environments", env, "status"),
                f"environments.{env} is {dep.status} but has no deployed_at",
                "add deployed_at: with the date and time of the deployment",
            )


@register("release", "deployed-in-future", "Deployments recorded after today")
def _deployed_in_future(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A `deployed_at` after today (in the portfolio's time zone) gives a warning: a deployment is recorded once it
    happened, and a date typed a year off would otherwise go unnoticed."""
    if pf.today is None:
        return
    for env, dep in r.environments.items():
        if dep.deployed_at is not None and dep.deployed_at.astimezone(pf.tz).date() > pf.today:
            yield warn(
                r.source,
                ("environments", env, "deployed_at"),
                f"environments.{env}.deployed_at ({fmt_time(dep.deployed_at)}) is after today ({pf.today.isoformat()})",
                "record a deployment once it has happened; check the date",
            )


@register("release", "milestones-order", "Milestones in order")
def _milestones_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """code_freeze <= cab <= go_no_go <= the production window's start."""
    points: list[tuple[str, tuple[str | int, ...], dt.datetime, str]] = []
    m = r.milestones
    for name in ("code_freeze", "cab", "go_no_go"):
        value = getattr(m, name)
        if value is not None:
            points.append((f"milestones.{name}", ("milestones", name), pf.moment(value), fmt_time(value)))
    prod = r.environments.get(pf.production)
    if prod and prod.window:
        points.append(
            (
                f"environments.{pf.production}.window.start",
                ("environments", pf.production, "window", "start"),
                prod.window.start,
                fmt_time(prod.window.start),
            )
        )
    for (a_name, _, a_when, a_text), (b_name, b_path, b_when, b_text) in itertools.pairwise(points):
        if b_when < a_when:
            yield err(
                r.source,
                b_path,
                f"{b_name} ({b_text}) is before {a_name} ({a_text})",
                "milestones run code_freeze, cab, go_no_go, then the production window",
            )


@register("release", "promotion-order", "Promotion order")
def _promotion_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """An environment cannot be deployed while an earlier environment that the release lists is not deployed or
    skipped."""
    listed = sorted((pf.env_index[e], e) for e in r.environments if e in pf.env_index)
    for pos, (_, env) in enumerate(listed):
        if r.environments[env].status != "deployed":
            continue
        missing = [e for _, e in listed[:pos] if r.environments[e].status not in lifecycle.PROMOTED_PAST]
        if missing:
            yield err(
                r.source,
                ("environments", env, "status"),
                f"{env} is deployed but earlier environment{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} not deployed or skipped",
                "promote through environments in order, or mark an environment skipped",
            )


@register("release", "promotion-windows", "Windows follow promotion order")
def _promotion_windows(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """(warning) A later environment's window does not start before an earlier environment's window."""
    last: tuple[str, dt.datetime] | None = None
    for env in sorted((e for e in r.environments if e in pf.env_index), key=pf.env_index.__getitem__):
        dep = r.environments[env]
        if not dep.window or not lifecycle.takes_place(dep):
            continue
        if last and dep.window.start < last[1]:
            yield warn(
                r.source,
                ("environments", env, "window", "start"),
                f"the {env} window ({fmt_time(dep.window.start)}) starts before the {last[0]} window "
                f"({fmt_time(last[1])})",
                "environments are promoted in the order portfolio.yaml lists them",
            )
        last = (env, dep.window.start)


@register("release", "sign-off", "Sign-off before production")
def _sign_off(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Production cannot be deployed or in progress unless every listed environment with `requires_sign_off` has
    `sign_off.result` passed or waived (emergency releases are exempt)."""
    prod = r.environments.get(pf.production)
    if prod is None or prod.status not in lifecycle.ON_THE_ENVIRONMENT:
        return
    requires = lambda env: env in pf.env_by_name and pf.env_by_name[env].requires_sign_off
    for env, dep in lifecycle.missing_sign_offs(r, requires, pf.production):
        got = "no sign-off" if dep.sign_off is None else f"a {dep.sign_off.result} sign-off"
        yield err(
            r.source,
            ("environments", pf.production, "status"),
            f"{pf.production} is {prod.status} but {env} requires a sign-off and has {got}",
            f"add environments.{env}.sign_off: {{result: passed, by: ..., date: ...}}",
        )


@register("release", "status-consistency", "Release status agrees with environments")
def _status_consistency(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """draft, planned, approved: nothing deployed or in progress; deploying: something in progress; deployed,
    early_life_support, closed: production deployed; rolled_back: production rolled back."""
    states = {env: dep.status for env, dep in r.environments.items()}
    prod = states.get(pf.production)
    if r.status in lifecycle.NOTHING_LIVE_YET:
        busy = [env for env, s in states.items() if s in lifecycle.ON_THE_ENVIRONMENT]
        if busy:
            yield err(
                r.source,
                ("status",),
                f"status is {r.status} but {', '.join(busy)} {'is' if len(busy) == 1 else 'are'} already "
                f"{states[busy[0]].replace('_', ' ')}",
                "move the release status forward (e.g. in_test)",
            )
    elif r.status == "deploying" and "in_progress" not in states.values():
        yield err(
            r.source,
            ("status",),
            "status is deploying but no environment is in_progress",
            "set the environment being deployed to in_progress",
        )
    elif r.status in lifecycle.PRODUCTION_REACHED and prod != "deployed":
        yield err(
            r.source,
            ("status",),
            f"status is {r.status} but {pf.production} is {prod or 'not listed'}",
            f"set environments.{pf.production}.status: deployed with deployed_at",
        )
    elif r.status == "rolled_back" and prod != "rolled_back":
        yield err(
            r.source,
            ("status",),
            f"status is rolled_back but {pf.production} is {prod or 'not listed'}",
            f"set environments.{pf.production}.status: rolled_back",
        )


@register("release", "handover-ready", "Handover before go-live")
def _handover_ready(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """From status `ready` on, `handover` has a runbook, support and rollback plan."""
    if r.status in lifecycle.HANDOVER_DUE:
        missing = lifecycle.handover_missing(r)
        if missing:
            yield err(
                r.source,
                ("handover",) if r.handover else ("status",),
                f"status is {r.status} but the handover lacks {', '.join(missing)}",
                "operations need a runbook, a support team and a rollback plan before go-live",
                key=r.handover is not None,
            )


@register("release", "acceptance-to-close", "Operations acceptance to close")
def _acceptance(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A `closed` release has `handover.accepted_by`."""
    if r.status == "closed" and (r.handover is None or r.handover.accepted_by is None):
        yield err(
            r.source,
            ("status",),
            "status is closed but handover.accepted_by is missing",
            "operations accept the release before it is closed: handover.accepted_by: {name: ..., date: ...}",
        )


@register("release", "cab-review", "CAB review for major or risky releases")
def _cab_review(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Type major or risk high/critical needs `milestones.cab` from status `approved` on (emergency releases are
    approved by the emergency CAB named in `emergency.approved_by` instead)."""
    if lifecycle.needs_cab(r) and r.milestones.cab is None:
        why = "a major release" if r.type == "major" else f"a {r.risk}-risk release"
        yield err(
            r.source,
            ("status",),
            f"{why} needs milestones.cab once it is {r.status}",
            "add milestones: {cab: <date of the CAB review>}",
        )


@register("release", "breaking-actions", "Breaking changes say what to do")
def _breaking_actions(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Non-empty `notes.breaking` needs non-empty `notes.actions_required`."""
    if r.notes.breaking and not r.notes.actions_required:
        yield err(
            r.source,
            ("notes", "breaking"),
            "notes.breaking lists breaking changes but notes.actions_required is empty",
            "tell users what they must do",
            key=True,
        )


@register("release", "service-known", "Service in the catalog")
def _service_known(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """When `portfolio.yaml` has a service catalog, the release's service is in it."""
    if pf.config.services is not None and r.service not in pf.services:
        yield err(
            r.source,
            ("service",),
            f"unknown service '{r.service}'",
            did_you_mean(r.service, list(pf.services)) or "add it to services in portfolio.yaml",
        )
