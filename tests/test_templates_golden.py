"""Golden pairs for the templates, in the manner of Python-Markdown's ``assertMarkdownRenders``:
a view model in, the exact HTML out. Templates only lay out; these pin down how."""

from __future__ import annotations

import textwrap
from typing import Any

from relsite.plan.markup import environment
from relsite.plan.pages.calendar import CalendarEntry
from relsite.plan.view_parts import Link, ReleaseRow, ReleaseTable, SlotRow, SlotTable


def assert_renders(source: str, expected: str, **context: Any) -> None:
    """Render ``source`` (which may import the project's macros) and compare with ``expected``,
    both dedented and stripped, so the pair reads like the page."""
    html = environment().from_string(textwrap.dedent(source)).render(u=lambda to: "../" + to, **context)
    assert html.strip() == textwrap.dedent(expected).strip()


ROW = ReleaseRow(
    release=Link(text="REL-7", href="releases/REL-7/"),
    title="Shop 2.0 <beta>",
    service=Link(text="Web shop", href="services/shop/"),
    service_name="shop",
    version="2.0",
    type="major",
    status="in_test",
    risk="high",
    production="3 Dec 2026",
    production_sort="2026-12-03T20:00:00+00:00",
    search_text="rel-7 shop 2.0 <beta> shop 2.0 team",
    readiness="missing: runbook",
    readiness_missing=True,
)


def test_a_release_row_lays_out_its_fields_and_escapes_text() -> None:
    assert_renders(
        '{% from "_macros.html.j2" import release_rows %}{{ release_rows(rows, u) }}',
        """
        <tr data-service="shop" data-status="in_test" data-text="rel-7 shop 2.0 &lt;beta&gt; shop 2.0 team">
        <td class="rs-id" data-label="Release"><a href="../releases/REL-7/">REL-7</a> Shop 2.0 &lt;beta&gt; <span class="rs-badge rs-type rs-type-major">major</span></td>
        <td class="rs-prod" data-label="Production" data-sort="2026-12-03T20:00:00+00:00"><strong>3 Dec 2026</strong></td>
        <td data-label="Service"><a href="../services/shop/">Web shop</a> 2.0</td>
        <td data-label="Status"><span class="rs-badge rs-status rs-status-in_test">in test</span><br><span class="rs-readiness-tag rs-readiness-missing">handover missing: runbook</span></td>
        <td data-label="Risk"><span class="rs-badge rs-risk rs-risk-high">high</span></td>
        </tr>
        """,
        rows=[ROW],
    )


def test_a_release_table_has_a_caption_for_screen_readers() -> None:
    html = (
        environment()
        .from_string('{% from "_macros.html.j2" import release_table %}{{ release_table(t, u) }}')
        .render(u=lambda to: to, t=ReleaseTable(caption="Upcoming", rows=[ROW]))
    )
    assert (
        '<table data-rs="releases" data-rs-filterable>\n<caption class="rs-visually-hidden">Upcoming</caption>' in html
    )


def test_a_slot_table_shows_the_environment_column_only_when_asked() -> None:
    row = SlotRow(
        when="Thu 3 Dec 2026, 20:00–22:00 CET",
        env=Link(text="Production", href="environments/prod/"),
        release=Link(text="REL-7", href="releases/REL-7/"),
        title="Shop 2.0",
        service="shop",
        version="2.0",
        status="scheduled",
    )
    assert_renders(
        '{% from "_slots.html.j2" import slot_table %}{{ slot_table(t, u) }}',
        """
        <div class="md-typeset__scrollwrap"><div class="md-typeset__table rs-table"><table data-rs="slots">
        <thead><tr><th>When (Europe/Berlin)</th><th>Release</th><th>Service</th><th>Version</th><th>Status</th></tr></thead>
        <tbody>
        <tr><td data-label="When">Thu 3 Dec 2026, 20:00–22:00 CET</td>
        <td data-label="Release"><a href="../releases/REL-7/">REL-7</a> Shop 2.0</td>
        <td data-label="Service">shop</td><td data-label="Version">2.0</td>
        <td data-label="Status"><span class="rs-badge rs-dep rs-dep-scheduled">scheduled</span></td></tr>
        </tbody>
        </table></div></div>
        """,
        t=SlotTable(timezone="Europe/Berlin", rows=[row], show_env=False),
    )


def test_a_calendar_entry_names_its_environment_and_shows_its_conflicts_without_hovering() -> None:
    e = CalendarEntry(
        kind="window",
        css="rs-ev rs-ev-window rs-env-production rs-conflict",
        href="releases/REL-7/",
        time="20:00",
        env_label="Production",
        colour="#D55E00",
        text="Shop 2.0",
        tip="REL-7 Shop 2.0 → Production (scheduled) — overlaps REL-8 (crm)",
        env="prod",
        service="shop",
        conflicts="overlaps REL-8 (crm)",
    )
    assert_renders(
        '{% from "_calendar.html.j2" import entry %}{{ entry(e, u) }}',
        """
        <a class="rs-ev rs-ev-window rs-env-production rs-conflict" href="../releases/REL-7/" title="REL-7 Shop 2.0 → Production (scheduled) — overlaps REL-8 (crm)" data-kind="window" data-env="prod" data-service="shop" style="--rs-ev: #D55E00"><span class="rs-time">20:00</span> <span class="rs-envtag">Production:</span> Shop 2.0</a>
        <span class="rs-conflicts" data-env="prod"><span class="rs-chip rs-chip-clash">⚠ clash</span>
        overlaps REL-8 (crm)</span>
        """,
        e=e,
    )


def test_an_entry_without_a_release_is_not_a_link() -> None:
    e = CalendarEntry(
        kind="cab",
        css="rs-ev rs-ev-cab",
        href=None,
        time="",
        env_label="",
        colour="",
        text="Change Advisory Board",
        tip="Change Advisory Board",
        env=None,
        service=None,
        conflicts="",
    )
    assert_renders(
        '{% from "_calendar.html.j2" import entry %}{{ entry(e, u) }}',
        '<span class="rs-ev rs-ev-cab" title="Change Advisory Board" data-kind="cab">Change Advisory Board</span>',
        e=e,
    )
