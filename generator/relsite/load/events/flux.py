"""Flux notification-controller events (the generic webhook body, or a ``githubdispatch`` provider's
``client_payload``).

The environment comes from the Alert's ``eventMetadata.env`` (Flux copies it into ``metadata``);
the version from ``eventMetadata.version``, or a HelmRelease's chart revision. Only reasons that
finish or start a rollout are attempts; other informational events (an artifact up to date) are not.
"""

from __future__ import annotations

from typing import Any

from relsite.load.events.payload import DeploymentEvent, Ignored, moment, text

REASONS = {
    "Progressing": "in_progress",
    "ReconciliationSucceeded": "deployed",
    "InstallSucceeded": "deployed",
    "UpgradeSucceeded": "deployed",
    "RollbackSucceeded": "rolled_back",
    "UninstallSucceeded": "rolled_back",
}


def recognises(payload: dict[str, Any]) -> bool:
    return "involvedObject" in payload and "reportingController" in payload


def read(payload: dict[str, Any]) -> DeploymentEvent:
    severity, reason = text(payload, "severity"), text(payload, "reason")
    status = "failed" if severity == "error" else REASONS.get(reason or "")
    if status is None:
        raise Ignored(f"the Flux event's reason {reason} reports no deployment attempt")
    kind, name = text(payload, "involvedObject.kind"), text(payload, "involvedObject.name")
    namespace = text(payload, "involvedObject.namespace", required=False)
    meta = payload.get("metadata") if isinstance(payload.get("metadata"), dict) else {}
    env = text(meta, "env", required=False)
    if env is None:
        raise Ignored("the Flux event names no environment: set eventMetadata.env on the Alert")
    version = text(meta, "version", required=False) or text(meta, "helm.toolkit.fluxcd.io/revision", required=False)
    uid = text(payload, "involvedObject.uid", required=False) or f"{kind}/{name}.{namespace}"
    stamp = text(payload, "timestamp")
    return DeploymentEvent(
        tool="flux",
        event_id=f"flux:{uid}:{reason}:{stamp}",
        status=status,
        at=moment(payload, "timestamp"),
        environment=env,
        services=tuple(n for n in (f"{kind}/{name}.{namespace}", f"{name}.{namespace}", name) if n),
        version=version,
        release=text(meta, "release", required=False),
        by=text(payload, "reportingController", required=False),
    )
