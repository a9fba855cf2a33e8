"""Random edits to one release's YAML, as a person makes them while a preview runs: the property
test of the incremental re-planner (tests/test_replan_property.py) draws them with hypothesis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from relsite.validate.lifecycle import DEPLOYMENT_STATUSES, RELEASE_STATUSES

Data = dict[str, Any]
SHIFTS = (1, -1, 3, 7, -7, 14, 31, -31, 45, 92, -92, 365, -365)
"""Days a window moves: within a day's neighbours, across weeks, months and years."""


def dump(data: Data) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def _shifted(value: Any, days: int) -> Any:
    moved = (
        value if isinstance(value, dt.datetime | dt.date) else dt.datetime.fromisoformat(str(value))
    ) + dt.timedelta(days=days)
    return moved.isoformat(timespec="minutes") if isinstance(moved, dt.datetime) else moved


def _envs_with_windows(data: Data) -> list[str]:
    return [
        name for name, dep in (data.get("environments") or {}).items() if isinstance(dep, dict) and dep.get("window")
    ]


@dataclass(frozen=True, kw_only=True)
class Choice:
    """What an edit needs besides the release: drawn numbers and the portfolio's names."""

    pick: int
    days: int
    word: str
    ids: list[str]
    services: list[str]
    envs: list[str]

    def of(self, items: list[str]) -> str:
        return items[self.pick % len(items)]


def _title(data: Data, c: Choice) -> None:
    data["title"] = f"{data['title']} {c.word}"


def _summary(data: Data, c: Choice) -> None:
    data["summary"] = f"{c.word}: {data.get('summary', '')}"


def _window(data: Data, c: Choice) -> None:
    if windows := _envs_with_windows(data):
        window = data["environments"][c.of(windows)]["window"]
        window["start"], window["end"] = _shifted(window["start"], c.days), _shifted(window["end"], c.days)


def _status(data: Data, c: Choice) -> None:
    data["status"] = c.of(list(RELEASE_STATUSES))


def _env_status(data: Data, c: Choice) -> None:
    if listed := list(data.get("environments") or {}):
        data["environments"][c.of(listed)]["status"] = c.of(list(DEPLOYMENT_STATUSES))


def _drop_env(data: Data, c: Choice) -> None:
    if listed := list(data.get("environments") or {}):
        del data["environments"][c.of(listed)]


def _service(data: Data, c: Choice) -> None:
    data["service"] = c.of(c.services)


def _version(data: Data, c: Choice) -> None:
    """The major version one up or down: the release may move to another support line, or to none."""
    head, _, rest = str(data.get("version", "1.0.0")).partition(".")
    if head.isdigit():
        data["version"] = f"{max(0, int(head) + (1 if c.days > 0 else -1))}.{rest or '0'}"


def _depends_on(data: Data, c: Choice) -> None:
    others = [i for i in c.ids if i != data["id"]]
    data["depends_on"] = [c.of(others)] if others and c.days > 0 else []


def _sign_off(data: Data, c: Choice) -> None:
    if listed := list(data.get("environments") or {}):
        _toggle_sign_off(data["environments"][c.of(listed)], c.days)


def _add_env(data: Data, c: Choice) -> None:
    missing = [e for e in c.envs if e not in (data.get("environments") or {})]
    windows = _envs_with_windows(data)
    if not missing or not windows:
        return
    model = data["environments"][c.of(windows)]["window"]
    back = -(abs(c.days) % 5) - 1
    data["environments"][c.of(missing)] = {
        "window": {"start": _shifted(model["start"], back), "end": _shifted(model["end"], back)},
        "status": "scheduled",
    }


EDITS: dict[str, Callable[[Data, Choice], None]] = {
    "title": _title,
    "summary": _summary,
    "window": _window,
    "status": _status,
    "env_status": _env_status,
    "drop_env": _drop_env,
    "add_env": _add_env,
    "service": _service,
    "version": _version,
    "depends_on": _depends_on,
    "sign_off": _sign_off,
}


@dataclass(frozen=True, kw_only=True)
class Edit:
    kind: str
    pick: int
    days: int
    word: str

    def apply(self, data: Data, ids: list[str], services: list[str], envs: list[str]) -> None:
        EDITS[self.kind](
            data, Choice(pick=self.pick, days=self.days, word=self.word, ids=ids, services=services, envs=envs)
        )


edits = st.builds(
    Edit,
    kind=st.sampled_from(sorted(EDITS)),
    pick=st.integers(min_value=0, max_value=10_000),
    days=st.sampled_from(SHIFTS),
    word=st.sampled_from(["faster", "gift cards", "Änderung", "<b>bold</b>", "R&D"]),
)
"""One edit: its kind and parameters, applied to whichever release the test picks."""


def _toggle_sign_off(dep: Data, days: int) -> None:
    if dep.get("sign_off"):
        del dep["sign_off"]
    else:
        dep["sign_off"] = {"result": "passed" if days > 0 else "waived", "by": "QA lead", "date": dt.date(2026, 11, 20)}
