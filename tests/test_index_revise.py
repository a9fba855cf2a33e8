"""A re-planned portfolio index (plan/index_revise.py) against a fresh one: after random edits to
random releases, every lookup the revision keeps or makes again (lines, what is live, years,
services, dependents, overruns and clashes, the attention items, the deployment ledger) reads as
a fresh index's.
The pages built from them are held to a full plan by tests/test_replan_property.py; this test
names the lookup that went wrong."""

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
from relsite.plan import deployment_ledger, index_revise
from relsite.plan.attention import attention_items, concerns
from relsite.plan.deployment_ledger import entries
from relsite.plan.index import PortfolioIndex, Slot
from relsite.plan.line_status import release_support
from relsite.plan.view_parts import live_cell, release_row, slot_row
from relsite.validate.checker import CheckResult, check_folder, recheck
from tests.support.projects import PORTAL
from tests.support.release_edits import Edit, dump, edits

TODAY = dt.date(2026, 11, 27)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))

_CHECKED: dict[str, tuple[CheckResult, dict[str, dict[str, Any]]]] = {}


def _checked(name: str, tmp: Path) -> tuple[CheckResult, dict[str, dict[str, Any]]]:
    if name not in _CHECKED:
        folder = PORTAL if name == "portal" else generate(60, tmp / name, seed=11, today=TODAY)
        result = check_folder(folder, 1, today=TODAY)
        assert result.portfolio is not None and not result.errors, result.errors[:3]
        found = (yaml.safe_load(p.read_bytes()) for p in sorted(folder.rglob("*.yaml")) if p.name != "portfolio.yaml")
        _CHECKED[name] = (result, {d["id"]: d for d in found if isinstance(d, dict) and "id" in d})
    return _CHECKED[name]


_LOOKUPS = ("slots", "slots_by_env", "in_progress_slots", "groups", "by_track", "live", "by_year", "by_service")


def _used(ix: PortfolioIndex) -> PortfolioIndex:
    """Every lookup made, as a plan makes them before the next edit."""
    for name in (*_LOOKUPS, "dependents"):
        getattr(ix, name)
    concerns(ix)
    for s in ix.slots:
        slot_row(ix, s)
    for r in ix.pf.releases:
        release_support(ix, r)
        release_row(ix, r)
    for env, tracks in ix.live.items():
        for track in tracks:
            live_cell(ix, env, track)
    return ix


def _ids(groups: dict[Any, list[Any]]) -> dict[Any, list[str]]:
    return {key: [r.id for r in rs] for key, rs in groups.items()}


def _live(ix: PortfolioIndex) -> dict[str, list[tuple[Any, str, dt.datetime, Any]]]:
    return {
        env: [(t, lv.release.id, lv.since, live_cell(ix, env, t)) for t, lv in tracks.items()]
        for env, tracks in ix.live.items()
    }


def _slot_ids(slots: list[Slot]) -> list[tuple[str, str]]:
    return [(s.release.id, s.env) for s in slots]


def _same(revised: PortfolioIndex, fresh: PortfolioIndex) -> None:
    assert _ids(revised.by_track) == _ids(fresh.by_track)  # looked up only: key order is free
    assert _live(revised) == _live(fresh)
    assert list(revised.by_year) == list(fresh.by_year) and _ids(revised.by_year) == _ids(fresh.by_year)
    assert _ids(revised.by_service) == _ids(fresh.by_service)
    assert _ids(revised.dependents) == _ids(fresh.dependents)
    mine, theirs = concerns(revised), concerns(fresh)
    assert mine.overruns == theirs.overruns
    assert [(c.env, c.first.id, c.second.id) for c in mine.clashes] == [
        (c.env, c.first.id, c.second.id) for c in theirs.clashes
    ]
    assert _ids(mine.clash_with) == _ids(theirs.clash_with)
    assert _slot_ids(revised.in_progress_slots) == _slot_ids(fresh.in_progress_slots)
    assert {env: _slot_ids(ss) for env, ss in revised.slots_by_env.items()} == {
        env: _slot_ids(ss) for env, ss in fresh.slots_by_env.items()
    }
    assert [slot_row(revised, s) for s in revised.slots] == [slot_row(fresh, s) for s in fresh.slots]
    for r in fresh.pf.releases:
        assert release_support(revised, r) == release_support(fresh, r), r.id
        assert release_row(revised, r) == release_row(fresh, r), r.id


def _run(result: CheckResult, data: dict[str, dict[str, Any]], steps: list[tuple[int, Edit]]) -> int:
    """Applies the valid edits one after another; the number applied."""
    data = copy.deepcopy(data)
    pf = result.portfolio
    assert pf is not None
    ix, applied = _used(PortfolioIndex(pf, TODAY)), 0
    for pick, edit in steps:
        rid = pf.releases[pick % len(pf.releases)].id
        before = copy.deepcopy(data[rid])
        edit.apply(data[rid], [r.id for r in pf.releases], list(pf.services), [e.name for e in pf.environments])
        edited = recheck(result, rid, dump(data[rid]))
        if edited.errors or edited.portfolio is None:
            data[rid] = before
            continue
        ledger = deployment_ledger.revised(entries(result.portfolio), [rid], entries(edited.portfolio, [rid]))
        assert ledger == entries(edited.portfolio)
        result, pf = edited, edited.portfolio
        revised = PortfolioIndex(pf, TODAY)
        index_revise.revise(revised, ix)
        items = attention_items(revised, (attention_items(ix), [rid]))
        fresh = PortfolioIndex(pf, TODAY)
        _same(revised, fresh)
        assert [(i.kind, i.release.id, i.message) for i in items] == [
            (i.kind, i.release.id, i.message) for i in attention_items(fresh)
        ]
        ix, applied = _used(revised), applied + 1
    return applied


steps = st.lists(st.tuples(st.integers(min_value=0, max_value=1000), edits), min_size=1, max_size=5)


@pytest.mark.parametrize("name", ["portal", "synthetic"])
def test_a_revised_index_reads_as_a_fresh_one(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    result, data = _checked(name, tmp_path_factory.mktemp("revise"))

    @SETTINGS
    @given(steps)
    def check(drawn: list[tuple[int, Edit]]) -> None:
        _run(result, data, drawn)

    check()


def test_a_revision_keeps_the_lines_an_edit_did_not_touch(tmp_path_factory: pytest.TempPathFactory) -> None:
    result, data = _checked("synthetic", tmp_path_factory.mktemp("revise"))
    pf = result.portfolio
    assert pf is not None
    ix = _used(PortfolioIndex(pf, TODAY))
    r = pf.releases[len(pf.releases) // 2]
    edited = recheck(result, r.id, dump({**data[r.id], "title": data[r.id]["title"] + " renamed"}))
    assert edited.portfolio is not None and not edited.errors
    revised = PortfolioIndex(edited.portfolio, TODAY)
    index_revise.revise(revised, ix)
    touched = ix.track(r)
    others = [t for t in ix.by_track if t != touched]
    assert others and all(revised.by_track[t] is ix.by_track[t] for t in others)
    assert revised.by_track[touched] is not ix.by_track[touched]


def test_a_revision_decides_again_the_items_of_releases_depending_on_an_edited_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    result, data = _checked("portal", tmp_path_factory.mktemp("revise"))
    pf = result.portfolio
    assert pf is not None
    ix = _used(PortfolioIndex(pf, TODAY))
    before = attention_items(ix)
    waiting = [i for i in before if i.kind == "dependency"]
    assert waiting, "the portal has a release waiting for a dependency"
    needed = waiting[0].message.split("depends on ")[1].split(",")[0]
    prod = pf.production
    edited_data = copy.deepcopy(data[needed])
    dep = edited_data["environments"][prod]
    dep.update(status="deployed", deployed_at=dt.datetime(2026, 11, 20, 10, 0))
    edited = recheck(result, needed, dump(edited_data))
    assert edited.portfolio is not None and not edited.errors, edited.errors[:2]
    revised = PortfolioIndex(edited.portfolio, TODAY)
    index_revise.revise(revised, ix)
    items = attention_items(revised, (before, [needed]))
    assert waiting[0].release.id not in {i.release.id for i in items if i.kind == "dependency"}
