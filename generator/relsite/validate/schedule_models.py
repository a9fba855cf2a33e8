"""Models of the change schedule in ``portfolio.yaml``: freezes and change windows, modelled on
RFC 5545 (see ``validate.recurrence`` for the field types and ``validate.schedule`` for their
expansion). Kept apart from ``models`` so the release format's module stays readable; ``models``
re-exports them under their old names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from relsite.validate.fields import MAX_ENVIRONMENTS, Line, Name, Text
from relsite.validate.lifecycle import ReleaseType
from relsite.validate.recurrence import Duration, LocalMoment, RRule

FreezeKind = Literal["hard", "soft"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=False, use_attribute_docstrings=True)


class BreakGlass(Strict):
    types: list[ReleaseType] = Field(default=["emergency"], max_length=4)
    (
        "Release types that may deploy during the freeze (`relsite gate` allows them, naming the approval); [] lets "
        "none through."
    )
    approval: bool = True
    """They must name who approved them (`emergency.approved_by`)."""


class Recurring(Strict):
    """A span of time modelled on RFC 5545: DTSTART in the portfolio's zone, DTEND or DURATION, RRULE, EXDATE."""

    start: LocalMoment
    """First day (a date) or first minute (YYYY-MM-DDTHH:MM, no offset: the portfolio's zone)."""
    end: LocalMoment | None = None
    """Last day, inclusive (with a date start), or the minute it ends (with a time start); or give `duration`."""
    duration: Duration | None = None
    (
        "Length instead of `end`, RFC 5545 style: PT3H, P2D, P1W; wall-clock, so 20:00 plus PT3H ends at 23:00 on any "
        "day."
    )
    rrule: RRule | None = None
    """How it repeats, an RFC 5545 RRULE such as FREQ=YEARLY or FREQ=WEEKLY;BYDAY=TU,TH."""
    exdate: list[LocalMoment] = Field(default=[], max_length=500)
    """Occurrences left out, by the date (or minute) they would start."""


class Freeze(Recurring):
    name: Line
    """Name shown on the calendar, e.g. Year-end freeze."""
    environments: list[Name] | None = None
    """Environments it applies to; all when omitted."""
    services: list[Name] | None = None
    """Services it applies to; all when omitted."""
    kind: FreezeKind = "hard"
    """hard: deployments are errors unless break-glass lets them through; soft: warnings."""
    reason: Text | None = None
    """Why the freeze exists (Markdown)."""
    ticket: Line | None = None
    """Change or ticket reference that decided the freeze."""
    break_glass: BreakGlass = BreakGlass()
    """Who may deploy anyway."""


class ChangeWindow(Recurring):
    name: Line
    """Name shown on the calendar, e.g. Production change window."""
    environments: list[Name] = Field(min_length=1, max_length=MAX_ENVIRONMENTS)
    """Environments that may change only inside their change windows."""
    enforce: Literal["error", "warning"] = "error"
    """What a deployment window outside every change window of its environment is."""


__all__ = ["BreakGlass", "ChangeWindow", "Freeze", "FreezeKind", "Recurring"]
