"""The incremental re-planner against the full plan: after random edits to random releases, the last
site with each update's delta applied is exactly ``plan()`` of the edited portfolio — every page's
body, title, toc, description and hide, every asset's bytes, every fragment. Several updates run in
a row on one re-planner; edits that do not validate are skipped, as the preview skips them."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synth import generate
from relsite.plan import plan
from relsite.plan.incremental import Delta, Replanner
from relsite.plan.site import Site
from relsite.validate.checker import CheckResult, check_folder, recheck
from relsite.validate.portfolio import Portfolio
from tests.support.projects import PORTAL
from tests.support.release_edits import Edit, dump, edits

TODAY = dt.date(2026, 11, 27)
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
PageText = tuple[str, str, tuple[tuple[str, str], ...], str, tuple[str, ...]]


def _page_text(site: Site) -> dict[str, PageText]:
    return {p.src_uri: (p.render(), p.title, p.toc, p.description, p.hide) for p in site.pages}


def _asset_bytes(site: Site) -> dict[str, bytes]:
    return {a.path: a.render() for a in site.assets}


@dataclass
class Applied:
    """What a preview shows: the first site, then each delta laid over it."""

    pages: dict[str, PageText]
    assets: dict[str, bytes]
    fragments: dict[str, str]

    @classmethod
    def of(cls, site: Site) -> Applied:
        return cls(_page_text(site), _asset_bytes(site), dict(site.fragments))

    def apply(self, delta: Delta) -> None:
        for p in delta.pages:
            assert p.src_uri in self.pages, f"a delta page the site does not have: {p.src_uri}"
            self.pages[p.src_uri] = (p.render(), p.title, p.toc, p.description, p.hide)
        for a in delta.assets:
            assert a.path in self.assets, f"a delta asset the site does not have: {a.path}"
            self.assets[a.path] = a.render()
        self.fragments.update(delta.fragments)


@dataclass(frozen=True)
class Case:
    folder: Path
    result: CheckResult
    data: dict[str, dict[str, Any]]
    site_url: str
    prefix: str


_CASES: dict[str, Case] = {}


def _case(name: str, tmp: Path) -> Case:
    """The portfolio, checked once per session (hypothesis runs many examples on it)."""
    if name not in _CASES:
        folder = PORTAL if name == "portal" else generate(40, tmp / name, seed=7, today=TODAY)
        result = check_folder(folder, 1, today=TODAY)
        assert result.portfolio is not None and not result.errors, result.errors[:3]
        found = (yaml.safe_load(p.read_bytes()) for p in sorted(folder.rglob("*.yaml")) if p.name != "portfolio.yaml")
        data = {d["id"]: d for d in found if isinstance(d, dict) and "id" in d}
        site_url, prefix = ("", "") if name == "portal" else ("https://portal.example.com/", "portal/")
        _CASES[name] = Case(folder, result, data, site_url, prefix)
    return _CASES[name]


def _edited(result: CheckResult, data: dict[str, dict[str, Any]], release_id: str, edit: Edit) -> CheckResult:
    pf = result.portfolio
    assert pf is not None
    edit.apply(data[release_id], [r.id for r in pf.releases], list(pf.services), [e.name for e in pf.environments])
    return recheck(result, release_id, dump(data[release_id]))


def _assert_same(applied: Applied, expected: Site) -> None:
    pages, assets = _page_text(expected), _asset_bytes(expected)
    assert list(applied.pages) == list(pages)
    assert [k for k in pages if applied.pages[k] != pages[k]] == []
    assert list(applied.assets) == list(assets)
    assert [k for k in assets if applied.assets[k] != assets[k]] == []
    assert applied.fragments == expected.fragments


def _run(case: Case, steps: list[tuple[int, Edit]], every_step: bool = True) -> None:
    """``every_step``: compare with ``plan()`` after each update; else after the last one only (a full
    plan between updates empties what the re-planner's caches kept, as a build keeps nothing)."""
    result = case.result
    data = copy.deepcopy(case.data)
    pf: Portfolio | None = result.portfolio
    assert pf is not None
    replanner = Replanner(pf, TODAY, case.site_url, case.prefix)
    applied = Applied.of(replanner.site)
    for pick, edit in steps:
        release_id = pf.releases[pick % len(pf.releases)].id
        before = copy.deepcopy(data[release_id])
        edited = _edited(result, data, release_id, edit)
        if edited.errors or edited.portfolio is None:
            data[release_id] = before
            continue
        result, pf = edited, edited.portfolio
        delta = replanner.update(pf, [release_id])
        if delta is None:
            replanner = Replanner(pf, TODAY, case.site_url, case.prefix)
            applied = Applied.of(replanner.site)
        else:
            applied.apply(delta)
        if every_step:
            _assert_same(applied, plan(pf, TODAY, case.site_url, case.prefix))
    if not every_step:
        _assert_same(applied, plan(pf, TODAY, case.site_url, case.prefix))


steps = st.lists(st.tuples(st.integers(min_value=0, max_value=1000), edits), min_size=1, max_size=4)


@pytest.mark.parametrize("name", ["portal", "synthetic"])
def test_updates_applied_to_the_site_give_the_full_plan(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    case = _case(name, tmp_path_factory.mktemp("replan"))

    @SETTINGS
    @given(steps)
    def check(drawn: list[tuple[int, Edit]]) -> None:
        _run(case, drawn)

    check()


@pytest.mark.parametrize("name", ["portal", "synthetic"])
def test_updates_in_a_row_without_a_full_plan_between_give_the_full_plan(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case = _case(name, tmp_path_factory.mktemp("replan"))

    @SETTINGS
    @given(st.lists(st.tuples(st.integers(min_value=0, max_value=1000), edits), min_size=2, max_size=6))
    def check(drawn: list[tuple[int, Edit]]) -> None:
        _run(case, drawn, every_step=False)

    check()
