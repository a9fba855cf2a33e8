"""The release lifecycle: every status, every set of statuses and every predicate, defined once.

Rules, the plan, the calendar feeds, the CLI and (through view models) the templates ask these
by name instead of listing statuses again, because lists repeated in several places drift apart:
"not started" once meant three statuses in the rules and four on the index page. Imports nothing
heavier than ``typing``, so the CLI can use the vocabularies before pydantic is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:  # the models import this module for their vocabularies
    from relsite.validate.models import Deployment, Release

# --- vocabularies -------------------------------------------------------------------------------

ReleaseType = Literal["major", "minor", "patch", "emergency"]
ReleaseStatus = Literal[
    "draft",
    "planned",
    "approved",
    "in_build",
    "in_test",
    "ready",
    "deploying",
    "deployed",
    "early_life_support",
    "closed",
    "on_hold",
    "cancelled",
    "rolled_back",
]
DeploymentStatus = Literal["not_planned", "scheduled", "in_progress", "deployed", "failed", "rolled_back", "skipped"]
SignOffResult = Literal["passed", "failed", "waived"]
AttemptStatus = Literal["in_progress", "deployed", "failed", "rolled_back"]
"""What one deployment attempt can report (the ledger's history): started, succeeded, failed, rolled back."""

RELEASE_TYPES: tuple[str, ...] = get_args(ReleaseType)
RELEASE_STATUSES: tuple[str, ...] = get_args(ReleaseStatus)
"""In the order a release normally moves through them (on_hold, cancelled and rolled_back last)."""
DEPLOYMENT_STATUSES: tuple[str, ...] = get_args(DeploymentStatus)

# --- release statuses ---------------------------------------------------------------------------

NOTHING_LIVE_YET: frozenset[str] = frozenset({"draft", "planned", "approved"})
"""Statuses at which no environment may be deployed or in progress yet."""

WAITING: frozenset[str] = NOTHING_LIVE_YET | {"on_hold"}
"""Not started, or paused: nobody is building, testing or deploying it now (the index's
"upcoming" and "later")."""

IN_PROGRESS: frozenset[str] = frozenset({"in_build", "in_test", "ready", "deploying"})
"""Being built, tested or deployed."""

APPROVED_OR_LATER: frozenset[str] = frozenset(
    {"approved", "in_build", "in_test", "ready", "deploying", "deployed", "early_life_support", "closed"}
)
"""Approved and going ahead: a CAB review must be on record, and calendar entries are confirmed
rather than tentative."""

HANDOVER_DUE: frozenset[str] = frozenset({"ready", "deploying", "deployed", "early_life_support", "closed"})
"""From ready on, operations must have what they need to run the release (see ``CHECKLIST``)."""

PRODUCTION_REACHED: frozenset[str] = frozenset({"deployed", "early_life_support", "closed"})
"""Statuses that claim production is deployed."""

FINISHED: frozenset[str] = PRODUCTION_REACHED | {"rolled_back", "cancelled"}
"""Nothing more will happen to the release."""

CANCELLED = "cancelled"
CLOSED = "closed"
EMERGENCY = "emergency"

# --- deployment statuses ------------------------------------------------------------------------

ON_THE_ENVIRONMENT: frozenset[str] = frozenset({"deployed", "in_progress"})
"""The release is on the environment, or going onto it now."""

PROMOTED_PAST: frozenset[str] = frozenset({"deployed", "skipped"})
"""A later environment may be deployed once every earlier one is in one of these."""

TIME_RECORDED: frozenset[str] = frozenset({"deployed", "failed", "rolled_back"})
"""Something happened on the environment, so ``deployed_at`` says when."""

PENDING: frozenset[str] = frozenset({"scheduled", "in_progress"})
"""Still to happen, or happening now: what "upcoming deployments" lists."""

NOT_TAKING_PLACE: frozenset[str] = frozenset({"skipped", "not_planned"})
"""The environment is listed but the release does not go there: its window reserves nothing."""

ATTEMPT_STATUSES: tuple[str, ...] = get_args(AttemptStatus)
"""The deployment statuses that say something happened, as opposed to plans (scheduled, skipped)."""

ATTEMPT_FAILED: frozenset[str] = frozenset({"failed", "rolled_back"})
"""An attempt that counts as a failed change (the change failure rate's numerator)."""

ATTEMPT_FINISHED: frozenset[str] = frozenset({"deployed", "failed"})
"""An attempt that ended, one way or the other (the change failure rate's denominator; a rollback
undoes a deployment already counted)."""

SIGN_OFF_ACCEPTED: frozenset[str] = frozenset({"passed", "waived"})
"""Sign-off results that let a release go on to production."""


def takes_place(dep: Deployment) -> bool:
    """The deployment is meant to happen (its window counts for clashes and freezes)."""
    return dep.status not in NOT_TAKING_PLACE


def overrunning(release_status: str, dep: Deployment, now: dt.datetime) -> bool:
    """The window has ended and the deployment is still short of done (scheduled or in progress):
    late, whatever else the file says. A closed or cancelled release has nothing left to overrun."""
    return (
        dep.window is not None
        and dep.status in PENDING
        and dep.window.end <= now
        and release_status not in (CANCELLED, CLOSED)
    )


def deployment_time(dep: Deployment) -> dt.datetime | None:
    """When the release reached (or is to reach) the environment: the recorded time once something
    happened there, else the window's start. The one answer to "when was it deployed"."""
    if dep.status in TIME_RECORDED and dep.deployed_at is not None:
        return dep.deployed_at
    return dep.window.start if dep.window else None


def is_live(dep: Deployment, before: dt.datetime) -> bool:
    """Deployed, and recorded as deployed before ``before`` (a rolled-back deployment is not live:
    the previous release is)."""
    return dep.status == "deployed" and dep.deployed_at is not None and dep.deployed_at < before


def calendar_status(release_status: str, deployment_status: str | None) -> str:
    """An iCalendar STATUS: CANCELLED when it will not happen, CONFIRMED once approved, else TENTATIVE."""
    if release_status == CANCELLED or deployment_status in NOT_TAKING_PLACE:
        return "CANCELLED"
    return "CONFIRMED" if release_status in APPROVED_OR_LATER else "TENTATIVE"


def status_after_recording(release_status: str, production: bool, recorded: str, others_in_progress: bool) -> str:
    """The release status a recorded deployment implies, so that the file stays consistent
    (see the status-consistency rule): production deployed makes the release deployed, production
    rolled back makes it rolled back, a production deployment running makes it deploying, and a
    release that had not started is in test once anything reaches another environment."""
    if production and recorded == "deployed" and release_status not in PRODUCTION_REACHED:
        return "deployed"
    if production and recorded == "rolled_back":
        return "rolled_back"
    if production and recorded == "in_progress" and release_status in NOTHING_LIVE_YET | IN_PROGRESS:
        return "deploying"
    if release_status == "deploying" and recorded != "in_progress" and not others_in_progress:
        return "ready" if production else "in_test"
    if recorded in ON_THE_ENVIRONMENT and release_status in NOTHING_LIVE_YET:
        return "in_test"
    return release_status


def cab_review_expected(r: Release) -> bool:
    """Major or high-risk releases go to the CAB; emergencies go to the emergency CAB instead."""
    return r.type != EMERGENCY and (r.type == "major" or r.risk in ("high", "critical"))


def needs_cab(r: Release) -> bool:
    """The CAB review must be on record: expected, and the release is approved or later."""
    return cab_review_expected(r) and r.status in APPROVED_OR_LATER


def missing_sign_offs(
    r: Release, requires_sign_off: Callable[[str], bool], production: str
) -> list[tuple[str, Deployment]]:
    """Environments the release lists that need a test sign-off before production and lack an
    accepted one (emergency releases are exempt), with their deployments."""
    if r.type == EMERGENCY:
        return []
    return [
        (env, dep)
        for env, dep in r.environments.items()
        if env != production
        and requires_sign_off(env)
        and (dep.sign_off is None or dep.sign_off.result not in SIGN_OFF_ACCEPTED)
    ]


# --- handover -----------------------------------------------------------------------------------


ChecklistLevel = Literal["before_handover", "to_close", "recommended"]
"""How much a handover checklist item matters: operations cannot take over without it, the release
cannot close without it, or it is recommended."""


@dataclass(frozen=True)
class ChecklistEntry:
    """One thing operations need, and from which statuses validation insists on it."""

    key: str
    """The field name used in messages (``runbook``, ``support``...)."""
    name: str
    """How the handover page names it."""
    present: Callable[[Release], bool]
    level: ChecklistLevel

    @property
    def required_at(self) -> frozenset[str]:
        """Statuses at which it is an error to lack it; empty for recommended items."""
        return REQUIRED_AT[self.level]


def _h(r: Release, attr: str) -> bool:
    return bool(r.handover and getattr(r.handover, attr))


def _s(r: Release, attr: str) -> bool:
    return bool(r.handover and r.handover.support and getattr(r.handover.support, attr))


REQUIRED_AT: dict[ChecklistLevel, frozenset[str]] = {
    "before_handover": HANDOVER_DUE,
    "to_close": frozenset({CLOSED}),
    "recommended": frozenset(),
}
"""The statuses at which each level of checklist item must be present."""
CHECKLIST: tuple[ChecklistEntry, ...] = (
    ChecklistEntry("runbook", "Runbook", lambda r: _h(r, "runbook"), "before_handover"),
    ChecklistEntry("support", "Support team", lambda r: _h(r, "support"), "before_handover"),
    ChecklistEntry("rollback", "Rollback plan", lambda r: _h(r, "rollback"), "before_handover"),
    ChecklistEntry("hours", "Support hours", lambda r: _s(r, "hours"), "recommended"),
    ChecklistEntry("contact", "Contact", lambda r: _s(r, "contact"), "recommended"),
    ChecklistEntry("escalation", "Escalation path", lambda r: _s(r, "escalation"), "recommended"),
    ChecklistEntry("monitoring", "Monitoring", lambda r: _h(r, "monitoring"), "recommended"),
    ChecklistEntry("known_errors", "Known errors documented", lambda r: _h(r, "known_errors"), "recommended"),
    ChecklistEntry("training", "Training", lambda r: _h(r, "training"), "recommended"),
    ChecklistEntry("early_life_support", "Early life support", lambda r: _h(r, "early_life_support"), "recommended"),
    ChecklistEntry("accepted_by", "Accepted by operations", lambda r: _h(r, "accepted_by"), "to_close"),
)
"""What operations need to take a release on, in the order the handover page lists it."""


def handover_missing(r: Release) -> list[str]:
    """Checklist items the release must have at its current status and lacks (field names)."""
    return [e.key for e in CHECKLIST if e.level == "before_handover" and r.status in e.required_at and not e.present(r)]


def handover_applies(r: Release) -> bool:
    """A cancelled release never reaches operations: it has no handover to be ready or not."""
    return r.status != CANCELLED


def handover_gaps(r: Release) -> tuple[list[ChecklistEntry], list[ChecklistEntry]]:
    """What the handover lacks, required items (operations cannot take over without them) apart
    from recommended ones, so "ready" never hides a missing runbook and recommendations never
    read as if something blocked the release."""
    required = [e for e in CHECKLIST if required_before_handover(e) and not e.present(r)]
    recommended = [e for e in CHECKLIST if e.level == "recommended" and not e.present(r)]
    return required, recommended


def required_before_handover(entry: ChecklistEntry) -> bool:
    """The item blocks operations from taking over (as opposed to closing, or a recommendation)."""
    return entry.level == "before_handover"
