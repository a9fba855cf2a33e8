"""Timing of the incremental re-planner on a cached synthetic portfolio (not a test: a measurement).

    .venv/bin/python -m tests.support.replan_timing /tmp/relsite-bench/n1000-lines [--verify]

Plans the portfolio, renders every page and asset once (the preview's first build), then edits one
release's title, moves one production window into another month, and changes one status, each
through ``recheck``; for each it reports the CPU time of ``update`` and of rendering the delta's
pages and assets, with the cyclic collector paused as the preview pauses it. ``--verify`` compares
the site after each update with a full plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import re
import time
from collections.abc import Callable
from pathlib import Path

from relsite.plan import plan
from relsite.plan.incremental import Replanner
from relsite.validate.checker import CheckResult, check_folder, recheck
from relsite.validate.models import Release

TODAY = dt.date(2026, 11, 27)


def _file(folder: Path, release_id: str) -> Path:
    return next(folder.rglob(f"{release_id}.yaml"))


def _moved_window(r: Release, tz: dt.tzinfo, days: int) -> Callable[[str], str]:
    window = r.environments["prod"].window
    assert window is not None

    def local(t: dt.datetime) -> str:
        return t.astimezone(tz).strftime("%Y-%m-%dT%H:%M")

    def edit(text: str) -> str:
        moved = (window.start + dt.timedelta(days=days), window.end + dt.timedelta(days=days))
        return text.replace(
            f"start: {local(window.start)}, end: {local(window.end)}",
            f"start: {local(moved[0])}, end: {local(moved[1])}",
        )

    return edit


def _edits(result: CheckResult) -> list[tuple[str, str, Callable[[str], str]]]:
    pf = result.portfolio
    assert pf is not None
    middle = pf.releases[len(pf.releases) // 2]
    ahead = [
        r
        for r in pf.releases
        if r.status in ("planned", "approved")
        and "prod" in r.environments
        and r.environments["prod"].window is not None
        and r.environments["prod"].window.start.date() > TODAY
    ]
    moving = ahead[len(ahead) // 2]
    approved = [r for r in pf.releases if r.status == "approved"]
    status = approved[len(approved) // 3]
    return [
        (
            "title",
            middle.id,
            lambda text: re.sub(r"^title: (.*)$", r"title: \1 (edited)", text, count=1, flags=re.MULTILINE),
        ),
        ("window +35 days", moving.id, _moved_window(moving, pf.tz, 35)),
        ("status approved -> planned", status.id, lambda text: text.replace("status: approved", "status: planned", 1)),
    ]


def _same_as_full_plan(replanner: Replanner, result: CheckResult) -> bool:
    assert result.portfolio is not None
    full = plan(result.portfolio, TODAY)
    pages = {p.src_uri: (p.render(), p.title, p.toc, p.description, p.hide) for p in full.pages}
    mine = {p.src_uri: (p.render(), p.title, p.toc, p.description, p.hide) for p in replanner.site.pages}
    return pages == mine and {a.path: a.render() for a in full.assets} == {
        a.path: a.render() for a in replanner.site.assets
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portfolio", type=Path, help="a folder with releases/ (bench/synth.py makes one)")
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()
    folder = args.portfolio / "releases"
    result = check_folder(folder, 1, today=TODAY)
    assert result.portfolio is not None and not result.errors
    start = time.process_time()
    replanner = Replanner(result.portfolio, TODAY)
    for p in replanner.site.pages:
        p.render()
    for a in replanner.site.assets:
        a.render()
    print(
        f"{len(result.portfolio.releases)} releases: plan and render everything {time.process_time() - start:.2f} s CPU"
    )
    for label, release_id, edit in _edits(result):
        result = recheck(
            result, release_id, edit(_file(folder, release_id).read_text(encoding="utf-8")).encode("utf-8")
        )
        assert result.portfolio is not None and not result.errors, result.errors[:3]
        gc.disable()
        start = time.process_time()
        delta = replanner.update(result.portfolio, [release_id])
        planned = time.process_time()
        if delta is None:
            print(f"{label} ({release_id}): needs a full plan")
            replanner = Replanner(result.portfolio, TODAY)
            continue
        for p in delta.pages:
            p.render()
        for a in delta.assets:
            a.render()
        done = time.process_time()
        gc.enable()
        print(
            f"{label} ({release_id}): update {planned - start:.3f} s + render {done - planned:.3f} s "
            f"= {done - start:.3f} s CPU; "
            f"{len(delta.pages)} pages, {len(delta.assets)} assets, {len(delta.fragments)} fragments"
        )
        if args.verify:
            print(f"  same as a full plan: {_same_as_full_plan(replanner, result)}")


if __name__ == "__main__":
    main()
