"""The shape every adapter produces, and careful accessors for untrusted JSON."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from relsite.load.characters import BAD_CHARS

MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Line breaks too: a payload's text is one line. The rest of what release files refuse (invisible
characters, lone surrogates from a JSON escape, non-characters) is ``BAD_CHARS``, checked as well,
so a value is refused here, as the payload's fault, rather than written and then refused in the file."""


class EventError(ValueError):
    """The payload is not a deployment event relsite can read (the message says where and why)."""


class Ignored(Exception):
    """A well-formed event that reports no deployment attempt (a skipped status, an unrelated reason)."""


@dataclass(frozen=True)
class DeploymentEvent:
    tool: str
    """github, gitlab, argocd, flux or cdevents."""
    event_id: str
    """The tool's own id of this report (unique per status), prefixed with the tool."""
    status: str
    """An attempt status: in_progress, deployed, failed or rolled_back."""
    at: dt.datetime
    """When, with a zone."""
    environment: str
    """The tool's name for the environment (mapped by ``event_mapping`` in portfolio.yaml)."""
    services: tuple[str, ...]
    """The tool's names for the application, most specific first (the first one mapped wins)."""
    version: str | None = None
    release: str | None = None
    by: str | None = None


def field(data: Any, path: str, kind: type | tuple[type, ...] = str, required: bool = True) -> Any:
    """The value at a dotted ``path`` of ``data``, checked to be a ``kind`` (None when optional and absent)."""
    value = data
    for key in path.split("."):
        if not isinstance(value, dict):
            raise EventError(f"{path}: expected an object on the way, found {type(value).__name__}")
        value = value.get(key)
        if value is None:
            if required:
                raise EventError(f"{path} is missing")
            return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise EventError(f"{path} must be {_kind_name(kind)}, found {type(value).__name__}")
    return value


def text(data: Any, path: str, required: bool = True) -> str | None:
    """A short single-line text: control characters and bidi overrides are refused, not stripped,
    so nothing a payload carries can break a line of YAML or a log."""
    value = field(data, path, (str, int), required)
    if value is None:
        return None
    value = str(value)
    if not value.strip() and required:
        raise EventError(f"{path} is empty")
    if len(value) > MAX_TEXT:
        raise EventError(f"{path} is longer than {MAX_TEXT} characters")
    if _CONTROL.search(value) or BAD_CHARS.search(value):
        raise EventError(f"{path} contains control or direction-changing characters")
    return value or None


def moment(data: Any, path: str, formats: tuple[str, ...] = ()) -> dt.datetime:
    """An ISO 8601 time (or one of ``formats``) with a zone; a time without one is refused."""
    raw = text(data, path)
    assert raw is not None
    value: dt.datetime | None = None
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00") if raw.endswith("Z") else raw)
    except ValueError:
        for fmt in formats:
            try:
                value = dt.datetime.strptime(raw.replace(" UTC", " +0000"), fmt)
                break
            except ValueError:
                continue
    if value is None:
        raise EventError(f"{path}: {raw!r} is not a date and time")
    if value.tzinfo is None:
        raise EventError(f"{path}: {raw!r} has no time zone")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a number", dict: "an object", list: "a list", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)
