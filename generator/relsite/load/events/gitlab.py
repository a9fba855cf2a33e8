"""GitLab deployment events (``X-Gitlab-Event: Deployment Hook``).

GitLab's payload names no version, so the pipeline that runs ``record`` passes ``--version`` (or
``--release``). ``created`` is not an attempt yet; ``canceled`` counts as a failed attempt (the
environment did not get the version).
"""

from __future__ import annotations

from typing import Any

from relsite.load.events.payload import DeploymentEvent, EventError, Ignored, moment, text

STATES = {"running": "in_progress", "success": "deployed", "failed": "failed", "canceled": "failed"}
GITLAB_TIME = ("%Y-%m-%d %H:%M:%S %z",)


def recognises(payload: dict[str, Any]) -> bool:
    return payload.get("object_kind") == "deployment"


def read(payload: dict[str, Any]) -> DeploymentEvent:
    status = text(payload, "status")
    if status == "created":
        raise Ignored("GitLab reports the deployment created, not started: no attempt to record")
    if status not in STATES:
        raise EventError(f"status: {status!r} is not a GitLab deployment status")
    names = [
        text(payload, "project.path_with_namespace", required=False),
        text(payload, "project.name", required=False),
    ]
    return DeploymentEvent(
        tool="gitlab",
        event_id=f"gitlab:deployment:{text(payload, 'deployment_id')}:{status}",
        status=STATES[status],
        at=moment(payload, "status_changed_at", GITLAB_TIME),
        environment=text(payload, "environment") or "",
        services=tuple(n for n in names if n),
        by=text(payload, "user.username", required=False),
    )
