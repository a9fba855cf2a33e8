"""A recheck makes the edited portfolio's windows, clashes and freeze hits from the last
portfolio's (validate/windows.py ``revise``): after random edits they equal what a fresh sweep of
the edited portfolio finds, in the same order."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synth import generate
from relsite.validate import windows
from relsite.validate.checker import CheckResult, check_folder, recheck
from relsite.validate.portfolio import Portfolio
from tests.support.release_edits import Edit, dump, edits

TODAY = dt.date(2026, 11, 27)
_CASE: dict[str, tuple[CheckResult, dict[str, dict[str, Any]]]] = {}


def _case(tmp: Path) -> tuple[CheckResult, dict[str, dict[str, Any]]]:
    """A synthetic portfolio whose first releases take the windows of the next (clashes) and whose
    next ones moved into the year-end freeze (freeze hits): the synthetic one avoids both."""
    if not _CASE:
        folder = generate(60, tmp / "synthetic", seed=3, today=TODAY)
        files = {p: yaml.safe_load(p.read_bytes()) for p in sorted(folder.rglob("REL-*.yaml"))}
        data = list(files.values())
        for i in range(0, 12, 2):
            data[i]["environments"] = copy.deepcopy(data[i + 1]["environments"])
        for d in data[12:16]:
            for dep in d["environments"].values():
                if dep.get("window"):
                    dep["window"] = {"start": "2026-12-28T10:00:00+00:00", "end": "2026-12-28T12:00:00+00:00"}
        for path, d in files.items():
            path.write_bytes(dump(d))
        result = check_folder(folder, 1, today=TODAY)
        assert result.portfolio is not None
        _CASE["case"] = (result, {d["id"]: d for d in data})
    return _CASE["case"]


def _slot(s: windows.WindowSlot) -> tuple[str, str, dt.datetime, dt.datetime]:
    return s.release.id, s.env, s.start, s.end


def _found(pf: Portfolio) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        [_slot(s) for s in windows.slots(pf)],
        [(_slot(o.earlier), _slot(o.later)) for o in windows.overlaps(pf)],
        [(_slot(s), fr.name) for s, fr in windows.freeze_hits(pf)],
    )


def _fresh(pf: Portfolio) -> tuple[list[Any], list[Any], list[Any]]:
    """The same portfolio's windows made anew: a copy of it is a portfolio nothing was revised into."""
    return _found(Portfolio(pf.config, pf.config_source, list(pf.releases), today=pf.today))


@pytest.mark.slow
def test_windows_revised_after_random_edits_equal_a_fresh_sweep(tmp_path_factory: pytest.TempPathFactory) -> None:
    first, original = _case(tmp_path_factory.mktemp("windows"))

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, 1000), edits), min_size=1, max_size=5))
    def check(steps: list[tuple[int, Edit]]) -> None:
        result, data = first, copy.deepcopy(original)
        windows.freeze_hits(first.portfolio)  # type: ignore[arg-type]  # as the rules leave them
        for pick, edit in steps:
            pf = result.portfolio
            assert pf is not None
            release_id = pf.releases[pick % len(pf.releases)].id
            edit.apply(
                data[release_id], [r.id for r in pf.releases], list(pf.services), [e.name for e in pf.environments]
            )
            edited = recheck(result, release_id, dump(data[release_id]))
            if edited.portfolio is None:
                return
            assert _found(edited.portfolio) == _fresh(edited.portfolio)
            result = edited

    check()


def test_the_synthetic_portfolio_has_clashes_and_freeze_hits_to_revise(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    result, _ = _case(tmp_path_factory.mktemp("windows"))
    assert result.portfolio is not None
    _, clashes, hits = _found(result.portfolio)
    assert clashes and hits


@pytest.mark.parametrize("how", ["renamed", "unreadable"])
def test_windows_revised_when_a_release_changes_its_id_or_drops_out_equal_a_fresh_sweep(
    how: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result, original = _case(tmp_path_factory.mktemp("windows"))
    pf = result.portfolio
    assert pf is not None
    windows.freeze_hits(pf)
    release_id = pf.releases[0].id  # its windows clash with the next release's
    data = copy.deepcopy(original[release_id])
    edited = recheck(result, release_id, dump({**data, "id": "REL-RENAMED-1"}) if how == "renamed" else b"id: [")
    assert edited.portfolio is not None
    assert len(edited.portfolio.releases) == len(pf.releases) - (how == "unreadable")
    assert _found(edited.portfolio) == _fresh(edited.portfolio)
