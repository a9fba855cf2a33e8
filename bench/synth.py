"""Generate a realistic synthetic portfolio of N releases, deterministic for a seed.

Releases are spread over years with windows that never clash (each release owns a daily slot per
environment, and production avoids the year-end hard freeze), 24 services, four environments,
release notes and handover filled in, statuses that follow the lifecycle relative to ``today``, and
a support line per service and major version.
The result validates clean, so the same portfolio can be built.

    python -m bench.synth 1000 /tmp/portfolio-1k [--seed 1] [--today 2026-11-27]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

SERVICES = [
    "payments",
    "web-shop",
    "mobile-app",
    "crm",
    "identity",
    "data-platform",
    "hr-portal",
    "search",
    "catalog",
    "pricing",
    "inventory",
    "shipping",
    "returns",
    "loyalty",
    "notifications",
    "billing",
    "ledger",
    "reporting",
    "support-desk",
    "content",
    "recommendations",
    "fraud",
    "partner-api",
    "warehouse",
]
SLOTS_PER_DAY = 5
WORDS = [
    "faster",
    "checkout",
    "clearer",
    "invoices",
    "fewer",
    "errors",
    "new",
    "dashboard",
    "improved",
    "search",
    "better",
    "reports",
    "simpler",
    "login",
    "quicker",
    "refunds",
    "smarter",
    "alerts",
]

PORTFOLIO = """name: Synthetic Corp
timezone: Europe/Berlin
environments:
  - {{name: dev, title: Development}}
  - {{name: test, title: Test, requires_sign_off: true}}
  - {{name: staging, title: Staging}}
  - {{name: prod, title: Production, production: true}}
services:
{services}
freezes:
{freezes}
cab_meetings: [{cabs}]
"""


def _frozen(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 18) or (day.month == 1 and day.day <= 4)


def _prod_days(start: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if not _frozen(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _t(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00"


def _environments(
    days: dict[str, dt.date], hours: dict[str, int], past: bool, status: str, today: dt.date
) -> list[str]:
    """Each environment's block: deployed where the release has been, scheduled where it is going."""
    envs = []
    for env in ("dev", "test", "staging", "prod"):
        start, end = _t(days[env], hours[env]), f"{days[env].isoformat()}T{hours[env]:02d}:50"
        done = past or (status == "in_test" and env in ("dev", "test") and days[env] < today)
        lines = [
            f"  {env}:",
            f"    window: {{start: {start}, end: {end}}}",
            f"    status: {'deployed' if done else 'scheduled'}",
        ]
        if done:
            lines.append(f"    deployed_at: {days[env].isoformat()}T{hours[env]:02d}:20")
        if env == "test" and done:
            lines.append(
                f"    sign_off: {{result: passed, by: QA lead, date: "
                f"{(days['test'] + dt.timedelta(days=1)).isoformat()}}}"
            )
        envs.append("\n".join(lines))
    return envs


def _schedule(prod_day: dt.date, slot: int, today: dt.date) -> tuple[dict[str, dt.date], str, list[str]]:
    """The environments' days, the release's status and its environment blocks, all following from prod_day."""
    days = {
        "dev": prod_day - dt.timedelta(days=12),
        "test": prod_day - dt.timedelta(days=8),
        "staging": prod_day - dt.timedelta(days=3),
        "prod": prod_day,
    }
    hours = {"dev": 7 + slot, "test": 7 + slot, "staging": 13 + slot, "prod": 18 + slot}
    past = prod_day < today
    if past:
        status = "closed" if prod_day < today - dt.timedelta(days=30) else "deployed"
    else:
        status = "approved" if days["dev"] > today else "in_test"
    envs = _environments(days, hours, past, status, today)
    if status == "in_test" and not any("deployed\n" in e or e.endswith("deployed") for e in envs):
        status = "approved"
    return days, status, envs


def release_yaml(
    i: int, rid: str, service: str, prod_day: dt.date, slot: int, today: dt.date, rng: random.Random
) -> str:
    kind = rng.choice(["minor", "minor", "patch", "patch", "major"])
    days, status, envs = _schedule(prod_day, slot, today)
    w = lambda n: " ".join(rng.choice(WORDS) for _ in range(n))
    cab = (prod_day - dt.timedelta(days=7)).isoformat()
    code_freeze = (days["dev"] - dt.timedelta(days=2)).isoformat()
    ops = f"{service}-ops"
    accepted = (
        f"\n  accepted_by: {{name: Ops manager, date: {(prod_day + dt.timedelta(days=14)).isoformat()}}}"
        if status == "closed"
        else ""
    )
    return f"""id: {rid}
title: {service.replace("-", " ").title()} release {i}
service: {service}
version: "{i // 100}.{i % 100}.{rng.randint(0, 9)}"
type: {kind}
status: {status}
summary: |
  {w(12).capitalize()}. This release brings {w(6)} to the {service} service.
owner: {service}-team
release_manager: Manager {i % 37}
risk: {rng.choice(["low", "medium", "medium", "high"])}
approach: {{rollout: {rng.choice(["phased", "big_bang"])}, distribution: push, automation: automated}}
changes: [CHG-{10000 + i}]
components:
  - {{name: {service}-api, version: "{i // 100}.{i % 100}.0"}}
milestones: {{code_freeze: {code_freeze}, cab: {cab}, go_no_go: {_t(prod_day, 12)}}}
environments:
{chr(10).join(envs)}
notes:
  highlights:
    - {w(8).capitalize()}.
  features:
    - {w(10).capitalize()}.
    - {w(7).capitalize()} with **bold** text and a [link](https://wiki.example.com/{service}/{i}).
  fixes:
    - {w(9).capitalize()}.
  known_issues:
    - summary: {w(6).capitalize()}.
      workaround: {w(5).capitalize()}.
handover:
  runbook: https://wiki.example.com/{service}/runbook
  support: {{team: {ops}, hours: 24x7, contact: "#{ops}", escalation: [L2 {ops}, L3 {service}-dev]}}
  monitoring: [Dashboard "{service} overview", Alert on error rate above 1%]
  rollback: Redeploy the previous version; {w(6)}.
  known_errors:
    - summary: {w(5).capitalize()}.
      workaround: {w(5).capitalize()}.
  early_life_support: {{until: {(prod_day + dt.timedelta(days=14)).isoformat()}, team: {service}-dev}}{accepted}
"""


def generate(n: int, out: Path, seed: int = 1, today: dt.date = dt.date(2026, 11, 27)) -> Path:
    rng = random.Random(seed)
    releases = out / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    days_needed = -(-n // SLOTS_PER_DAY)
    # Half the releases in the past, half ahead: the portfolio is "now" in the middle of its history.
    start = today - dt.timedelta(days=int(days_needed * 0.6))
    prod_days = _prod_days(start, days_needed)
    first_year = prod_days[0].year
    freezes = "\n".join(
        f"  - {{name: Year-end {y}, start: {y}-12-18, end: {y + 1}-01-04, environments: [prod], kind: hard}}"
        for y in range(first_year - 1, prod_days[-1].year + 1)
    )
    cabs = ", ".join(
        (prod_days[0] + dt.timedelta(days=7 * k)).isoformat()
        for k in range(0, (prod_days[-1] - prod_days[0]).days // 7 + 1, 4)
    )
    spans: dict[tuple[str, int], list[dt.date]] = {}
    for i in range(n):
        day = prod_days[i // SLOTS_PER_DAY]
        rid = f"REL-{day.year}-{i:05d}"
        service = SERVICES[(i * 7 + rng.randrange(len(SERVICES))) % len(SERVICES)]
        sub = releases / str(day.year)
        sub.mkdir(exist_ok=True)
        (sub / f"{rid}.yaml").write_text(
            release_yaml(i, rid, service, day, i % SLOTS_PER_DAY, today, rng), encoding="utf-8"
        )
        spans.setdefault((service, i // 100), []).append(day)
    services = "\n".join(_service_yaml(s, spans) for s in SERVICES)
    (releases / "portfolio.yaml").write_text(
        PORTFOLIO.format(services=services, freezes=freezes, cabs=cabs), encoding="utf-8"
    )
    return releases


def _service_yaml(service: str, spans: dict[tuple[str, int], list[dt.date]]) -> str:
    """A service with a support line per major version it ships: active from its first release,
    security fixes only from the day after its last, end of life a year later."""
    lines = []
    for (name, major), days in sorted(spans.items()):
        if name == service:
            security = max(days) + dt.timedelta(days=1)
            lines.append(
                f'      - {{version: "{major}.x", phases: {{active: {min(days).isoformat()}, security: '
                f"{security.isoformat()}, end_of_life: {(security + dt.timedelta(days=365)).isoformat()}}}}}"
            )
    head = f"  - name: {service}\n    title: {service.replace('-', ' ').title()}\n    owner: {service}-team\n"
    return head + ("    lines:\n" + "\n".join(lines) if lines else "").rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27))
    args = parser.parse_args()
    print(generate(args.n, args.out, args.seed, args.today))


if __name__ == "__main__":
    main()
