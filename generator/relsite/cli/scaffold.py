"""`relsite new`: a new release file that validates as a draft, with every section present.

Optional sections are written commented out with a one-line explanation each, so a team member
who has never seen the format can fill it in top to bottom; the editor modeline points the YAML
language server at the schema for completion while typing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from relsite.validate.portfolio import Portfolio


def next_id(folder: Path, year: int) -> str:
    """REL-<year>-<nnn>: one more than the highest number used that year (ids never collide)."""
    pattern = re.compile(rf"^REL-{year}-(\d+)\.yaml$", re.IGNORECASE)
    used = [int(m.group(1)) for p in folder.rglob("*.yaml") if (m := pattern.match(p.name))]
    return f"REL-{year}-{max(used, default=0) + 1:03d}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _line_comment(pf: Portfolio, service: str, version: str) -> str:
    """Which support line the version falls into, and how long it is supported, as the author sees it."""
    from relsite.validate.support import line_of, phase_dates

    catalog = pf.services.get(service)
    line = line_of(catalog, version) if catalog is not None and catalog.lines else None
    if line is None:
        return ""
    phases = ", ".join(f"{name} from {day}" for name, day in phase_dates(line))
    return f"   # support line {line.version or service}: {phases}"


def release_yaml(rid: str, pf: Portfolio, *, service: str, kind: str, title: str, version: str, prod_date: dt.date,
                 owner: str, schema_path: str) -> str:
    production = pf.production
    envs = []
    for env in pf.environments:
        if env.name == production:
            envs.append(f"""  {env.name}:
    window: {{start: {prod_date.isoformat()}T20:00, end: {prod_date.isoformat()}T22:00}}   # {pf.config.timezone}; adjust
    status: scheduled""")
        else:
            envs.append(f"""  # {env.name}:                      # {env.label}{', needs a sign-off before production' if env.requires_sign_off else ''}
  #   window: {{start: YYYY-MM-DDTHH:MM, end: YYYY-MM-DDTHH:MM}}
  #   status: scheduled""")
    emergency = ("""emergency:                         # required for emergency releases
  reason: "What is broken and why it cannot wait"
  approved_by: "Who approved it (emergency CAB)"
""" if kind == "emergency" else "")
    return f"""# yaml-language-server: $schema={schema_path}
# New release: fill in from top to bottom, then run `relsite validate`. Lines starting with # are
# optional; remove the # to use them. The release policy (what each status requires) is on the site
# under Guides.
id: {rid}
title: {_q(title)}
service: {service}
version: {_q(version)}{_line_comment(pf, service, version)}
type: {kind}                         # major | minor | patch | emergency
status: draft                        # draft -> planned -> approved -> in_build -> in_test -> ready -> deploying -> deployed -> early_life_support -> closed
summary: |
  Describe in one or two sentences, for business users, what changes for them.
owner: {_q(owner)}
# release_manager: "Name of the person coordinating the release"
risk: medium                         # low | medium | high | critical
# approach: {{rollout: phased, distribution: push, automation: automated}}
{emergency}# changes: [CHG-0000]                 # change / RFC references
# depends_on: [REL-YYYY-NNN]           # releases that must reach production first
# components:
#   - {{name: component-name, version: "{version}"}}
# milestones:                          # code_freeze <= cab <= go_no_go <= the production window
#   code_freeze: YYYY-MM-DD
#   cab: YYYY-MM-DD                    # required for major or high-risk releases once approved
#   go_no_go: YYYY-MM-DDTHH:MM

environments:                        # in promotion order; only production is scheduled so far
{chr(10).join(envs)}

# notes:                               # release notes for business users (Markdown)
#   highlights: ["What users will notice first"]
#   features: ["New feature"]
#   fixes: ["Fixed problem"]
#   known_issues: [{{summary: "What goes wrong", workaround: "How to live with it"}}]
#   breaking: ["What stops working"]   # needs actions_required
#   actions_required: ["What users must do"]

# handover:                            # for operations; runbook, support and rollback are required from status ready
#   runbook: https://wiki.example.com/...
#   support: {{team: team-name, hours: 24x7, contact: "#channel", escalation: [L2 team, L3 team]}}
#   monitoring: ["Dashboard or alert"]
#   rollback: "How to back out"
#   known_errors: [{{summary: "Error", workaround: "What to do"}}]
#   training: ["Session given to operations"]
#   early_life_support: {{until: YYYY-MM-DD, team: team-name}}
#   accepted_by: {{name: "Ops manager", date: YYYY-MM-DD}}   # required to close
"""


def schema_modeline(target: Path, project_root: Path) -> str:
    return Path(os.path.relpath(project_root / "schema" / "release.schema.json", target.parent)).as_posix()
