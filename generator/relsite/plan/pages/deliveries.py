"""/metrics/: delivery metrics from the deployment ledger, each measure with its definition, the
published performance bands, a trend drawn at build time, and the files behind it."""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan import deliveries
from relsite.plan.delivery_metrics import BANDS, BANDS_SOURCE, DEFINITIONS, Metrics, Month
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.plan.view_parts import AsOf, as_of

TITLES = {
    "deployment_frequency": "Deployment frequency",
    "lead_time": "Lead time",
    "change_failure_rate": "Change failure rate",
    "time_to_restore": "Time to restore",
}


@dataclass(frozen=True, kw_only=True)
class MonthRow:
    month: str
    deployments: str
    failure_rate: str
    lead_time: str
    restore: str


@dataclass(frozen=True, kw_only=True)
class ServiceSection:
    anchor: str
    name: str
    rows: list[MonthRow]


@dataclass(frozen=True, kw_only=True)
class MetricsView:
    as_of: AsOf
    definitions: list[tuple[str, str]]
    bands: tuple[tuple[str, str, str, str, str], ...]
    bands_source: str
    portfolio: list[MonthRow]
    services: list[ServiceSection]
    trend: deliveries.Trend | None
    metrics_json: str
    deployments_json: str
    feed: str


def duration(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def row(m: Month) -> MonthRow:
    rate = "–" if m.change_failure_rate is None else f"{m.change_failure_rate:.0%} ({m.failures} of {m.attempts})"
    return MonthRow(
        month=m.month,
        deployments=str(m.deployments),
        failure_rate=rate,
        lead_time=duration(m.lead_time_hours),
        restore=duration(m.time_to_restore_hours),
    )


def metrics_page(ix: PortfolioIndex, metrics: Metrics) -> Page:
    view = MetricsView(
        as_of=as_of(ix),
        definitions=[(TITLES[k], text) for k, text in DEFINITIONS.items()],
        bands=BANDS,
        bands_source=BANDS_SOURCE,
        portfolio=[row(m) for m in reversed(metrics.portfolio)],
        services=[
            ServiceSection(anchor=f"service-{name}", name=name, rows=[row(m) for m in reversed(months)])
            for name, months in metrics.services.items()
        ],
        trend=deliveries.trend(metrics.portfolio),
        metrics_json=deliveries.METRICS_JSON,
        deployments_json=deliveries.DEPLOYMENTS_JSON,
        feed=deliveries.DEPLOYMENTS_FEED,
    )
    toc = (
        ("definitions", "Definitions"),
        ("portfolio", "Portfolio"),
        *((s.anchor, s.name) for s in view.services),
        ("bands", "Performance bands"),
    )
    return page(deliveries.METRICS_PAGE, "Delivery metrics", "metrics.html.j2", view, toc, searchable=False)
