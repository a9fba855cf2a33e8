"""Events written directly (plan/ical_text.py) are byte for byte what icalendar writes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.pipeline import plan_site
from relsite.plan.calendar_events import CalendarEvent
from relsite.plan.ical_text import fold, vevent_bytes
from relsite.plan.icalendar_feed import EventWriter, reference_calendar, vevent
from relsite.plan.planning import Planning

from .support.projects import PORTAL, TODAY

STAMP = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def test_every_event_of_the_portal_is_written_as_icalendar_writes_it(monkeypatch: object) -> None:
    seen: list[CalendarEvent] = []
    original = Planning.assets

    def keep(self: Planning) -> object:
        seen.extend(self.schedule.all)
        return original(self)

    Planning.assets = keep  # type: ignore[method-assign]
    try:
        site, _, _ = plan_site(PORTAL, dt.date.fromisoformat(TODAY), "https://portal.example/")
    finally:
        Planning.assets = original  # type: ignore[method-assign]
    assert site is not None and len(seen) > 50
    labels = {"prod": "Production ⚙"}
    for e in seen:
        assert vevent_bytes(e, STAMP, "https://portal.example/", labels) == bytes(
            vevent(e, STAMP, "https://portal.example/", labels).to_ical()
        )


_TEXT = st.text(alphabet="ab ,;:\\\n\r\t^\"'é€😀N", max_size=90)
_WHEN = st.one_of(
    st.dates(dt.date(2000, 1, 1), dt.date(2099, 1, 1)),
    st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 1, 1), timezones=st.just(dt.UTC)),
)


@settings(max_examples=800, deadline=None)
@given(
    title=_TEXT,
    description=_TEXT,
    kind=st.sampled_from(["window", "milestone", "cab", "support"]),
    status=st.one_of(st.none(), st.sampled_from(["in_progress", "done"])),
    env=st.one_of(st.none(), _TEXT),
    conflicts=st.lists(_TEXT, max_size=2).map(tuple),
    categories=st.lists(_TEXT, max_size=2).map(tuple),
    link=st.text(alphabet="ab/,;:é-", max_size=20),
    start=_WHEN,
    site_url=st.sampled_from(["", "https://p.example/x,y;z/"]),
)
def test_generated_events_are_written_as_icalendar_writes_them(
    title: str,
    description: str,
    kind: str,
    status: str | None,
    env: str | None,
    conflicts: tuple[str, ...],
    categories: tuple[str, ...],
    link: str,
    start: dt.date,
    site_url: str,
) -> None:
    end = start + dt.timedelta(days=1)
    e = CalendarEvent(
        uid=f"{title[:5]}@relsite",
        kind=kind,
        title=title,
        start=start,
        end=end,
        env=env,
        status=status,
        conflicts=conflicts,
        description=description,
        link=link,
        categories=categories,
    )
    labels = {"ab": "A, b; c"}
    assert vevent_bytes(e, STAMP, site_url, labels) == bytes(vevent(e, STAMP, site_url, labels).to_ical())


def test_short_ascii_lines_are_left_whole_and_long_ones_cut_before_75_octets() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    assert [len(part.encode()) for part in fold("X:" + "é" * 80).split("\r\n ")] == [74, 74, 14]


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_a_calendar_around_its_events_is_written_as_icalendar_writes_it(name: str) -> None:
    e = CalendarEvent(uid="u@relsite", kind="cab", title="CAB", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2))
    writer = EventWriter(STAMP)
    assert writer.calendar(name, [e]) == reference_calendar(name, bytes(vevent(e, STAMP, "", {}).to_ical()))
