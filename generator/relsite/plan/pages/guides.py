"""The authors' guide every portal has: how to propose a release and what each stage requires.

Shipped with the plugin like the field reference, so a portal made by ``relsite init`` has the page
the scaffold of ``relsite new`` points at. A site that writes its own ``guides/propose.md`` keeps it
(``yields_to_host``). The stages are the lifecycle's statuses; a test keeps the table complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan import urls
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.validate import lifecycle

_BUILDING = ("being built, tested", "environments deployed in promotion order")
_STOPPED = ("stopped", "rolled back: production rolled_back")
STAGES: dict[str, tuple[str, str]] = {
    "draft": ("an idea with a rough date", "the required fields; nothing deployed yet"),
    "planned": ("scope and dates agreed in the team", "nothing deployed or in progress"),
    "approved": ("change approved", "major or high- and critical-risk releases record milestones.cab"),
    "in_build": _BUILDING,
    "in_test": _BUILDING,
    "ready": ("ready for production", "a handover with runbook, support and rollback"),
    "deploying": ("a deployment is running", "some environment in_progress; production needs the test sign-off"),
    "deployed": ("live in production", "production deployed, with deployed_at"),
    "early_life_support": ("live, watched closely", "as deployed; set handover.early_life_support"),
    "closed": ("handed over to operations", "handover.accepted_by"),
    "on_hold": _STOPPED,
    "cancelled": _STOPPED,
    "rolled_back": _STOPPED,
}
"""Per status: what it means, and what validation requires from it on (statuses sharing both share a row)."""


def stage_rows() -> list[tuple[list[str], str, str]]:
    """The table's rows in the lifecycle's order, adjacent statuses with the same text in one row."""
    rows: list[tuple[list[str], str, str]] = []
    for status in lifecycle.RELEASE_STATUSES:
        meaning, requires = STAGES[status]
        if rows and rows[-1][1:] == (meaning, requires):
            rows[-1][0].append(status)
        else:
            rows.append(([status], meaning, requires))
    return rows


@dataclass(frozen=True, kw_only=True)
class GuideView:
    stages: list[tuple[list[str], str, str]]
    rules: str
    fields: str


TOC = (
    ("flow", "The pull-request flow"),
    ("stages", "What each stage requires"),
    ("emergency", "Emergency releases"),
    ("secrets", "Secrets"),
)


def propose_page() -> Page:
    view = GuideView(stages=stage_rows(), rules=urls.RULES, fields=urls.FIELDS)
    return page(
        urls.PROPOSE_SRC,
        "Propose a release",
        "guide_propose.html.j2",
        view,
        TOC,
        description="How to propose a release and what each stage requires.",
        yields_to_host=True,
    )
