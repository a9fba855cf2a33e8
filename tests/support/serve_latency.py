"""Seconds from saving an edited release file to `relsite serve` serving the changed page.

    python -m tests.support.serve_latency /tmp/relsite-bench/n1000-lines [--today 2026-11-27]

The project is copied first (the cached one is never edited). Three edits, each timed from the
write to the first response of the release's page that shows it: a title, the dates moved to the
next month, a status (approved → on_hold). Not a test: a measurement for the issue's report.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.support.projects import clean_env, free_port

_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)")


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # loopback
            return str(r.read().decode("utf-8"))
    except OSError:
        return ""


def _page(url: str) -> str:
    """The page as built: without the reload script the server adds (it holds the build number)."""
    return re.sub(r'<script id="relsite-live">.*?</script>', "", _fetch(url), flags=re.DOTALL)


def _wait(url: str, check: Callable[[str], bool], started: float, limit: float = 120) -> float:
    """Seconds from ``started`` until the page at ``url`` passes ``check``."""
    while time.monotonic() - started < limit:
        if check(_page(url)):
            return time.monotonic() - started
        time.sleep(0.02)
    raise TimeoutError(url)


def _next_month(text: str) -> str:
    def move(m: re.Match[str]) -> str:
        year, month = int(m.group(1)), int(m.group(2))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return f"{year}-{month:02d}-{m.group(3)}"
    return _DATE.sub(move, text)


def _candidates(releases: Path) -> tuple[Path, Path, Path]:
    """A release to retitle, one whose dates move safely (days up to 28), one approved to put on hold."""
    approved = sorted(p for p in releases.rglob("REL-*.yaml") if "\nstatus: approved" in p.read_text())
    movable = [p for p in approved if all(int(d) <= 28 for _, _, d in _DATE.findall(p.read_text()))]
    return approved[0], movable[len(movable) // 2], approved[-1]


def _edit(path: Path, change: Callable[[str], str]) -> float:
    text = change(path.read_text())
    started = time.monotonic()
    path.write_text(text)
    return started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    project = work / "p"
    shutil.copytree(args.project, project, ignore=shutil.ignore_patterns("site", ".site-*"))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "relsite", "serve", "--today", args.today, "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=clean_env(), stderr=subprocess.PIPE, text=True)
    try:
        title, moved, status = _candidates(project / "releases")
        base = f"http://127.0.0.1:{port}/releases/"
        print(f"first build served after {_wait(base, lambda t: 'REL-' in t, time.monotonic(), 600):.2f} s")
        for name, path, change, shown in (
            ("title edit", title, lambda t: t.replace("\ntitle: ", "\ntitle: Retitled ", 1), lambda t: "Retitled " in t),
            ("dates to next month", moved, _next_month, None),
            ("status approved → on_hold", status, lambda t: t.replace("\nstatus: approved", "\nstatus: on_hold", 1), None),
        ):
            url = base + path.stem + "/"
            before = _page(url)
            started = _edit(path, change)
            check = shown or (lambda t, b=before: bool(t) and t != b)
            seconds = _wait(url, check, started)
            print(f"{name} ({path.name}): {seconds:.2f} s")
            time.sleep(1)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    print("".join(line + "\n" for line in err.splitlines() if "relsite serve:" in line or "error" in line), end="")


if __name__ == "__main__":
    main()
