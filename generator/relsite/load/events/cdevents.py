"""CDEvents ``service.deployed``, ``service.upgraded`` and ``service.rolledback``: a bare CDEvent
or one inside a CloudEvents JSON envelope (``data``), validated against the CDEvents JSON schemas
of the spec release its type belongs to (shipped in ``cdevents_schemas/``, spec v0.4.1 and v0.5.1).

The service is the subject's id, the environment ``subject.content.environment.id``, and the
version the one in ``artifactId`` (a package URL; for an OCI digest, its ``tag`` qualifier).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote

from relsite.load.events.payload import DeploymentEvent, EventError, moment, text

TYPES = {  # event type → (spec release whose schemas define it, schema file, attempt status)
    "dev.cdevents.service.deployed.0.2.0": ("0.4.1", "servicedeployed", "deployed"),
    "dev.cdevents.service.upgraded.0.2.0": ("0.4.1", "serviceupgraded", "deployed"),
    "dev.cdevents.service.rolledback.0.2.0": ("0.4.1", "servicerolledback", "rolled_back"),
    "dev.cdevents.service.deployed.0.3.0": ("0.5.1", "servicedeployed", "deployed"),
    "dev.cdevents.service.upgraded.0.3.0": ("0.5.1", "serviceupgraded", "deployed"),
    "dev.cdevents.service.rolledback.0.3.0": ("0.5.1", "servicerolledback", "rolled_back"),
}
EMITTED = "0.5.1"
_PURL = re.compile(r"^pkg:[A-Za-z.+-]+/(?:.+/)?(?P<name>[^/@?#]+)(?:@(?P<version>[^?#]+))?(?:\?(?P<qualifiers>[^#]*))?")


def recognises(payload: dict[str, Any]) -> bool:
    data = payload.get("data")
    inner: dict[str, Any] = data if isinstance(data, dict) else payload
    kind = inner.get("context", {}).get("type", "") if isinstance(inner.get("context"), dict) else ""
    return (
        isinstance(kind, str)
        and kind.startswith("dev.cdevents.")
        or str(payload.get("type", "")).startswith("dev.cdevents.")
    )


@lru_cache(maxsize=8)
def validator(release: str, name: str) -> Any:
    """A JSON Schema validator for one event type, with the spec's link schemas registered by their ids."""
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from referencing import Registry, Resource

    folder = resources.files("relsite.load.events") / "cdevents_schemas" / release
    schemas = [json.loads((folder / f"{name}.json").read_text("utf-8"))]
    schemas += [json.loads(f.read_text("utf-8")) for f in sorted((folder / "links").iterdir(), key=lambda f: f.name)]
    registry: Registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return Draft202012Validator(schemas[0], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(event: dict[str, Any]) -> list[str]:
    """What the CDEvents schema of the event's type says is wrong with it (empty when valid)."""
    kind = event.get("context", {}).get("type") if isinstance(event.get("context"), dict) else None
    if kind not in TYPES:
        wanted = "a CDEvents service deployed, upgraded or rolledback type relsite reads"
        return [f"context.type: {str(kind)[:80]!r} is not {wanted}"]
    release, name, _ = TYPES[kind]
    errors = sorted(validator(release, name).iter_errors(event), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'.'.join(map(str, e.absolute_path)) or '(event)'}: {e.message[:200]}" for e in errors]


def purl_version(purl: str) -> tuple[str, str | None]:
    """The package name and version a package URL names (``pkg:oci/app@sha256:..?tag=1.2`` → app, 1.2)."""
    found = _PURL.match(purl)
    if not found:
        raise EventError(f"subject.content.artifactId: {purl[:80]!r} is not a package URL")
    version = unquote(found["version"]) if found["version"] else None
    tags = parse_qs(found["qualifiers"] or "").get("tag")
    if tags and (version is None or version.startswith("sha256:")):
        version = tags[0]
    return unquote(found["name"]), version


def read(payload: dict[str, Any]) -> DeploymentEvent:
    event = payload["data"] if isinstance(payload.get("data"), dict) else payload
    problems = schema_problems(event)
    if problems:
        raise EventError("not a valid CDEvent: " + "; ".join(problems[:5]))
    _, _, status = TYPES[event["context"]["type"]]
    artifact = text(event, "subject.content.artifactId", required=False)
    package, version = purl_version(artifact) if artifact else (None, None)
    subject = text(event, "subject.id")
    names = tuple(n for n in (subject, package) if n)
    return DeploymentEvent(
        tool="cdevents",
        event_id=f"cdevents:{text(event, 'context.id')}",
        status=status,
        at=moment(event, "context.timestamp"),
        environment=text(event, "subject.content.environment.id") or "",
        services=names,
        version=version,
        by=text(event, "context.source", required=False),
    )


_OUT = {"deployed": "dev.cdevents.service.deployed.0.3.0", "rolled_back": "dev.cdevents.service.rolledback.0.3.0"}


def to_cdevent(
    *,
    event_id: str,
    at: str,
    status: str,
    service: str,
    version: str,
    environment: str,
    release_id: str,
    source: str = "relsite",
) -> dict[str, Any] | None:
    """The CDEvent (spec 0.5.1) announcing a recorded attempt, or None when CDEvents has no event
    for it (a start or a failure). Its id is derived from the recorded event, so telling
    downstream tools twice about one deployment gives them the same id to de-duplicate."""
    import uuid

    kind = _OUT.get(status)
    if kind is None:
        return None
    quoted = "".join(c if c.isalnum() or c in "._-~" else f"%{ord(c):02X}" for c in version)
    return {
        "context": {
            "specversion": EMITTED,
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"relsite:{event_id}:{status}")),
            "source": source,
            "type": kind,
            "timestamp": at,
        },
        "subject": {
            "id": service,
            "source": source,
            "content": {
                "environment": {"id": environment},
                "artifactId": f"pkg:generic/{service}@{quoted}?release={release_id}",
            },
        },
    }
