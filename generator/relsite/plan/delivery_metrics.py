"""The four DORA measures, as far as a deployment ledger can know them, per month, per service and
for the portfolio. The definitions are data (``DEFINITIONS``) so the page, the JSON and the tests
say the same thing.

What the ledger cannot see it does not guess: lead time starts at the first deployment to any
environment (not at the commit), and a restore is the next successful production deployment of
the same service (not an incident's end).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from relsite.plan.deployment_ledger import Entry
from relsite.validate import lifecycle

DEFINITIONS: dict[str, str] = {
    "deployment_frequency": (
        "Successful production deployments in the month (attempts recorded as deployed on the production environment)."
    ),
    "lead_time": (
        "For each release that reached production in the month: from its first successful deployment to any "
        "environment (the first environment it reached) until its first successful production deployment. The median, "
        "in hours."
    ),
    "change_failure_rate": (
        "Failed or rolled-back production deployments over production deployments (those that succeeded or failed) in "
        "the month."
    ),
    "time_to_restore": (
        "For each failed or rolled-back production deployment in the month: until the next successful production "
        "deployment of the same service. The median, in hours; failures not yet restored are not counted."
    ),
}

BANDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Elite", "On demand (many deployments a day)", "Less than one day", "5%", "Less than one hour"),
    ("High", "Between once a day and once a week", "Between one day and one week", "10%", "Less than one day"),
    (
        "Medium",
        "Between once a week and once a month",
        "Between one week and one month",
        "15%",
        "Between one day and one week",
    ),
    (
        "Low",
        "Between once a week and once a month",
        "Between one week and one month",
        "64%",
        "Between one month and six months",
    ),
)
"""The performance clusters of the 2023 Accelerate State of DevOps report (DORA): deployment
frequency, lead time for changes, change failure rate, failed deployment recovery time."""
BANDS_SOURCE = "Accelerate State of DevOps Report 2023 (DORA, Google Cloud)"


@dataclass(kw_only=True)
class Month:
    month: str
    """YYYY-MM in the portfolio's zone."""
    deployments: int = 0
    failures: int = 0
    attempts: int = 0
    """Production deployments that succeeded or failed: the change failure rate's denominator."""
    lead_times: list[float] = field(default_factory=list)
    restore_times: list[float] = field(default_factory=list)

    @property
    def change_failure_rate(self) -> float | None:
        return round(self.failures / self.attempts, 4) if self.attempts else None

    @property
    def lead_time_hours(self) -> float | None:
        return round(statistics.median(self.lead_times), 2) if self.lead_times else None

    @property
    def time_to_restore_hours(self) -> float | None:
        return round(statistics.median(self.restore_times), 2) if self.restore_times else None


@dataclass(kw_only=True)
class Metrics:
    portfolio: list[Month]
    services: dict[str, list[Month]]


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / 3600


def delivery_metrics(ledger: list[Entry], tz: ZoneInfo) -> Metrics:
    """The measures from ``ledger`` (oldest first), grouped by month of the production event."""
    months: dict[str | None, dict[str, Month]] = defaultdict(dict)

    def bucket(service: str | None, at: dt.datetime) -> Month:
        key = at.astimezone(tz).strftime("%Y-%m")
        return months[service].setdefault(key, Month(month=key))

    first_anywhere: dict[str, dt.datetime] = {}
    reached: set[str] = set()
    open_failures: dict[str, list[dt.datetime]] = defaultdict(list)
    for e in ledger:
        if e.status == "deployed":
            first_anywhere.setdefault(e.release_id, e.at)
        if not e.production:
            continue
        for service in (e.service, None):
            m = bucket(service, e.at)
            m.deployments += e.status == "deployed"
            m.failures += e.status in lifecycle.ATTEMPT_FAILED
            m.attempts += e.status in lifecycle.ATTEMPT_FINISHED
        if e.status == "deployed" and e.release_id not in reached:
            reached.add(e.release_id)
            lead = _hours(first_anywhere[e.release_id], e.at)
            bucket(e.service, e.at).lead_times.append(lead)
            bucket(None, e.at).lead_times.append(lead)
        if e.status in lifecycle.ATTEMPT_FAILED:
            open_failures[e.service].append(e.at)
        elif e.status == "deployed":
            for failed_at in open_failures.pop(e.service, []):
                bucket(e.service, failed_at).restore_times.append(_hours(failed_at, e.at))
                bucket(None, failed_at).restore_times.append(_hours(failed_at, e.at))
    ordered = {k: [v[m] for m in sorted(v)] for k, v in months.items()}
    return Metrics(
        portfolio=ordered.pop(None, []), services={k: v for k, v in sorted(ordered.items()) if k is not None}
    )
