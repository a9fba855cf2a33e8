"""Typed models of the release format (v1) and of ``portfolio.yaml``.

The field names here are the public contract of the YAML format and of the JSON Schema in
``schema/``: extend, never rename. Models are strict (no silent coercion between text, numbers and
booleans) and forbid unknown keys, so that a typo is an error rather than a field that quietly
does nothing. Dates and times use our own validators so that messages speak the user's language
and a time without an offset is read in the portfolio's zone (passed in as validation context).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from relsite.load.reader import SourceMap
from relsite.validate.fields import (
    MAX_ENVIRONMENTS,
    MAX_ITEMS,
    Date,
    DateTime,
    Line,
    Moment,
    Name,
    ReleaseId,
    Strict,
    Text,
    Url,
    VersionPrefix,
)
from relsite.validate.identifiers import Cpe, Purl, Repology, SbomLink, VexLink
from relsite.validate.ledger import MAX_ATTEMPTS, Attempt, EventMapping
from relsite.validate.lifecycle import DeploymentStatus, ReleaseStatus, ReleaseType, SignOffResult
from relsite.validate.notes_config import NotesSource
from relsite.validate.schedule_models import ChangeWindow, Freeze

Risk = Literal["low", "medium", "high", "critical"]


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
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    """Its colour on the calendar, e.g. "#0072B2"; by default a colour-blind-safe one chosen from the name."""

    @property
    def label(self) -> str:
        return self.title or self.name


class Phases(Strict):
    preview: Date | None = None
    """First day of previews (betas, release candidates): to try, not yet supported in production."""
    active: Date | None = None
    """First day of full support: bug fixes and security fixes (usually the first release's day)."""
    security: Date | None = None
    """First day of security fixes only."""
    extended: Date | None = None
    """First day of extended support (paid or by arrangement), after standard support ends."""
    end_of_life: Date | None = None
    """First day without any support."""


class ServiceLine(Strict):
    version: VersionPrefix | None = None
    (
        'Versions the line covers, as a prefix: "3.12" or "4.x" (then 3.12, 3.12.4 and 3.12.4-1 belong); omit it when '
        "the service has one line."
    )
    title: Line | None = None
    """Name shown to readers; defaults to the service's name and the version."""
    phases: Phases
    """When each support phase starts, in the order preview, active, security, extended, end_of_life; at least one."""
    lts: bool = False
    """Long-term support: the line is kept longer than others (shown as LTS, `isLts` in the endoflife.date API)."""
    codename: Line | None = None
    """The line's codename, if it has one (e.g. Jammy Jellyfish)."""


class ServiceDef(Strict):
    name: Name
    """Short name used as a release's `service`."""
    title: Line | None = None
    """Name shown to readers."""
    owner: Line | None = None
    """Team that owns the service."""
    description: Text | None = None
    """What the service does, for business users (Markdown)."""
    lines: list[ServiceLine] = Field(default=[], max_length=500)
    """Support lines, each with dated phases; when present, every release of the service falls into one."""
    purl: Purl | None = None
    (
        "Package URL of the service's component without a version (pkg:pypi/django, pkg:generic/acme/billing): what "
        "SBOM tools join on."
    )
    cpe: Cpe | None = None
    ("CPE name (cpe:2.3:a:acme:billing:*:*:*:*:*:*:*:* or cpe:/a:acme:billing): what vulnerability databases join on.")
    repology: Repology | None = None
    """Repology project name, for services that are also packaged publicly."""
    notes: NotesSource | None = None
    """Where its technical notes come from (towncrier, reno, changesets, Conventional Commits): see the guide."""

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        """(type, id) pairs in the order the endoflife.date API lists them."""
        return [
            (kind, value)
            for kind, value in (("purl", self.purl), ("cpe", self.cpe), ("repology", self.repology))
            if value
        ]

    @property
    def label(self) -> str:
        return self.title or self.name


class AttentionSettings(Strict):
    horizon_days: int = Field(default=14, ge=1, le=120)
    """Releases heading for production within this many days are checked for what they still lack."""
    end_of_life_days: int = Field(default=90, ge=1, le=730)
    """Versions live in production whose support line ends within this many days are listed."""


class CalendarSettings(Strict):
    months_back: int = Field(default=3, ge=0, le=24)
    """Months before the build date shown on the calendar."""
    months_forward: int = Field(default=12, ge=1, le=36)
    """Months after the build date shown on the calendar."""
    changing_days: int = Field(default=30, ge=1, le=366)
    """Days the "Changing soon" page and api/v1/changing.json look ahead and back."""


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
    change_windows: list[ChangeWindow] = Field(default=[], max_length=200)
    """When environments may change at all; an environment without any may change any time."""
    argocd_applications: dict[Name, list[Line]] = Field(default={}, max_length=5000)
    """Argo CD application names of each service, for `relsite export argocd-sync-windows`."""
    cab_meetings: list[Date] = Field(default=[], max_length=5000)
    """Change Advisory Board meeting dates."""
    calendar: CalendarSettings = CalendarSettings()
    """Range shown by the calendar pages."""
    attention: AttentionSettings = AttentionSettings()
    """What the release manager's page (/attention/) looks ahead for."""
    event_mapping: EventMapping = EventMapping()
    """How deploying tools name environments and services (`relsite record --from`)."""

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
    deployed_by: Line | None = None
    """Who or what deployed it: a person, or a pipeline (`relsite record --by`)."""
    sign_off: SignOff | None = None
    """Test sign-off on this environment."""
    note: Text | None = None
    """Anything readers should know about this deployment (Markdown)."""
    history: list[Attempt] = Field(default=[], max_length=MAX_ATTEMPTS)
    """Every attempt on this environment, oldest first (`relsite record` appends); the last decides the status."""


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
    coordinated_with: list[ReleaseId] = Field(default=[], max_length=MAX_ITEMS)
    (
        "Releases whose windows overlap this one's on purpose (one team ships them together): shown as coordinated, "
        "not as a clash."
    )
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
    sbom: list[SbomLink] = Field(default=[], max_length=20)
    """Software bills of materials of what this release ships: {url, format: cyclonedx | spdx}."""
    vex: list[VexLink] = Field(default=[], max_length=20)
    """Vulnerability exploitability statements for it: {url, format: cyclonedx | openvex | csaf}."""

    _source: SourceMap = PrivateAttr(default_factory=lambda: SourceMap(""))

    @property
    def source(self) -> SourceMap:
        return self._source

    @property
    def file(self) -> str:
        return self._source.file
