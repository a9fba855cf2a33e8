"""The deployment ledger: every attempt on an environment, kept, and the one answer to "what does
the history say the deployment's status is".

Deployment tools report out of order and more than once (webhooks are retried, an ``in_progress``
is delivered after its ``success``). So a history is a set of attempts ordered by time, not a log
in arrival order: adding an attempt that is already there changes nothing, and an attempt that
happened earlier than the latest one is placed before it and cannot move the status back. Pure
data and arithmetic; the YAML edit and the event adapters live in ``cli`` and ``load``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from pydantic import BaseModel, ConfigDict, Field

from relsite.validate.fields import DateTime, Line, Name
from relsite.validate.lifecycle import ATTEMPT_STATUSES, AttemptStatus

__all__ = ["ATTEMPT_STATUSES", "Attempt", "EventMapping", "in_order", "latest", "order_key", "with_attempt"]

MAX_ATTEMPTS = 1000
_RANK = {"in_progress": 0, "deployed": 1, "failed": 1, "rolled_back": 2}
"""At the same instant, an outcome comes after the start it ends, and a rollback after the
deployment it undoes."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=False, use_attribute_docstrings=True)


class Attempt(_Strict):
    status: AttemptStatus
    """in_progress (started) | deployed (succeeded) | failed | rolled_back."""
    at: DateTime
    """When it happened, as the deploying tool reported it."""
    by: Line | None = None
    """Who or what deployed: a person, a pipeline run, a controller."""
    event: Line | None = None
    """The event it came from (tool and the event's own id), so the same event is recorded once."""


class EventMapping(_Strict):
    environments: dict[Line, Name] = Field(default={}, max_length=1000)
    (
        "A deploying tool's environment names (GitHub/GitLab environment, Argo CD destination, Flux `env`) → relsite "
        "environments; a name not listed is used as it is."
    )
    services: dict[Line, Name] = Field(default={}, max_length=5000)
    (
        "A deploying tool's application names (repository, project path, Argo CD application, Flux object, CDEvents "
        "subject) → relsite services; a name not listed is used as it is."
    )


def order_key(a: Attempt) -> tuple[dt.datetime, int, str, str]:
    """Time first; ties broken by kind, then status and event id, so that any arrival order of the
    same attempts gives the same history and the same status."""
    return (a.at.astimezone(dt.UTC), _RANK[a.status], a.status, a.event or "")


def in_order(history: list[Attempt]) -> bool:
    """Attempts are listed oldest first (ties: start before outcome before rollback)."""
    return all(order_key(a) <= order_key(b) for a, b in itertools.pairwise(history))


def latest(history: list[Attempt]) -> Attempt | None:
    """The attempt that decides the environment's status: the last one in time."""
    return max(history, key=order_key) if history else None


def same_attempt(a: Attempt, b: Attempt) -> bool:
    """The same report twice: the same event id, or (without ids) the same status at the same time."""
    if a.event and b.event:
        return a.event == b.event and a.status == b.status
    return a.status == b.status and a.at == b.at


def with_attempt(history: list[Attempt], new: Attempt) -> list[Attempt] | None:
    """``history`` with ``new`` in its place by time, or None when it is already there (so
    recording the same event again changes nothing)."""
    if any(same_attempt(a, new) for a in history):
        return None
    return sorted([*history, new], key=order_key)
