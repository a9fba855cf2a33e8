"""The JSON API under /api/v1/, with JSON Schemas generated from the same models."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from relsite.plan import formatting as fmt
from relsite.plan import json_text, urls
from relsite.plan.index import Live, PortfolioIndex, Track
from relsite.plan.line_status import release_support, service_lines
from relsite.plan.site import Asset
from relsite.validate.models import Release


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
    line: str | None = None
    """The support line's version prefix, for services that declare lines."""
    support_phase: str | None = None
    """The line's phase today (end_of_life marks a version past its end of life)."""
    version: str
    release: str
    since: dt.datetime


class LineToday(BaseModel):
    phase: str
    """not_started, preview, active, security, extended or end_of_life."""
    since: dt.date | None = None
    until: dt.date | None = None
    """First day of the next phase."""
    supported: bool


class LatestRelease(BaseModel):
    id: str
    version: str
    url: str


class ApiLine(BaseModel):
    version: str | None = None
    """Version prefix the line covers; absent when the service has one line."""
    title: str
    phases: dict[str, dt.date]
    """First day of each declared phase."""
    today: LineToday
    releases: int
    latest: LatestRelease | None = None


class ApiIdentifier(BaseModel):
    type: str
    """purl, cpe or repology."""
    id: str


class ApiService(BaseModel):
    name: str
    title: str
    identifiers: list[ApiIdentifier] = []
    lines: list[ApiLine]


class SupportDocument(BaseModel):
    portfolio: str
    as_of: dt.date
    services: list[ApiService]


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
    return json_text.indented(data, _iso)


def release_json(ix: PortfolioIndex, r: Release, site_url: str) -> dict[str, Any]:
    data = r.model_dump(mode="python", exclude_none=True)  # dates become ISO text in _dump
    prod = ix.prod_start(r)
    data["portal"] = {
        "url": site_url + urls.release(r.id),
        "handover_url": site_url + urls.handover(r.id),
        "calendar_url": site_url + urls.release_ics(r.id),
        **({"production_start": prod.isoformat()} if prod else {}),
        "group": ix.group(r),
    }
    status = release_support(ix, r)
    if status is not None:
        data["portal"]["line"] = status.prefix
        data["portal"]["support_phase"] = status.now.phase
    return data


def _live(ix: PortfolioIndex, track: Track, lv: Live) -> dict[str, Any]:
    out: dict[str, Any] = {"service": track[0]}
    status = release_support(ix, lv.release)  # kept per index and release
    if status is not None:
        out.update(line=status.prefix, support_phase=status.now.phase)
    return out | {"version": lv.release.version, "release": lv.release.id, "since": lv.since.isoformat()}


def support_json(ix: PortfolioIndex, site_url: str) -> list[dict[str, Any]]:
    """Services that declare lines, each line with its phases and where it stands on the build day."""
    out = []
    for service in ix.pf.services.values():
        if not service.lines:
            continue
        lines = []
        for s in service_lines(ix, service):
            latest = s.releases[0] if s.releases else None
            today = {
                "phase": s.now.phase,
                **({"since": s.now.since} if s.now.since else {}),
                **({"until": s.now.until} if s.now.until else {}),
                "supported": s.now.supported,
            }
            lines.append(
                {
                    **({"version": s.line.version} if s.line.version else {}),
                    "title": s.label,
                    "phases": dict(s.phases),
                    "today": today,
                    "releases": len(s.releases),
                    **(
                        {
                            "latest": {
                                "id": latest.id,
                                "version": latest.version,
                                "url": site_url + urls.release(latest.id),
                            }
                        }
                        if latest
                        else {}
                    ),
                }
            )
        out.append(
            {
                "name": service.name,
                "title": service.label,
                "identifiers": [{"type": kind, "id": value} for kind, value in service.identifiers],
                "lines": lines,
            }
        )
    return out


def releases_document(name: str, as_of: str, releases: list[bytes], keep: bool = False) -> bytes:
    """``_dump`` of the releases document, made of each release's own ``_dump``: the same bytes, but
    a caller that keeps those (plan/incremental.py) re-serialises only the releases that changed.
    ``keep``: remember each release's indented JSON for the next document (a re-planner's)."""
    if len(_INDENTED) > 4 * len(releases) + 1000 or not keep:
        _INDENTED.clear()
    items = [_indented(one) for one in releases] if keep else [json_text.as_item(one) for one in releases]
    return json_text.with_items({"portfolio": name, "as_of": as_of}, "releases", items, _iso)


_INDENTED: dict[int, tuple[bytes, bytes]] = {}
"""id of a release's JSON -> (that JSON, indented as an item of the document): a re-planned
document indents only the releases that changed (the rest is 40 MB at 10,000 releases)."""


def _indented(one: bytes) -> bytes:
    kept = _INDENTED.get(id(one))
    if kept is None or kept[0] is not one:
        kept = _INDENTED[id(one)] = (one, json_text.as_item(one))
    return kept[1]


def _environments_json(ix: PortfolioIndex, name: str, as_of: str) -> bytes:
    """Each environment and what is live on it, per track."""
    return _dump(
        {
            "portfolio": name,
            "as_of": as_of,
            "environments": [
                {
                    "name": env.name,
                    "title": env.label,
                    "production": env.production,
                    "requires_sign_off": env.requires_sign_off,
                    "live": [_live(ix, track, lv) for track, lv in ix.live[env.name].items()],
                }
                for env in ix.pf.environments
            ],
        }
    )


def _finder_json(ix: PortfolioIndex, keep: bool = False) -> bytes:
    """A small index of every release for the releases page's Find box: what it matches and shows.
    ``keep``: remember each release's row for the next index (a re-planner's)."""
    if len(_FINDER_ROWS) > 4 * len(ix.pf.releases) + 1000 or not keep:
        _FINDER_ROWS.clear()
    rows = []
    for r in sorted(ix.pf.releases, key=lambda r: r.id):
        kept = _FINDER_ROWS.get(id(r))
        if kept is None or kept[0] is not r:
            kept = (r, json.dumps(_finder_row(ix, r), ensure_ascii=False, separators=(",", ":")))
            if keep:
                _FINDER_ROWS[id(r)] = kept
        rows.append(kept[1])
    return ("[" + ",".join(rows) + "]\n").encode("utf-8")


_FINDER_ROWS: dict[int, tuple[Release, str]] = {}
"""id of a release -> (the release, its row): the same release model in the same portfolio
settings gives the same row (a re-planner's portfolio keeps the models of unchanged releases)."""


def _finder_row(ix: PortfolioIndex, r: Release) -> dict[str, str]:
    prod = ix.prod_start(r)
    return {
        "id": r.id,
        "title": r.title,
        "service": ix.service(r.service).label,
        "version": r.version,
        "status": r.status.replace("_", " "),
        "production": fmt.day(prod, ix.tz) if prod else "not scheduled",
        "url": urls.release(r.id),
        "text": f"{r.id} {r.title} {r.service} {r.version} {r.owner}".lower(),
    }


def api_assets(ix: PortfolioIndex, site_url: str, cache: dict[str, bytes] | None = None) -> list[Asset]:
    """``cache``: each release's JSON by id, kept by a caller that re-plans (it drops the entries of
    the releases that change); None keeps nothing beyond one rendering."""
    name = ix.pf.config.name
    as_of = ix.today.isoformat()

    def release_bytes(r: Release, kept: dict[str, bytes]) -> bytes:
        found = kept.get(r.id)
        if found is None:
            found = kept[r.id] = _dump(release_json(ix, r, site_url))
        return found

    def all_releases() -> bytes:
        kept = cache if cache is not None else {}
        return releases_document(name, as_of, [release_bytes(r, kept) for r in ix.pf.releases], cache is not None)

    assets = [Asset(path=urls.api("releases.json"), render=all_releases)]

    def one(r: Release) -> Callable[[], bytes]:
        return lambda: release_bytes(r, cache if cache is not None else {})

    assets += [Asset(path=urls.api_release(r.id), render=one(r)) for r in ix.pf.releases]
    assets.append(Asset(path=urls.api("environments.json"), render=lambda: _environments_json(ix, name, as_of)))
    assets.append(
        Asset(
            path=urls.SUPPORT_JSON,
            render=lambda: _dump({"portfolio": name, "as_of": as_of, "services": support_json(ix, site_url)}),
        )
    )
    assets.append(Asset(path=urls.RELEASE_FINDER, render=lambda: _finder_json(ix, cache is not None)))
    assets.append(Asset(path=urls.api("releases.schema.json"), render=lambda: _dump(_schema(ReleasesDocument))))
    assets.append(Asset(path=urls.api("release.schema.json"), render=lambda: _dump(_schema(ApiRelease))))
    assets.append(Asset(path=urls.api("environments.schema.json"), render=lambda: _dump(_schema(EnvironmentsDocument))))
    assets.append(Asset(path=urls.api("support.schema.json"), render=lambda: _dump(_schema(SupportDocument))))
    return assets


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(mode="serialization")}
