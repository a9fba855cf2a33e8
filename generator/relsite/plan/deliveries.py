"""The deployment ledger and delivery metrics as published files: ``api/v1/deployments.json``,
``api/v1/metrics.json`` (each with a JSON Schema from the same models), the Atom feed of
deployments, and the geometry of the build-time trend chart on /metrics/.

Paths are kept here, in one place, until the site's URL map (plan/urls.py) owns them.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from markupsafe import escape
from pydantic import BaseModel

from relsite.plan import json_text
from relsite.plan.delivery_metrics import BANDS, BANDS_SOURCE, DEFINITIONS, Metrics, Month
from relsite.plan.deployment_ledger import Entry
from relsite.plan.site import Asset

METRICS_PAGE = "metrics/index.md"
DEPLOYMENTS_JSON = "api/v1/deployments.json"
DEPLOYMENTS_SCHEMA = "api/v1/deployments.schema.json"
METRICS_JSON = "api/v1/metrics.json"
METRICS_SCHEMA = "api/v1/metrics.schema.json"
DEPLOYMENTS_FEED = "deployments.xml"
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100
STATUS_WORDS = {"in_progress": "started", "deployed": "succeeded", "failed": "failed", "rolled_back": "rolled back"}


class Deployment(BaseModel):
    release: str
    service: str
    version: str
    environment: str
    production: bool
    status: str
    """in_progress (started), deployed (succeeded), failed or rolled_back."""
    at: dt.datetime
    by: str | None
    event: str | None
    """The deploying tool's event it was recorded from."""
    url: str


class DeploymentsDocument(BaseModel):
    portfolio: str
    as_of: dt.date
    deployments: list[Deployment]
    """Every recorded attempt, newest first."""


class MetricsMonth(BaseModel):
    month: str
    deployments: int
    failures: int
    production_attempts: int
    change_failure_rate: float | None
    lead_time_hours: float | None
    time_to_restore_hours: float | None


class Band(BaseModel):
    name: str
    deployment_frequency: str
    lead_time: str
    change_failure_rate: str
    time_to_restore: str


class MetricsDocument(BaseModel):
    portfolio: str
    as_of: dt.date
    definitions: dict[str, str]
    bands_source: str
    bands: list[Band]
    months: list[MetricsMonth]
    """The portfolio, per month."""
    services: dict[str, list[MetricsMonth]]


def month_json(m: Month) -> MetricsMonth:
    return MetricsMonth(
        month=m.month,
        deployments=m.deployments,
        failures=m.failures,
        production_attempts=m.attempts,
        change_failure_rate=m.change_failure_rate,
        lead_time_hours=m.lead_time_hours,
        time_to_restore_hours=m.time_to_restore_hours,
    )


def _dump(value: Any) -> bytes:
    """A document without floats (plan/json_text.py): the metrics' rates and hours are written by json."""
    return json_text.indented(value)


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(mode="serialization")}


def _deployment(e: Entry, site_url: str) -> Deployment:
    return Deployment(
        release=e.release_id,
        service=e.service,
        version=e.version,
        environment=e.env,
        production=e.production,
        status=e.status,
        at=e.at,
        by=e.by,
        event=e.event,
        url=f"{site_url}releases/{e.release_id}/",
    )


_ITEMS: dict[tuple[Entry, str], bytes] = {}
"""(attempt, site URL) -> its item of deployments.json, indented: a re-plan after an edit that moved a
release's attempts (a live preview's) serialises those alone, not the ledger (7 MB at 10,000)."""


def deployments_document(name: str, today: dt.date, ledger: list[Entry], site_url: str) -> bytes:
    """``_dump`` of the DeploymentsDocument, newest attempt first, made of each attempt's own item: the
    same bytes (tests/test_deliveries_json.py), as ``json_api.releases_document`` makes releases.json."""
    if len(_ITEMS) > 2 * len(ledger) + 1000:
        _ITEMS.clear()
    shell = DeploymentsDocument(portfolio=name, as_of=today, deployments=[]).model_dump(mode="json")
    items = []
    for e in reversed(ledger):
        item = _ITEMS.get((e, site_url))
        if item is None:
            one = json_text.indented(_deployment(e, site_url).model_dump(mode="json"))
            item = _ITEMS[(e, site_url)] = json_text.as_item(one)
        items.append(item)
    return json_text.with_items(shell, "deployments", items)


def json_assets(name: str, today: dt.date, ledger: list[Entry], metrics: Metrics, site_url: str) -> list[Asset]:
    def deployments() -> bytes:
        return deployments_document(name, today, ledger, site_url)

    def metrics_json() -> bytes:
        doc = MetricsDocument(
            portfolio=name,
            as_of=today,
            definitions=DEFINITIONS,
            bands_source=BANDS_SOURCE,
            bands=[
                Band(
                    name=b[0], deployment_frequency=b[1], lead_time=b[2], change_failure_rate=b[3], time_to_restore=b[4]
                )
                for b in BANDS
            ],
            months=[month_json(m) for m in metrics.portfolio],
            services={s: [month_json(m) for m in ms] for s, ms in metrics.services.items()},
        )
        return json_text.stdlib_indented(doc.model_dump(mode="json"))

    return [
        Asset(path=DEPLOYMENTS_JSON, render=deployments),
        Asset(path=METRICS_JSON, render=metrics_json),
        Asset(path=DEPLOYMENTS_SCHEMA, render=lambda: _dump(_schema(DeploymentsDocument))),
        Asset(path=METRICS_SCHEMA, render=lambda: _dump(_schema(MetricsDocument))),
    ]


def feed_asset(name: str, ledger: list[Entry], now: dt.datetime, site_url: str) -> Asset:
    """The latest attempts as an Atom feed, written with ElementTree so no text can break the XML."""

    def render() -> bytes:
        ET.register_namespace("", ATOM)
        feed = ET.Element(f"{{{ATOM}}}feed")
        recent = [e for e in reversed(ledger) if e.at <= now][:FEED_SIZE]
        ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{name}: deployments"
        ET.SubElement(feed, f"{{{ATOM}}}id").text = (
            f"{site_url}{DEPLOYMENTS_FEED}" if site_url else "urn:relsite:deployments"
        )
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{site_url}{DEPLOYMENTS_FEED}")
        stamp = recent[0].at if recent else now
        ET.SubElement(feed, f"{{{ATOM}}}updated").text = stamp.astimezone(dt.UTC).isoformat()
        ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = name
        for e in recent:
            entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
            key = e.event or f"{e.status}:{e.at.astimezone(dt.UTC).isoformat()}"
            ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:relsite:deployment:{e.release_id}:{e.env}:{key}"
            title = f"{e.service} {e.version} ({e.release_id}) on {e.env}: {STATUS_WORDS[e.status]}"
            ET.SubElement(entry, f"{{{ATOM}}}title").text = title
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/{e.release_id}/")
            ET.SubElement(entry, f"{{{ATOM}}}updated").text = e.at.astimezone(dt.UTC).isoformat()
            ET.SubElement(entry, f"{{{ATOM}}}category", term=e.service)
            by = f" by {e.by}" if e.by else ""
            ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = f"<p>{escape(title)}{escape(by)}.</p>"
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + bytes(ET.tostring(feed, encoding="utf-8")) + b"\n"

    return Asset(path=DEPLOYMENTS_FEED, render=render)


# --- the trend chart ----------------------------------------------------------------------------

WIDTH, HEIGHT, BOTTOM, TOP = 660, 180, 24, 12
MAX_MONTHS = 24


@dataclass(frozen=True, kw_only=True)
class TrendBar:
    x: float
    width: float
    ok_y: float
    ok_height: float
    bad_y: float
    bad_height: float
    label: str
    title: str


@dataclass(frozen=True, kw_only=True)
class Trend:
    width: int
    height: int
    baseline: float
    bars: list[TrendBar]
    peak: int


def _months_between(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _label(key: str, i: int, count: int) -> str:
    """Month labels that fit under their bars: every one up to six months, then every second or
    fourth (the bar's title names every month)."""
    step = 1 if count <= 6 else 2 if count <= 12 else 4
    return (key if count <= 6 else key[2:]) if i % step == 0 else ""


def trend(months: list[Month]) -> Trend | None:
    """Successful and failed production deployments per month, the last two years at most, with the
    months in between that had none drawn as empty."""
    if not months:
        return None
    by_month = {m.month: m for m in months}
    shown = _months_between(months[0].month, months[-1].month)[-MAX_MONTHS:]
    peak = max(by_month[k].deployments + by_month[k].failures if k in by_month else 0 for k in shown) or 1
    slot = WIDTH / len(shown)
    scale = (HEIGHT - BOTTOM - TOP) / peak
    base = HEIGHT - BOTTOM
    bars = []
    for i, key in enumerate(shown):
        m = by_month.get(key, Month(month=key))
        ok, bad = m.deployments * scale, m.failures * scale
        bars.append(
            TrendBar(
                x=round(i * slot + slot * 0.15, 2),
                width=round(slot * 0.7, 2),
                ok_y=round(base - ok, 2),
                ok_height=round(ok, 2),
                bad_y=round(base - ok - bad, 2),
                bad_height=round(bad, 2),
                label=_label(key, i, len(shown)),
                title=f"{key}: {m.deployments} deployed, {m.failures} failed or rolled back",
            )
        )
    return Trend(width=WIDTH, height=HEIGHT, baseline=base, bars=bars, peak=peak)
