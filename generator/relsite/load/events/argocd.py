"""Argo CD notifications, in the shape of the template relsite documents (``ARGOCD_TEMPLATE``).

Argo CD's webhook service sends whatever its template writes, so relsite names the fields it reads:
the marker ``"relsite": "argocd/v1"``, the application, its environment, the operation's phase
and times, and the version (an application annotation).
"""

from __future__ import annotations

from typing import Any

from relsite.load.events.payload import DeploymentEvent, EventError, Ignored, moment, text

MARKER = "argocd/v1"
PHASES = {"Running": "in_progress", "Succeeded": "deployed", "Failed": "failed", "Error": "failed"}
ARGOCD_TEMPLATE = """\
template.relsite-deployment: |
  webhook:
    github-dispatch:
      method: POST
      path: /repos/OWNER/PORTAL/dispatches
      body: |
        {"event_type": "relsite-deployment", "client_payload": {
          "relsite": "argocd/v1",
          "application": "{{.app.metadata.name}}",
          "environment": "{{index .app.metadata.labels "environment"}}",
          "version": "{{index .app.metadata.annotations "relsite/version"}}",
          "phase": "{{.app.status.operationState.phase}}",
          "health": "{{.app.status.health.status}}",
          "revision": "{{.app.status.operationState.syncResult.revision}}",
          "startedAt": "{{.app.status.operationState.startedAt}}",
          "finishedAt": "{{.app.status.operationState.finishedAt}}",
          "initiatedBy": "{{.app.status.operationState.operation.initiatedBy.username}}"}}
"""


def recognises(payload: dict[str, Any]) -> bool:
    return payload.get("relsite") == MARKER


def read(payload: dict[str, Any]) -> DeploymentEvent:
    phase = text(payload, "phase")
    if phase not in PHASES:
        raise Ignored(f"the Argo CD operation phase {phase!r} reports no deployment attempt")
    status = PHASES[phase]
    if status == "deployed" and text(payload, "health", required=False) == "Degraded":
        status = "failed"
    when = "finishedAt" if status != "in_progress" and text(payload, "finishedAt", required=False) else "startedAt"
    app = text(payload, "application")
    env = text(payload, "environment", required=False)
    if env is None:
        raise EventError("environment is empty: label the Application with environment=<name>")
    return DeploymentEvent(
        tool="argocd",
        event_id=f"argocd:{app}:{text(payload, 'revision', required=False)}:{phase}:{text(payload, when)}",
        status=status,
        at=moment(payload, when),
        environment=env,
        services=(app,) if app else (),
        version=text(payload, "version", required=False),
        by=text(payload, "initiatedBy", required=False) or "argocd",
    )
