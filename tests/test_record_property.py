"""Property: `relsite record` on a release file in any layout relsite accepts edits exactly the
recorded values and nothing else (a small-scale run of tests/fuzz/fuzz_record.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzz.record_layouts import check_record, deployment, release_text

pytestmark = pytest.mark.slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_record_in_any_layout_changes_exactly_the_recorded_values(data: st.DataObject) -> None:
    def pick(options):  # type: ignore[no-untyped-def]
        return data.draw(st.sampled_from(list(options)))

    text = release_text(pick)
    record = deployment(pick)
    assert check_record(text, record) in ("edited", "skipped"), (text, record)


def test_the_layouts_are_releases_the_property_can_edit() -> None:
    """Guard against a property that passes because every generated file is skipped."""
    text = release_text(lambda options: next(iter(options)))
    assert check_record(text, deployment(lambda options: list(options)[-1])) == "edited"
