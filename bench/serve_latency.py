"""The author's loop: seconds from saving a release file to `relsite serve` serving the change.

Ten edits of three kinds, each to a different release (a title, a production date moved into
another month, a status), saved one after another into a running ``relsite serve``; each is timed
from the moment the file is written until the release's page is served changed and the preview
says it is idle again (``/.relsite/live/status`` when the server has it; otherwise the release page
alone). Every edit is checked with relsite's own ``recheck`` before it is saved, so that the
figures measure valid changes, not error pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EDITS = 10
KINDS = ("title", "date", "status")
POLL = 0.02


@dataclass(frozen=True)
class Edit:
    kind: str
    path: Path
    release_id: str
    before: str
    after: str


@dataclass(frozen=True)
class Latency:
    kind: str
    release_id: str
    seconds: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return str(resp.read().decode())
    except OSError:
        return None


def _wait(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(POLL)
    return False


_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)(T\d\d:\d\d)?")


def _moved(text: str, days: int) -> str:
    """Every date and time of the file moved by ``days``: the windows keep their order and length."""

    def shift(m: re.Match[str]) -> str:
        day = dt.date.fromisoformat(m.group(1)) + dt.timedelta(days=days)
        return day.isoformat() + (m.group(2) or "")

    return _DATE.sub(shift, text)


def _candidates(kind: str, text: str, n: int) -> list[str]:
    if kind == "title":
        return [text.replace("\ntitle: ", f"\ntitle: Renamed {n} ", 1)]
    if kind == "date":
        return [_moved(text, days) for days in (35, -35, 63, -63)]
    statuses = ("cancelled", "on_hold", "approved", "planned")
    current = re.search(r"^status: (\S+)$", text, re.MULTILINE)
    return [
        re.sub(r"^status: \S+$", f"status: {s}", text, count=1, flags=re.MULTILINE)
        for s in statuses
        if current and current.group(1) != s
    ]


def plan_edits(project: Path) -> list[Edit]:
    """Ten valid edits of the three kinds to ten releases spread over the portfolio."""
    from relsite.validate.checker import check_folder, recheck

    folder = project / "releases"
    result = check_folder(folder, 1, today=dt.date(2026, 11, 27))
    assert result.portfolio is not None, "the benchmark portfolio does not validate"
    releases = result.portfolio.releases
    edits: list[Edit] = []
    step = max(1, len(releases) // (EDITS * 3))
    index = len(releases) // 3
    while len(edits) < EDITS and index < len(releases) * 2:
        r = releases[index % len(releases)]
        index += step
        path = Path(r.file).resolve()  # a display path: relative to where the check ran
        before = path.read_text(encoding="utf-8")
        kind = KINDS[len(edits) % len(KINDS)]
        for after in _candidates(kind, before, len(edits)):
            if not recheck(result, r.id, after.encode()).errors:
                edits.append(Edit(kind, path, r.id, before, after))
                break
    return edits


def _status(base: str) -> dict[str, object] | None:
    text = _fetch(base + ".relsite/live/status")
    try:
        return dict(json.loads(text)) if text else None
    except ValueError:
        return None


def measure(project: Path, relsite: Path, today: str, timeout: float = 900) -> list[Latency]:
    """Start ``relsite serve`` in ``project``, make the edits one by one, and time each."""
    edits = plan_edits(project)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [str(relsite), "serve", "--today", today, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: list[Latency] = []
    try:
        first = edits[0].release_id
        assert _wait(lambda: first in (_fetch(f"{base}releases/{first}/") or ""), timeout), "serve did not come up"
        # An author saves seconds after the preview opened, not at once: wait until the session is
        # ready to publish an edit without a full build (older servers have no status: go on).
        _wait(lambda: (_status(base) or {"incremental": True}).get("incremental") is True, timeout)
        for edit in edits:
            url = f"{base}releases/{edit.release_id}/"
            page = _fetch(url)
            status = _status(base)
            build = status.get("build") if status else None
            edit.path.write_text(edit.after, encoding="utf-8")
            start = time.perf_counter()

            def done(
                url: str = url, page: str | None = page, build: object = build, live: bool = status is not None
            ) -> bool:
                if live:
                    now = _status(base)
                    if not now or now.get("build") == build or now.get("state") != "ok":
                        return False
                served = _fetch(url)
                return served is not None and served != page

            assert _wait(done, timeout), f"serve did not show the {edit.kind} edit of {edit.release_id}"
            results.append(Latency(edit.kind, edit.release_id, time.perf_counter() - start))
    finally:
        for edit in edits:
            edit.path.write_text(edit.before, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=60)
    return results


def summary(results: list[Latency]) -> str:
    by_kind = {k: [r.seconds for r in results if r.kind == k] for k in KINDS}
    parts = ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in by_kind.items() if v)
    every = sorted(r.seconds for r in results)
    return (
        f"median {statistics.median(every):.2f} s over {len(every)} edits (min {every[0]:.2f}, max {every[-1]:.2f}; "
        f"by kind: {parts})"
    )
