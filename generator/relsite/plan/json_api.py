"""The JSON API under /api/v1/, with JSON Schemas generated from the same models."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from relsite.plan import formatting as fmt
from relsite.plan.index import PortfolioIndex
from relsite.plan.site import Asset
from relsite.validate.models import Release

API = "api/v1"


class PortalLinks(BaseModel):
    """Where the portal shows this release, and what it derives."""

    url: str
    handover_url: str
    calendar_url: str
    production_start: dt.datetime | None = None
    group: str


class ApiRelease(Release):
    portal: PortalLinks


class ReleasesDocument(BaseModel):
    portfolio: str
    as_of: dt.date
    releases: list[ApiRelease]


class LiveVersion(BaseModel):
    service: str
    version: str
    release: str
    since: dt.datetime


class ApiEnvironment(BaseModel):
    name: str
    title: str
    production: bool
    requires_sign_off: bool
    live: list[LiveVersion]


class EnvironmentsDocument(BaseModel):
    portfolio: str
    as_of: dt.date
    environments: list[ApiEnvironment]


def _iso(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _dump(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, default=_iso) + "\n").encode("utf-8")


def release_json(ix: PortfolioIndex, r: Release, site_url: str) -> dict[str, Any]:
    data = r.model_dump(mode="python", exclude_none=True)  # dates become ISO text in _dump
    prod = ix.prod_start(r)
    data["portal"] = {
        "url": f"{site_url}releases/{r.id}/",
        "handover_url": f"{site_url}releases/{r.id}/handover/",
        "calendar_url": f"{site_url}releases/{r.id}/release.ics",
        **({"production_start": prod.isoformat()} if prod else {}),
        "group": ix.group(r),
    }
    return data


def api_assets(ix: PortfolioIndex, site_url: str) -> list[Asset]:
    name = ix.pf.config.name
    as_of = ix.today.isoformat()

    def all_releases() -> bytes:
        return _dump({"portfolio": name, "as_of": as_of, "releases": [release_json(ix, r, site_url) for r in ix.pf.releases]})

    def environments() -> bytes:
        return _dump({"portfolio": name, "as_of": as_of, "environments": [{
            "name": env.name, "title": env.label, "production": env.production, "requires_sign_off": env.requires_sign_off,
            "live": [{"service": s, "version": lv.release.version, "release": lv.release.id, "since": lv.since.isoformat()}
                     for s, lv in ix.live[env.name].items()],
        } for env in ix.pf.environments]})

    assets = [Asset(f"{API}/releases.json", all_releases)]
    def one(r: Release) -> Callable[[], bytes]:
        return lambda: _dump(release_json(ix, r, site_url))

    assets += [Asset(f"{API}/releases/{r.id}.json", one(r)) for r in ix.pf.releases]
    assets.append(Asset(f"{API}/environments.json", environments))

    def finder() -> bytes:
        """A small index of every release for the releases page's Find box: what it matches and shows."""
        rows = []
        for r in sorted(ix.pf.releases, key=lambda r: r.id):
            prod = ix.prod_start(r)
            rows.append({"id": r.id, "title": r.title, "service": ix.service(r.service).label, "version": r.version,
                         "status": r.status.replace("_", " "), "production": fmt.day(prod, ix.tz) if prod else "not scheduled",
                         "url": f"releases/{r.id}/", "text": f"{r.id} {r.title} {r.service} {r.version} {r.owner}".lower()})
        return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    assets.append(Asset(f"{API}/release-index.json", finder))
    assets.append(Asset(f"{API}/releases.schema.json", lambda: _dump(_schema(ReleasesDocument))))
    assets.append(Asset(f"{API}/release.schema.json", lambda: _dump(_schema(ApiRelease))))
    assets.append(Asset(f"{API}/environments.schema.json", lambda: _dump(_schema(EnvironmentsDocument))))
    return assets


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(mode="serialization")}
