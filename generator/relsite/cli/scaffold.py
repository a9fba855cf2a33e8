"""`relsite new`: a new release file that validates as a draft, with every section present.

Optional sections are written commented out with a one-line explanation each, so a team member
who has never seen the format can fill it in top to bottom; the editor modeline points the YAML
language server at the schema for completion while typing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from relsite.cli.yaml_text import comment, expect, fill, read_back, scalar
from relsite.validate.portfolio import Portfolio


def next_id(folder: Path, year: int) -> str:
    """REL-<year>-<nnn>: one more than the highest number used that year (ids never collide)."""
    pattern = re.compile(rf"^REL-{year}-(\d+)\.yaml$", re.IGNORECASE)
    used = [int(m.group(1)) for p in folder.rglob("*.yaml") if (m := pattern.match(p.name))]
    return f"REL-{year}-{max(used, default=0) + 1:03d}"


def _line_comment(pf: Portfolio, service: str, version: str) -> str:
    """Which support line the version falls into, and how long it is supported, as the author sees it."""
    from relsite.validate.support_phases import line_of, phase_dates

    catalog = pf.services.get(service)
    line = line_of(catalog, version) if catalog is not None and catalog.lines else None
    if line is None:
        return ""
    phases = ", ".join(f"{name} from {day}" for name, day in phase_dates(line))
    return f"   # support line {comment(line.version or service)}: {comment(phases)}"


def _environments(pf: Portfolio, prod_date: dt.date) -> str:
    """Production scheduled on the day asked for; every other environment commented out, labelled."""
    out = []
    for env in pf.environments:
        key = scalar(env.name)
        if env.name == pf.production:
            day = prod_date.isoformat()
            out.append(
                f"  {key}:\n    window: {{start: {day}T20:00, end: {day}T22:00}}   # {comment(pf.config.timezone)}; "
                "adjust\n    status: scheduled"
            )
        else:
            sign_off = ", needs a sign-off before production" if env.requires_sign_off else ""
            out.append(
                f"  # {key}:                      # {comment(env.label)}{sign_off}\n"
                "  #   window: {start: YYYY-MM-DDTHH:MM, end: YYYY-MM-DDTHH:MM}\n  #   status: scheduled"
            )
    return "\n".join(out)


TOP_KEYS = ("id", "title", "service", "version", "type", "status", "summary", "owner", "risk", "environments")
"""What the skeleton holds uncommented: nothing a value or a comment could add."""

EMERGENCY = """emergency:                         # required for emergency releases
  reason: "What is broken and why it cannot wait"
  approved_by: "Who approved it (emergency CAB)"
"""


def release_yaml(
    rid: str,
    pf: Portfolio,
    *,
    service: str,
    kind: str,
    title: str,
    version: str,
    prod_date: dt.date,
    owner: str,
    schema_path: str,
    intro: str = "",
) -> str:
    """The one release skeleton (`new` and `init`'s example): a draft with every section present.
    Values are emitted scalars, comments carry only escaped text, and the result is read back and
    compared with what was asked before the caller writes it."""
    text = fill(
        "release.yaml.tmpl",
        schema_path=comment(schema_path),
        intro="".join(f"# {comment(line)}\n" for line in intro.splitlines()),
        rid=scalar(rid),
        title=scalar(title, quoted=True),
        service=scalar(service),
        version=scalar(version, quoted=True),
        line_comment=_line_comment(pf, service, version),
        kind=scalar(kind),
        owner=scalar(owner, quoted=True),
        emergency=EMERGENCY if kind == "emergency" else "",
        environments=_environments(pf, prod_date),
    )
    data = read_back(text, f"{rid}.yaml")
    for key, value in (
        ("id", rid),
        ("title", title),
        ("service", service),
        ("version", version),
        ("type", kind),
        ("owner", owner),
        ("status", "draft"),
    ):
        expect(data, (key,), value, f"{rid}.yaml")
    expect(data, ("environments", pf.production, "status"), "scheduled", f"{rid}.yaml")
    keys = {"keys": sorted(data), "environments": sorted(data["environments"])}
    expect(keys, ("keys",), sorted({*TOP_KEYS, *(("emergency",) if kind == "emergency" else ())}), f"{rid}.yaml")
    expect(keys, ("environments",), [pf.production], f"{rid}.yaml")
    return text


def schema_modeline(target: Path, project_root: Path) -> str:
    return Path(os.path.relpath(project_root / "schema" / "release.schema.json", target.parent)).as_posix()
