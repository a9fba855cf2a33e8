"""Read one event: parse the JSON safely, unwrap a dispatch, and hand it to the adapter its shape names."""

from __future__ import annotations

import json
from typing import Any

from relsite.load.events import argocd, cdevents, flux, github, gitlab
from relsite.load.events.payload import DeploymentEvent, EventError

MAX_BYTES = 2_000_000
MAX_DEPTH = 64


def _depth(value: Any, limit: int) -> None:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise EventError(f"the payload is nested more than {limit} levels deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def parse(data: bytes) -> dict[str, Any]:
    """The payload as a JSON object, or an EventError saying where the JSON is broken."""
    if len(data) > MAX_BYTES:
        raise EventError(f"the payload is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise EventError(f"the payload is not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise EventError(f"{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise EventError(f"the payload is nested more than {MAX_DEPTH} levels deep") from None
    except EventError:
        raise
    except ValueError as exc:  # an integer beyond Python's digit limit (json raises a plain ValueError)
        raise EventError(f"not JSON relsite can read: {str(exc).split(':')[0]}") from None
    if not isinstance(value, dict):
        raise EventError(f"the payload must be a JSON object, found {type(value).__name__}")
    _depth(value, MAX_DEPTH)
    return value


def _no_constant(name: str) -> Any:
    raise EventError(f"{name} is not a JSON value")


def read_event(data: bytes) -> DeploymentEvent:
    """The deployment event in ``data``, from whichever tool's shape it has. Raises EventError for
    a payload relsite cannot read, and ``Ignored`` for one that reports no deployment attempt."""
    payload = parse(data)
    inner = payload.get("client_payload")
    if isinstance(inner, dict) and ("action" in payload or "event_type" in payload):  # a repository_dispatch
        payload = inner
    for adapter in (github, gitlab, cdevents, flux, argocd):
        if adapter.recognises(payload):
            return adapter.read(payload)
    raise EventError(
        "not a deployment event relsite reads: expected a GitHub deployment_status, a GitLab deployment event, "
        "an Argo CD notification (relsite's template), a Flux event or a CDEvents service event"
    )
