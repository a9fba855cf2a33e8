"""The small macros that became functions (plan/markup.py) print exactly what the macros printed,
and printed values are escaped exactly as MarkupSafe escapes them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup, escape

from relsite.plan import markup
from relsite.plan.formatting import label
from relsite.plan.pages.month_bars import CalendarEntry
from relsite.plan.view_parts import ReleaseRow

# The macros as they were written in _macros.html.j2 before they became functions.
_MACROS = """\
{% macro badge(kind, value, text=None) %}<span class="rs-badge rs-{{ kind }} rs-{{ kind }}-{{ value }}">{{ text or value|label }}</span>{% endmacro %}

{% macro as_of(a) %}
<p class="rs-asof" data-rs-built="{{ a.iso }}">Status as of <strong>{{ a.text }}</strong>.</p>
{% endmacro %}

{% macro table_open(kind="", attrs="") -%}
<div class="md-typeset__scrollwrap"><div class="md-typeset__table rs-table"><table{% if kind %} data-rs="{{ kind }}"{% endif %}{{ attrs }}>
{%- endmacro %}
{% macro table_close() %}</table></div></div>{% endmacro %}

{% macro link(l, u) %}<a href="{{ u(l.href) }}">{{ l.text }}</a>{% endmacro %}

{% macro entry(e, u) %}
{% set body %}{% if e.time %}<span class="rs-time">{{ e.time }}</span> {% endif %}
{%- if e.env_label %}<span class="rs-envtag">{{ e.env_label }}:</span> {% endif %}{{ e.text }}{% endset %}
{% if e.href %}<a class="{{ e.css }}" href="{{ u(e.href) }}" title="{{ e.tip }}" data-kind="{{ e.kind }}"
{%- if e.env %} data-env="{{ e.env }}"{% endif %} data-service="{{ e.service }}"
{%- if e.colour %} style="--rs-ev: {{ e.colour }}"{% endif %}>{{ body }}</a>
{% else %}<span class="{{ e.css }}" title="{{ e.tip }}" data-kind="{{ e.kind }}">{{ body }}</span>{% endif %}
{% if e.conflicts %}<span class="rs-conflicts"{% if e.env %} data-env="{{ e.env }}"{% endif %}><span class="rs-chip rs-chip-clash">⚠ clash</span>
{{ e.conflicts }}</span>{% endif %}
{% endmacro %}

{% macro release_rows(rows, u) %}
{% for r in rows %}
<tr data-service="{{ r.service_name }}" data-status="{{ r.status }}" data-text="{{ r.search_text }}">
<td class="rs-id" data-label="Release">{{ link(r.release, u) }} {{ r.title }} {{ badge('type', r.type) }}</td>
<td class="rs-prod" data-label="Production" data-sort="{{ r.production_sort }}"><strong>{{ r.production }}</strong></td>
<td data-label="Service">{{ link(r.service, u) }} {{ r.version }}</td>
<td data-label="Status">{{ badge('status', r.status) }}{% if r.readiness %}<br><span class="rs-readiness-tag
{%- if r.readiness_missing %} rs-readiness-missing{% endif %}">handover {{ r.readiness }}</span>{% endif %}</td>
<td data-label="Risk">{{ badge('risk', r.risk) }}</td>
</tr>
{% endfor %}
{% endmacro %}
"""


@lru_cache(maxsize=1)
def _macros() -> object:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["label"] = label
    return env.from_string(_MACROS).module


class Status(StrEnum):
    IN_TEST = "in_test"
    ODD = "o<d>&'\""


@dataclass
class Link:
    href: str
    text: object


@dataclass
class AsOf:
    iso: str
    text: str


_TEXT = st.text(alphabet="ab_<>&'\" é", max_size=12)
_VALUES = st.one_of(_TEXT, st.sampled_from(list(Status)), st.integers(-5, 5), _TEXT.map(Markup))


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.one_of(_TEXT, st.sampled_from(list(Status))), st.one_of(st.none(), _VALUES))
def test_badge_prints_what_the_macro_printed(kind: str, value: str, text: object) -> None:
    assert markup.badge(kind, value, text) == _macros().badge(kind, value, text)  # type: ignore[attr-defined]
    assert markup.badge(kind, value) == _macros().badge(kind, value)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(_TEXT, _VALUES, _TEXT, _TEXT)
def test_links_dates_and_tables_print_what_the_macros_printed(href: str, text: object, kind: str, attrs: str) -> None:
    m = _macros()
    link = Link(href, text)
    assert markup.html_link(link, lambda to: "../" + to) == m.link(link, lambda to: "../" + to)  # type: ignore[attr-defined]
    assert markup.as_of(AsOf(href, kind)) == m.as_of(AsOf(href, kind))  # type: ignore[attr-defined]
    assert markup.table_open(kind, attrs) == m.table_open(kind, attrs)  # type: ignore[attr-defined]
    assert markup.table_open() == m.table_open()  # type: ignore[attr-defined]
    assert markup.table_close() == m.table_close()  # type: ignore[attr-defined]


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_printed_values_are_escaped_as_markupsafe_escapes_them(value: object) -> None:
    assert markup.escape_output(value) == str(escape(value))


def test_the_fallback_escape_matches_markupsafe() -> None:
    text = "a<b>&c'd\"e &amp; é"
    assert markup._escape_inner_fallback(text) == str(escape(text))


def test_a_missing_field_still_stops_the_render() -> None:
    with pytest.raises(UndefinedError, match="has no attribute 'href'"):
        markup.html_link(object(), lambda to: to)


_MAYBE = st.one_of(st.just(""), _TEXT)


@settings(max_examples=800, deadline=None)
@given(
    st.builds(
        CalendarEntry,
        kind=_TEXT,
        css=_TEXT,
        href=st.one_of(st.none(), _TEXT),
        time=_MAYBE,
        env_label=_MAYBE,
        colour=_MAYBE,
        text=_TEXT,
        tip=_TEXT,
        env=st.one_of(st.none(), _TEXT),
        service=st.one_of(st.none(), _TEXT),
        conflicts=_MAYBE,
    )
)
def test_a_calendar_entry_prints_what_the_macro_printed(entry: CalendarEntry) -> None:
    def u(to: str) -> str:
        return "../../" + to

    assert markup.calendar_entry(entry, u) == _macros().entry(entry, u)  # type: ignore[attr-defined]


_LINKS = st.builds(Link, href=_TEXT, text=_TEXT)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(
            ReleaseRow,
            release=_LINKS,
            title=_TEXT,
            service=_LINKS,
            service_name=_TEXT,
            version=_TEXT,
            type=_TEXT,
            status=_TEXT,
            risk=_TEXT,
            production=_TEXT,
            production_sort=_TEXT,
            search_text=_TEXT,
            readiness=_MAYBE,
            readiness_missing=st.booleans(),
        ),
        max_size=3,
    )
)
def test_release_rows_print_what_the_macro_printed_at_every_depth_and_again(rows: list[ReleaseRow]) -> None:
    for prefix in ("", "../", "../../", ""):  # the second "" is written from the rows' kept HTML
        expected = _macros().release_rows(rows, lambda to, p=prefix: (p + to) or "./")  # type: ignore[attr-defined]
        assert markup.release_rows(rows, lambda to, p=prefix: (p + to) or "./") == expected
