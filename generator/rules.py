"""Rules that need more than one field or more than one file.

Each rule is registered with an id, a title and a description; the reference documentation and
``relsite validate --format json`` use the same registry, so the docs cannot drift from the
checks. Rules run after the models accepted a file, so they may trust types; every finding points
at the line of the offending value. Cross-file rules use indexes or a sort-and-sweep, never a loop
over all releases per release.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .load import SourceMap
from .model import Deployment, Freeze, PortfolioConfig, Release
from .model_errors import did_you_mean
from .portfolio import Portfolio
from .problems import Problem, error, warning


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    scope: str  # "config", "release" or "portfolio"
    check: Callable[..., Iterable[Problem]]


RULES: list[Rule] = []


def _register(scope: str, rule_id: str, title: str) -> Callable[[Callable[..., Iterable[Problem]]], Callable[..., Iterable[Problem]]]:
    def wrap(fn: Callable[..., Iterable[Problem]]) -> Callable[..., Iterable[Problem]]:
        RULES.append(Rule(rule_id, title, (fn.__doc__ or "").strip(), scope, fn))
        return fn

    return wrap


def fmt_time(value: dt.datetime | dt.date) -> str:
    """A time as a person reads it: in the zone it was written in, with that zone named."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%d %H:%M")
    if value.utcoffset() == dt.timedelta(0) and (value.tzinfo is dt.UTC or value.tzname() in ("UTC", "Z")):
        zone = "UTC"
    else:
        zone = value.tzname() or value.strftime("%z")
    return f"{value.strftime('%Y-%m-%d %H:%M')} {zone}"


def _err(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "", rule: str = "", key: bool = False) -> Problem:
    line, col = src.key_at(*path) if key else src.at(*path)
    return error(src.file, line, col, message, hint, rule)


def _warn(src: SourceMap, path: tuple[str | int, ...], message: str, hint: str = "", rule: str = "") -> Problem:
    line, col = src.at(*path)
    return warning(src.file, line, col, message, hint, rule)


# --- portfolio.yaml -----------------------------------------------------------------------------


@_register("config", "config.production", "Exactly one production environment")
def _one_production(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """`portfolio.yaml` marks exactly one environment with `production: true`; it is what "live" means."""
    prods = [i for i, env in enumerate(cfg.environments) if env.production]
    if not prods:
        yield _err(src, ("environments",), "no environment is marked production: true",
                   "mark the live environment, e.g. {name: prod, production: true}", "config.production", key=True)
    for i in prods[1:]:
        yield _err(src, ("environments", i, "production"), f"environment '{cfg.environments[i].name}' is a second production environment",
                   "exactly one environment may have production: true", "config.production")


@_register("config", "config.unique-names", "Environment and service names are unique")
def _unique_names(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """Environment names and service names each appear once."""
    sections = [("environments", [e.name for e in cfg.environments]), ("services", [s.name for s in cfg.services or []])]
    for section, names in sections:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                yield _err(src, (section, i, "name"), f"{section[:-1]} '{name}' is defined twice", rule="config.unique-names")
            seen.add(name)


@_register("config", "config.freezes", "Freezes are well formed")
def _freezes(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """A freeze ends on or after its start and names only environments that exist."""
    names = [env.name for env in cfg.environments]
    for i, fr in enumerate(cfg.freezes):
        if fr.end < fr.start:
            yield _err(src, ("freezes", i, "end"), f"freeze '{fr.name}' ends ({fr.end}) before it starts ({fr.start})", rule="config.freezes")
        for j, env in enumerate(fr.environments or []):
            if env not in names:
                yield _err(src, ("freezes", i, "environments", j), f"freeze '{fr.name}' names unknown environment '{env}'",
                           did_you_mean(env, names) or "known: " + ", ".join(names), "config.freezes")


# --- one release --------------------------------------------------------------------------------

LIVE_STATES = {"deployed", "in_progress"}
DONE_STATES = {"deployed", "skipped"}
READY_ON = {"ready", "deploying", "deployed", "early_life_support", "closed"}
APPROVED_ON = {"approved", "in_build", "in_test"} | READY_ON
NOT_STARTED = {"draft", "planned", "approved"}


def _active(dep: Deployment) -> bool:
    return dep.status not in ("skipped", "not_planned")


@_register("release", "id-matches-file", "The id equals the file name")
def _id_matches_file(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`id` equals the file name without `.yaml`, so a release is found where its id says."""
    stem = r.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    if r.id != stem:
        yield _err(r.source, ("id",), f"id '{r.id}' does not match the file name '{stem}.yaml'",
                   f"rename the file to {r.id}.yaml or change the id", "id-matches-file")


@_register("release", "emergency", "Emergency details exactly for emergency releases")
def _emergency(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`emergency` (reason, approved_by) is required when `type` is emergency and forbidden otherwise."""
    if r.type == "emergency" and r.emergency is None:
        yield _err(r.source, ("type",), "an emergency release needs an 'emergency' section with reason and approved_by",
                   "add emergency: {reason: ..., approved_by: ...}", "emergency")
    if r.type != "emergency" and r.emergency is not None:
        yield _err(r.source, ("emergency",), f"'emergency' is only for type emergency (this release is {r.type})",
                   "remove the section or set type: emergency", "emergency", key=True)


@_register("release", "environment-known", "Environments exist in the portfolio")
def _environment_known(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Every key under `environments` is an environment defined in `portfolio.yaml`."""
    names = list(pf.env_index)
    for env in r.environments:
        if env not in pf.env_index:
            yield _err(r.source, ("environments", env), f"unknown environment '{env}'",
                       did_you_mean(env, names) or "known: " + ", ".join(names), "environment-known", key=True)


@_register("release", "window-order", "Windows end after they start")
def _window_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A deployment window's `end` is after its `start`."""
    for env, dep in r.environments.items():
        if dep.window and dep.window.end <= dep.window.start:
            yield _err(r.source, ("environments", env, "window", "end"),
                       f"environments.{env}.window.end ({fmt_time(dep.window.end)}) is "
                       f"{'equal to' if dep.window.end == dep.window.start else 'before'} start ({fmt_time(dep.window.start)})",
                       rule="window-order")


@_register("release", "deployed-at", "Deployment time recorded")
def _deployed_at(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """`deployed_at` is given when a deployment's status is deployed, failed or rolled_back."""
    for env, dep in r.environments.items():
        if dep.status in ("deployed", "failed", "rolled_back") and dep.deployed_at is None:
            yield _err(r.source, ("environments", env, "status"), f"environments.{env} is {dep.status} but has no deployed_at",
                       "add deployed_at: with the date and time of the deployment", "deployed-at")


@_register("release", "milestones-order", "Milestones in order")
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
        points.append((f"environments.{pf.production}.window.start", ("environments", pf.production, "window", "start"),
                       prod.window.start, fmt_time(prod.window.start)))
    for (a_name, _, a_when, a_text), (b_name, b_path, b_when, b_text) in zip(points, points[1:]):
        if b_when < a_when:
            yield _err(r.source, b_path, f"{b_name} ({b_text}) is before {a_name} ({a_text})",
                       "milestones run code_freeze, cab, go_no_go, then the production window", "milestones-order")


@_register("release", "promotion-order", "Promotion order")
def _promotion_order(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """An environment cannot be deployed while an earlier environment that the release lists is not deployed or skipped."""
    listed = sorted((pf.env_index[e], e) for e in r.environments if e in pf.env_index)
    for pos, (_, env) in enumerate(listed):
        if r.environments[env].status != "deployed":
            continue
        missing = [e for _, e in listed[:pos] if r.environments[e].status not in DONE_STATES]
        if missing:
            yield _err(r.source, ("environments", env, "status"),
                       f"{env} is deployed but earlier environment{'s' if len(missing) > 1 else ''} "
                       f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} not deployed or skipped",
                       "promote through environments in order, or mark an environment skipped", "promotion-order")


@_register("release", "promotion-windows", "Windows follow promotion order")
def _promotion_windows(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """(warning) A later environment's window does not start before an earlier environment's window."""
    last: tuple[str, dt.datetime] | None = None
    for env in sorted((e for e in r.environments if e in pf.env_index), key=pf.env_index.__getitem__):
        dep = r.environments[env]
        if not dep.window or not _active(dep):
            continue
        if last and dep.window.start < last[1]:
            yield _warn(r.source, ("environments", env, "window", "start"),
                        f"the {env} window ({fmt_time(dep.window.start)}) starts before the {last[0]} window ({fmt_time(last[1])})",
                        "environments are promoted in the order portfolio.yaml lists them", "promotion-windows")
        last = (env, dep.window.start)


@_register("release", "sign-off", "Sign-off before production")
def _sign_off(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Production cannot be deployed or in progress unless every listed environment with `requires_sign_off` has `sign_off.result` passed or waived (emergency releases are exempt)."""
    prod = r.environments.get(pf.production)
    if r.type == "emergency" or prod is None or prod.status not in LIVE_STATES:
        return
    for env, dep in r.environments.items():
        envdef = pf.env_by_name.get(env)
        if envdef and envdef.requires_sign_off and env != pf.production:
            if dep.sign_off is None or dep.sign_off.result not in ("passed", "waived"):
                got = "no sign-off" if dep.sign_off is None else f"a {dep.sign_off.result} sign-off"
                yield _err(r.source, ("environments", pf.production, "status"),
                           f"{pf.production} is {prod.status} but {env} requires a sign-off and has {got}",
                           f"add environments.{env}.sign_off: {{result: passed, by: ..., date: ...}}", "sign-off")


@_register("release", "status-consistency", "Release status agrees with environments")
def _status_consistency(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """draft, planned, approved: nothing deployed or in progress; deploying: something in progress; deployed, early_life_support, closed: production deployed; rolled_back: production rolled back."""
    states = {env: dep.status for env, dep in r.environments.items()}
    prod = states.get(pf.production)
    if r.status in NOT_STARTED:
        busy = [env for env, s in states.items() if s in LIVE_STATES]
        if busy:
            yield _err(r.source, ("status",), f"status is {r.status} but {', '.join(busy)} {'is' if len(busy) == 1 else 'are'} already "
                       f"{states[busy[0]].replace('_', ' ')}", "move the release status forward (e.g. in_test)", "status-consistency")
    elif r.status == "deploying" and "in_progress" not in states.values():
        yield _err(r.source, ("status",), "status is deploying but no environment is in_progress",
                   "set the environment being deployed to in_progress", "status-consistency")
    elif r.status in ("deployed", "early_life_support", "closed") and prod != "deployed":
        yield _err(r.source, ("status",), f"status is {r.status} but {pf.production} is {prod or 'not listed'}",
                   f"set environments.{pf.production}.status: deployed with deployed_at", "status-consistency")
    elif r.status == "rolled_back" and prod != "rolled_back":
        yield _err(r.source, ("status",), f"status is rolled_back but {pf.production} is {prod or 'not listed'}",
                   f"set environments.{pf.production}.status: rolled_back", "status-consistency")


HANDOVER_REQUIRED = ("runbook", "support", "rollback")


def handover_missing(r: Release) -> list[str]:
    """Handover fields the release still lacks for operations to take it on."""
    h = r.handover
    return [f for f in HANDOVER_REQUIRED if h is None or not getattr(h, f)]


@_register("release", "handover-ready", "Handover before go-live")
def _handover_ready(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """From status `ready` on, `handover` has a runbook, support and rollback plan."""
    if r.status in READY_ON:
        missing = handover_missing(r)
        if missing:
            yield _err(r.source, ("handover",) if r.handover else ("status",),
                       f"status is {r.status} but the handover lacks {', '.join(missing)}",
                       "operations need a runbook, a support team and a rollback plan before go-live", "handover-ready",
                       key=r.handover is not None)


@_register("release", "acceptance-to-close", "Operations acceptance to close")
def _acceptance(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A `closed` release has `handover.accepted_by`."""
    if r.status == "closed" and (r.handover is None or r.handover.accepted_by is None):
        yield _err(r.source, ("status",), "status is closed but handover.accepted_by is missing",
                   "operations accept the release before it is closed: handover.accepted_by: {name: ..., date: ...}", "acceptance-to-close")


@_register("release", "cab-review", "CAB review for major or risky releases")
def _cab_review(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Type major or risk high/critical needs `milestones.cab` from status `approved` on (emergency releases are approved by the emergency CAB named in `emergency.approved_by` instead)."""
    if r.type != "emergency" and (r.type == "major" or r.risk in ("high", "critical")) and r.status in APPROVED_ON and r.milestones.cab is None:
        why = "a major release" if r.type == "major" else f"a {r.risk}-risk release"
        yield _err(r.source, ("status",), f"{why} needs milestones.cab once it is {r.status}",
                   "add milestones: {cab: <date of the CAB review>}", "cab-review")


@_register("release", "breaking-actions", "Breaking changes say what to do")
def _breaking_actions(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """Non-empty `notes.breaking` needs non-empty `notes.actions_required`."""
    if r.notes.breaking and not r.notes.actions_required:
        yield _err(r.source, ("notes", "breaking"), "notes.breaking lists breaking changes but notes.actions_required is empty",
                   "tell users what they must do", "breaking-actions", key=True)


@_register("release", "service-known", "Service in the catalog")
def _service_known(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """When `portfolio.yaml` has a service catalog, the release's service is in it."""
    if pf.config.services is not None and r.service not in pf.services:
        yield _err(r.source, ("service",), f"unknown service '{r.service}'",
                   did_you_mean(r.service, list(pf.services)) or "add it to services in portfolio.yaml", "service-known")


# --- across files -------------------------------------------------------------------------------


@_register("portfolio", "unique-ids", "Ids are unique")
def _unique_ids(pf: Portfolio) -> Iterator[Problem]:
    """Release ids are unique, ignoring case."""
    first: dict[str, Release] = {}
    for r in pf.releases:
        other = first.setdefault(r.id.lower(), r)
        if other is not r:
            yield _err(r.source, ("id",), f"id '{r.id}' is already used by {other.file}", rule="unique-ids")


@_register("portfolio", "dependencies", "Dependencies exist and come first")
def _dependencies(pf: Portfolio) -> Iterator[Problem]:
    """`depends_on` points at existing, not cancelled releases whose production window ends before this one's starts."""
    lower = {r.id.lower(): r for r in pf.releases}
    for r in pf.releases:
        own = r.environments.get(pf.production)
        for i, dep_id in enumerate(r.depends_on):
            path = ("depends_on", i)
            dep = pf.by_id.get(dep_id) or lower.get(dep_id.lower())
            if dep is None:
                yield _err(r.source, path, f"depends on unknown release '{dep_id}'",
                           did_you_mean(dep_id, [i for i in pf.by_id if i != r.id]), "dependencies")
            elif dep is r:
                yield _err(r.source, path, "a release cannot depend on itself", rule="dependencies")
            elif dep.status == "cancelled":
                yield _err(r.source, path, f"depends on {dep.id}, which is cancelled", rule="dependencies")
            else:
                theirs = dep.environments.get(pf.production)
                if own and own.window and theirs and theirs.window and theirs.window.end > own.window.start:
                    yield _err(r.source, path,
                               f"depends on {dep.id}, whose {pf.production} window ends {fmt_time(theirs.window.end)}, "
                               f"after this release's starts ({fmt_time(own.window.start)})",
                               f"move this window later or {dep.id} earlier", "dependencies")


@dataclass(frozen=True)
class WindowSlot:
    """One release's window on one environment: the unit of overlap and freeze checks."""

    start: dt.datetime
    end: dt.datetime
    env: str
    release: Release


def slots(pf: Portfolio) -> Iterator[WindowSlot]:
    for r in pf.releases:
        if r.status == "cancelled":
            continue
        for env, dep in r.environments.items():
            if dep.window and _active(dep) and dep.window.end > dep.window.start:
                yield WindowSlot(dep.window.start, dep.window.end, env, r)


@dataclass(frozen=True)
class Overlap:
    earlier: WindowSlot
    later: WindowSlot


def overlaps(pf: Portfolio) -> Iterator[Overlap]:
    """Pairs of windows on the same environment that overlap: sort, then sweep (n log n + pairs)."""
    by_env: dict[str, list[WindowSlot]] = defaultdict(list)
    for s in slots(pf):
        by_env[s.env].append(s)
    for env in sorted(by_env):
        active: list[WindowSlot] = []
        for s in sorted(by_env[env], key=lambda s: (s.start, s.end, s.release.id)):
            active = [a for a in active if a.end > s.start]
            for a in active:
                yield Overlap(a, s)
            active.append(s)


@_register("portfolio", "window-overlap", "Windows on one environment do not clash")
def _window_overlap(pf: Portfolio) -> Iterator[Problem]:
    """Two releases of the same service with overlapping windows on the same environment are an error; of different services, a warning."""
    for o in overlaps(pf):
        a, b = o.earlier, o.later
        same = a.release.service == b.release.service
        msg = (f"the {b.env} window overlaps {a.release.id} ({a.release.service}, "
               f"{fmt_time(a.start)} to {fmt_time(a.end)})")
        path = ("environments", b.env, "window", "start")
        if same:
            yield _err(b.release.source, path, msg, "two releases of one service cannot deploy at once; move one window", "window-overlap")
        else:
            yield _warn(b.release.source, path, msg, "check the two teams know of each other", "window-overlap")


def freeze_hits(pf: Portfolio) -> Iterator[tuple[WindowSlot, Freeze]]:
    """Windows that touch a freeze on their environment (freezes are few: slots x freezes is linear)."""
    spans = {env.name: [(f, *pf.freeze_span(f)) for f in pf.freezes_for(env.name)] for env in pf.environments}
    for s in slots(pf):
        for fr, start, end in spans.get(s.env, ()):
            if s.start < end and s.end > start:
                yield s, fr


@_register("portfolio", "freeze", "Change freezes")
def _freeze(pf: Portfolio) -> Iterator[Problem]:
    """A window that touches a `hard` freeze on its environment is an error unless the release is an emergency; a `soft` freeze gives a warning."""
    for s, fr in freeze_hits(pf):
        path = ("environments", s.env, "window", "start")
        msg = f"the {s.env} window ({fmt_time(s.start)}) falls in the {fr.kind} freeze '{fr.name}' ({fr.start} to {fr.end})"
        if fr.kind == "hard" and s.release.type != "emergency":
            yield _err(s.release.source, path, msg, "move the window, or make it an approved emergency release", "freeze")
        elif fr.kind == "soft":
            yield _warn(s.release.source, path, msg, "soft freezes need extra approval", "freeze")


def check_config(cfg: PortfolioConfig, src: SourceMap) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "config" for p in rule.check(cfg, src)]


def check_release(r: Release, pf: Portfolio) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "release" for p in rule.check(r, pf)]


def check_portfolio(pf: Portfolio) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "portfolio" for p in rule.check(pf)]
