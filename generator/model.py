"""Typed models of the release format (v1) and of ``portfolio.yaml``.

The field names here are the public contract of the YAML format and of the JSON Schema in
``schema/``: extend, never rename. Models are strict (no silent coercion between text, numbers and
booleans) and forbid unknown keys, so that a typo is an error rather than a field that quietly
does nothing. Dates and times use our own validators so that messages speak the user's language
and a time without an offset is read in the portfolio's zone (passed in as validation context).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .load import SourceMap, resolve_plain

# --- vocabularies -------------------------------------------------------------------------------

ReleaseType = Literal["major", "minor", "patch", "emergency"]
ReleaseStatus = Literal[
    "draft", "planned", "approved", "in_build", "in_test", "ready", "deploying", "deployed",
    "early_life_support", "closed", "on_hold", "cancelled", "rolled_back",
]
DeploymentStatus = Literal["not_planned", "scheduled", "in_progress", "deployed", "failed", "rolled_back", "skipped"]
Risk = Literal["low", "medium", "high", "critical"]
SignOffResult = Literal["passed", "failed", "waived"]
FreezeKind = Literal["hard", "soft"]

RELEASE_STATUSES: tuple[str, ...] = ReleaseStatus.__args__  # type: ignore[attr-defined]
DEPLOYMENT_STATUSES: tuple[str, ...] = DeploymentStatus.__args__  # type: ignore[attr-defined]

# --- scalar types -------------------------------------------------------------------------------

MAX_ITEMS = 200
"""Longest list a release may hold (notes, changes, components): far above real use, far below harm."""
MAX_ENVIRONMENTS = 50

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

ReleaseId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=False)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Url = Annotated[str, StringConstraints(pattern=r'^(https?://|mailto:)[^\s<>"]+$', max_length=2000)]


def describe(value: Any) -> str:
    """Name a value the way a person reading their YAML would."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _date(value: Any) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return _bad_date(value)


def _bad_date(value: Any) -> dt.date:
    raise PydanticCustomError("date", "expected a date (YYYY-MM-DD), got {got}", {"got": describe(value)})


def _zone(info: ValidationInfo) -> dt.tzinfo:
    ctx = info.context or {}
    tz = ctx.get("tz")
    return tz if isinstance(tz, dt.tzinfo) else dt.UTC


def _datetime(value: Any, info: ValidationInfo) -> dt.datetime:
    if isinstance(value, str):  # quoted: accept exactly what the loader accepts unquoted
        try:
            value = resolve_plain(value.strip()) if value.strip() else value
        except ValueError:
            pass
    if not isinstance(value, dt.datetime):
        raise PydanticCustomError(
            "datetime", "expected a date and time (e.g. 2026-12-02T21:00:00+01:00), got {got}", {"got": describe(value)}
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(info))
    return value


def _moment(value: Any, info: ValidationInfo) -> dt.date | dt.datetime:
    """A milestone may be a whole day or a precise time."""
    if type(value) is dt.date:
        return value
    if isinstance(value, str) and len(value) == 10:
        return _date(value)
    return _datetime(value, info)


Date = Annotated[dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
DATETIME_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?( *(Z|z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?))?$"
DateTime = Annotated[dt.datetime, PlainValidator(_datetime), WithJsonSchema({"type": "string", "pattern": DATETIME_PATTERN})]
Moment = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_moment),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "pattern": DATETIME_PATTERN}]}),
]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=False, use_attribute_docstrings=True)


# --- portfolio.yaml -----------------------------------------------------------------------------


class EnvironmentDef(Strict):
    name: Name
    """Short name used as key under a release's `environments`."""
    title: Line | None = None
    """Name shown to readers; defaults to the short name."""
    requires_sign_off: bool = False
    """Production cannot be deployed until this environment's sign-off passed or was waived."""
    production: bool = False
    """The one environment that business users call live."""

    @property
    def label(self) -> str:
        return self.title or self.name


class ServiceDef(Strict):
    name: Name
    """Short name used as a release's `service`."""
    title: Line | None = None
    """Name shown to readers."""
    owner: Line | None = None
    """Team that owns the service."""
    description: Text | None = None
    """What the service does, for business users (Markdown)."""

    @property
    def label(self) -> str:
        return self.title or self.name


class Freeze(Strict):
    name: Line
    """Name shown on the calendar, e.g. Year-end freeze."""
    start: Date
    """First frozen day (in the portfolio's zone)."""
    end: Date
    """Last frozen day, inclusive."""
    environments: list[Name] | None = None
    """Environments it applies to; all when omitted."""
    kind: FreezeKind = "hard"
    """hard: deployments are errors unless emergency; soft: warnings."""
    reason: Text | None = None
    """Why the freeze exists (Markdown)."""


class CalendarSettings(Strict):
    months_back: int = Field(default=3, ge=0, le=24)
    """Months before the build date shown on the calendar."""
    months_forward: int = Field(default=12, ge=1, le=36)
    """Months after the build date shown on the calendar."""


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


class PortfolioConfig(Strict):
    name: Line
    """Organisation or portfolio name shown in the site header."""
    timezone: str = "UTC"
    """IANA zone (e.g. Europe/Berlin); times without an offset are read in it."""
    environments: list[EnvironmentDef] = Field(min_length=1, max_length=MAX_ENVIRONMENTS)
    """Environments in promotion order; exactly one has `production: true`."""
    services: list[ServiceDef] | None = Field(default=None, max_length=5000)
    """Service catalog; when present, every release's service must be in it."""
    freezes: list[Freeze] = Field(default=[], max_length=1000)
    """Change freezes and blackout windows."""
    cab_meetings: list[Date] = Field(default=[], max_length=5000)
    """Change Advisory Board meeting dates."""
    calendar: CalendarSettings = CalendarSettings()
    """Range shown by the calendar pages."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Checked against the list of zones before ZoneInfo sees it: ZoneInfo turns the name into a
        # file path, and a long or odd name raised OSError there (found by fuzzing).
        if value not in _zones():
            raise PydanticCustomError("timezone", "'{zone}' is not a known IANA time zone", {"zone": value[:80]})
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# --- a release ----------------------------------------------------------------------------------


class Window(Strict):
    start: DateTime
    """When the deployment may begin."""
    end: DateTime
    """When it must be finished."""


class SignOff(Strict):
    result: SignOffResult
    """passed, failed or waived."""
    by: Line
    """Who signed off."""
    date: Date
    """When."""


class Deployment(Strict):
    window: Window | None = None
    """Deployment window on this environment."""
    status: DeploymentStatus
    """not_planned | scheduled | in_progress | deployed | failed | rolled_back | skipped."""
    deployed_at: DateTime | None = None
    """When it was deployed (required once deployed, failed or rolled back)."""
    sign_off: SignOff | None = None
    """Test sign-off on this environment."""
    note: Text | None = None
    """Anything readers should know about this deployment (Markdown)."""


class Approach(Strict):
    rollout: Literal["big_bang", "phased"] | None = None
    """big_bang or phased."""
    distribution: Literal["push", "pull"] | None = None
    """push or pull."""
    automation: Literal["automated", "manual"] | None = None
    """automated or manual."""


class Emergency(Strict):
    reason: Text
    """Why this cannot wait for the normal process."""
    approved_by: Line
    """Who approved the emergency change (ECAB)."""


class Component(Strict):
    name: Line
    """Component or artefact name."""
    version: Line
    """Its version (text, quote it)."""


class Milestones(Strict):
    code_freeze: Moment | None = None
    """End of development for this release."""
    cab: Moment | None = None
    """Change Advisory Board review."""
    go_no_go: Moment | None = None
    """Final go/no-go decision before production."""


class KnownIssue(Strict):
    summary: Text
    """What goes wrong (Markdown)."""
    workaround: Text | None = None
    """How to live with it (Markdown)."""


def _issue(value: Any) -> Any:
    return {"summary": value} if isinstance(value, str) else value


IssueItem = Annotated[
    KnownIssue,
    BeforeValidator(_issue),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1, "maxLength": 5000}, KnownIssue.model_json_schema()]}),
]


class Notes(Strict):
    highlights: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """What business users will notice first."""
    features: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """New features."""
    fixes: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """Fixed problems."""
    known_issues: list[IssueItem] = Field(default=[], max_length=MAX_ITEMS)
    """Known issues: text, or {summary, workaround}."""
    breaking: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """Breaking changes; require actions_required."""
    actions_required: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """What users must do."""


class Support(Strict):
    team: Line
    """Team that supports the release in operation."""
    hours: Line | None = None
    """Support hours, e.g. 24x7 or Mon-Fri 08-18."""
    contact: Line | None = None
    """Channel, mail or phone."""
    escalation: list[Line] = Field(default=[], max_length=20)
    """Escalation path, first line first."""


class EarlyLifeSupport(Strict):
    until: Date
    """Last day of early life support."""
    team: Line
    """Team that provides it."""


class Acceptance(Strict):
    name: Line
    """Who accepted the release into operation."""
    date: Date
    """When."""


class Handover(Strict):
    runbook: Url | None = None
    """Link to the runbook (http, https)."""
    support: Support | None = None
    """Who supports it, when, and how to escalate."""
    monitoring: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """Dashboards, alerts and checks."""
    rollback: Text | None = None
    """How to back out."""
    known_errors: list[KnownIssue] = Field(default=[], max_length=MAX_ITEMS)
    """Known errors with workarounds."""
    training: list[Text] = Field(default=[], max_length=MAX_ITEMS)
    """Training given to operations."""
    early_life_support: EarlyLifeSupport | None = None
    """Early life support period and team."""
    accepted_by: Acceptance | None = None
    """Operations acceptance (required to close)."""


class Release(Strict):
    id: ReleaseId
    """Unique id; equals the file name without .yaml."""
    title: Line
    """Short title."""
    service: Name
    """Service it changes."""
    version: Line
    """Version as text: quote it ("4.2.0")."""
    type: ReleaseType
    """major | minor | patch | emergency."""
    status: ReleaseStatus
    """Lifecycle stage."""
    summary: Text
    """Plain-language summary for business users (Markdown)."""
    owner: Line
    """Accountable team."""
    release_manager: Line | None = None
    """Person coordinating the release."""
    risk: Risk
    """low | medium | high | critical."""
    approach: Approach | None = None
    """How it is rolled out."""
    emergency: Emergency | None = None
    """Required for type emergency, forbidden otherwise."""
    changes: list[Line] = Field(default=[], max_length=MAX_ITEMS)
    """Change / RFC references."""
    depends_on: list[ReleaseId] = Field(default=[], max_length=MAX_ITEMS)
    """Releases that must reach production first."""
    components: list[Component] = Field(default=[], max_length=MAX_ITEMS)
    """What is shipped."""
    milestones: Milestones = Milestones()
    """Key dates before production."""
    environments: dict[Name, Deployment] = Field(min_length=1, max_length=MAX_ENVIRONMENTS)
    """Deployment per environment, keyed by environment name."""
    notes: Notes = Notes()
    """Release notes for business users."""
    handover: Handover | None = None
    """Knowledge transfer to operations."""

    _source: SourceMap = PrivateAttr(default_factory=lambda: SourceMap(""))

    @property
    def source(self) -> SourceMap:
        return self._source

    @property
    def file(self) -> str:
        return self._source.file
