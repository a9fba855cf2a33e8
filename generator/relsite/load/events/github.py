"""GitHub ``deployment_status`` (the webhook payload, which is also Actions' ``github.event``).

The version is the deployment's ``payload.version`` when the deployment was created with one, else
its ``ref`` (a tag such as ``v4.2.0`` or ``refs/tags/4.2.0``); ``payload.release`` names a release id.
``inactive`` (a newer deployment replaced this one) reports no attempt.
"""

from __future__ import annotations

from typing import Any

from relsite.load.events.payload import DeploymentEvent, EventError, Ignored, field, moment, text

STATES = {
    "queued": "in_progress",
    "pending": "in_progress",
    "in_progress": "in_progress",
    "success": "deployed",
    "failure": "failed",
    "error": "failed",
}


def recognises(payload: dict[str, Any]) -> bool:
    return "deployment_status" in payload and "deployment" in payload


def read(payload: dict[str, Any]) -> DeploymentEvent:
    state = text(payload, "deployment_status.state")
    if state == "inactive":
        raise Ignored("GitHub marks the deployment inactive (a newer one replaced it): no attempt to record")
    if state not in STATES:
        raise EventError(f"deployment_status.state: {state!r} is not a GitHub deployment state")
    extra = field(payload, "deployment.payload", (dict, str), required=False)
    extra = extra if isinstance(extra, dict) else {}
    ref = text(payload, "deployment.ref", required=False) or ""
    version = text(extra, "version", required=False) or ref.removeprefix("refs/tags/") or None
    env = text(payload, "deployment_status.environment", required=False) or text(payload, "deployment.environment")
    names = [text(payload, "repository.full_name", required=False), text(payload, "repository.name", required=False)]
    return DeploymentEvent(
        tool="github",
        event_id=f"github:deployment_status:{text(payload, 'deployment_status.id')}",
        status=STATES[state],
        at=moment(
            payload,
            "deployment_status.updated_at"
            if "updated_at" in payload["deployment_status"]
            else "deployment_status.created_at",
        ),
        environment=env or "",
        services=tuple(n for n in names if n),
        version=version,
        release=text(extra, "release", required=False),
        by=text(payload, "deployment_status.creator.login", required=False),
    )
