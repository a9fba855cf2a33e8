"""What the calendar's templates get: the month, agenda and years views, plain frozen data that
``relsite.plan.pages.calendar`` fills in."""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan.pages.month_bars import CalendarEntry, WeekRow
from relsite.plan.view_parts import AsOf, Choice, Link


@dataclass(frozen=True, kw_only=True)
class EnvChoice:
    value: str
    text: str
    colour: str


@dataclass(frozen=True, kw_only=True)
class CalendarFilter:
    environments: list[EnvChoice]
    services: list[Choice]


@dataclass(frozen=True, kw_only=True)
class MonthLink:
    key: str
    """YYYY-MM."""
    text: str
    href: str
    current: bool


@dataclass(frozen=True, kw_only=True)
class MonthView:
    as_of: AsOf
    key: str
    title: str
    landing: bool
    subscribe: list[Link]
    filter: CalendarFilter
    months: list[MonthLink]
    prev: MonthLink | None
    next: MonthLink | None
    weekdays: tuple[str, ...]
    weeks: list[WeekRow]
    timezone: str


@dataclass(frozen=True, kw_only=True)
class AgendaRow:
    kind: str
    when: str
    entry: CalendarEntry
    conflicts: str


@dataclass(frozen=True, kw_only=True)
class AgendaView:
    as_of: AsOf
    timezone: str
    ahead_days: int
    back_days: int
    filter: CalendarFilter
    upcoming: list[AgendaRow]
    past: list[AgendaRow]
    freezes_left_out: int = 0
    """Freezes beyond the first few of each list: counted, not listed, so the page stays small."""


@dataclass(frozen=True, kw_only=True)
class YearMonth:
    text: str
    """Short month name."""
    label: str
    """What a screen reader hears: "4 releases or support dates, March 2003"."""
    count: int
    href: str | None
    """None when the month has no page (nothing happened, outside the calendar's range)."""


@dataclass(frozen=True, kw_only=True)
class YearRow:
    year: int
    months: list[YearMonth]
    total: int


@dataclass(frozen=True, kw_only=True)
class YearsView:
    as_of: AsOf
    months_back: int
    months_forward: int
    years: list[YearRow]
