"""Loading in worker processes (validate(jobs=N)) must give exactly what loading in-process gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.synth import generate
from relsite.load.folder import PARALLEL_FROM
from relsite.validate.checker import CheckResult as Result
from relsite.validate.checker import check_folder as validate
from relsite.validate.models import Release


@pytest.fixture(scope="module")
def large_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    releases = generate(PARALLEL_FROM + 50, tmp_path_factory.mktemp("large"), seed=3, today=dt.date(2026, 11, 27))
    files = sorted(releases.rglob("REL-*.yaml"))
    # a few mistakes spread over the files, so that problems come back from several workers
    files[3].write_text(files[3].read_text().replace("risk: ", "risk: extreme\nrisk_was: ", 1))
    files[len(files) // 2].write_text("id: [unclosed\n")
    text = files[-2].read_text()
    files[-2].write_text(text.replace("handover:\n", 'handover:\n  runbook_note: "password: hunter2hunter2"\n', 1))
    return releases


def test_parallel_loading_finds_the_same_problems_in_the_same_order(large_portfolio: Path) -> None:
    serial, parallel = validate(large_portfolio, jobs=1), validate(large_portfolio, jobs=2)
    assert len(serial.errors) >= 3
    assert [p.format() for p in parallel.problems] == [p.format() for p in serial.problems]


def test_parallel_loading_gives_the_same_releases_in_the_same_order(large_portfolio: Path) -> None:
    serial, parallel = validate(large_portfolio, jobs=1), validate(large_portfolio, jobs=2)
    assert serial.files == parallel.files
    assert [r.model_dump() for r in _releases(parallel)] == [r.model_dump() for r in _releases(serial)]


def test_positions_survive_the_trip_back_from_a_worker(large_portfolio: Path) -> None:
    parallel = validate(large_portfolio, jobs=2)
    release = _releases(parallel)[-1]
    assert release.source.at("environments", "prod", "window", "start") != (1, 1)


def _releases(result: Result) -> list[Release]:
    assert result.portfolio is not None, "portfolio.yaml should be valid"
    return list(result.portfolio.releases)


def test_a_worker_that_fails_has_its_share_loaded_again_here(
    large_portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import relsite.load.folder as loading

    parent, real = os.getpid(), loading.load_one

    def failing_in_children(path: Path, inspect: object = None) -> object:
        if os.getpid() != parent:
            raise RuntimeError("worker failure")
        return real(path, inspect)  # type: ignore[arg-type]

    serial = validate(large_portfolio, jobs=1)
    monkeypatch.setattr(loading, "load_one", failing_in_children)
    parallel = validate(large_portfolio, jobs=2)
    assert [p.format() for p in parallel.problems] == [p.format() for p in serial.problems]
    assert len(_releases(parallel)) == len(_releases(serial))
