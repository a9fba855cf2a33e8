"""Convert CPython's published release history (python/peps: release_management/python-releases.toml,
public domain) into a relsite portfolio, to build a real 25-year history with relsite.

    python tools/python_releases.py python-releases.toml OUT_FOLDER

CPython becomes one service (``cpython``) and each feature branch one of its support lines, with
the branch's published dates as phases: previews from its first pre-release, active support from
its first release, security fixes only from its end of bugfix releases, end of life. Each final
release becomes a release with its production date; pre-releases are left out. Releases that
already happened are deployed, with the handover every deployed release needs; scheduled ones are
planned. One release team ships them all (the owner), so branches released on the same day are
coordinated, not clashes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

FINAL = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?: final)?$")
OWNER = "Python release team"
PORTFOLIO = """name: CPython
timezone: UTC
environments:
  - {{name: prod, title: Published, production: true}}
services:
  - name: cpython
    title: Python
    owner: {owner}
    description: The CPython interpreter; each feature branch is a support line.
    lines:
{lines}
"""
PHASE_KEYS = (("active", "first-release"), ("security", "end-of-bugfix"), ("end_of_life", "end-of-life"))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def release_yaml(branch: str, version: str, day: dt.date, actual: bool, manager: str, feature: bool) -> str:
    rid = f"python-{version}"
    kind = "feature" if feature else "bugfix or security"
    start, end = f"{day.isoformat()}T12:00:00Z", f"{day.isoformat()}T13:00:00Z"
    deployed = f"\n    deployed_at: {start}" if actual else ""
    handover = (
        (
            "handover:\n  runbook: https://devguide.python.org/versions/\n  support: {team: " + _q(OWNER) + "}\n"
            "  rollback: A faulty release is followed by a new micro release.\n"
        )
        if actual
        else ""
    )
    return (
        f"id: {rid}\ntitle: {_q('Python ' + version)}\nservice: cpython\nversion: {_q(version)}\n"
        f"type: {'major' if feature else 'patch'}\nstatus: {'deployed' if actual else 'planned'}\n"
        f"summary: {_q(f'Python {version}, a {kind} release of the {branch} branch.')}\n"
        f"owner: {_q(OWNER)}\nrelease_manager: {_q(manager or OWNER)}\nrisk: low\n"
        + ("milestones: {cab: " + (day - dt.timedelta(days=7)).isoformat() + "}\n" if feature else "")
        + f"environments:\n  prod:\n    window: {{start: {start}, end: {end}}}\n"
        f"    status: {'deployed' if actual else 'scheduled'}{deployed}\n" + handover
    )


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def line_yaml(branch: str, meta: dict[str, Any], releases: list[dict[str, Any]]) -> str:
    """The branch as a support line: each phase from its published date; a phase that would last no
    day (2.7's bugfix support ended on its end of life) is left out."""
    pre = [_day(e["date"]) for e in releases if not FINAL.match(str(e.get("stage", ""))) and e.get("date")]
    dates = [("preview", min(pre))] if pre else []
    dates += [(phase, _day(meta[key])) for phase, key in PHASE_KEYS if meta.get(key)]
    kept = [(phase, day) for i, (phase, day) in enumerate(dates) if all(day < later for _, later in dates[i + 1 :])]
    phases = ", ".join(f"{phase}: {day.isoformat()}" for phase, day in kept)
    return f"      - {{version: {_q(branch)}, title: {_q('Python ' + branch)}, phases: {{{phases}}}}}"


def convert(data: dict[str, Any], out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    lines, count = [], 0
    for branch, releases in data.get("release", {}).items():
        meta = data.get("metadata", {}).get(branch, {})
        lines.append(line_yaml(branch, meta, releases))
        for entry in releases:
            m = FINAL.match(str(entry.get("stage", "")))
            if not m:
                continue
            version = f"{m[1]}.{m[2]}.{m[3]}"
            text = release_yaml(
                branch,
                version,
                _day(entry["date"]),
                entry.get("state") == "actual",
                str(meta.get("release-manager", "")),
                m[3] == "0",
            )
            (out / f"python-{version}.yaml").write_text(text, encoding="utf-8")
            count += 1
    (out / "portfolio.yaml").write_text(PORTFOLIO.format(owner=_q(OWNER), lines="\n".join(lines)), encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("toml", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    count = convert(tomllib.loads(args.toml.read_text(encoding="utf-8")), args.out)
    print(f"wrote {count} releases to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
