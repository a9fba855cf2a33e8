"""Machine outputs: the JSON API (with its schema) and the Atom feed."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from .events import slug
from .facts import Facts
from .model import Release
from .render import md_block
from .site import Asset

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


def release_json(f: Facts, r: Release, site_url: str) -> dict[str, Any]:
    data = r.model_dump(mode="python", exclude_none=True)  # dates become ISO text in _dump
    prod = f.prod_start(r)
    data["portal"] = {
        "url": f"{site_url}releases/{r.id}/",
        "handover_url": f"{site_url}releases/{r.id}/handover/",
        "calendar_url": f"{site_url}releases/{r.id}/release.ics",
        **({"production_start": prod.isoformat()} if prod else {}),
        "group": f.group(r),
    }
    return data


def api_assets(f: Facts, site_url: str) -> list[Asset]:
    name = f.pf.config.name
    as_of = f.today.isoformat()

    def all_releases() -> bytes:
        return _dump({"portfolio": name, "as_of": as_of, "releases": [release_json(f, r, site_url) for r in f.pf.releases]})

    def environments() -> bytes:
        return _dump({"portfolio": name, "as_of": as_of, "environments": [{
            "name": env.name, "title": env.label, "production": env.production, "requires_sign_off": env.requires_sign_off,
            "live": [{"service": s, "version": lv.release.version, "release": lv.release.id, "since": lv.since.isoformat()}
                     for s, lv in f.live[env.name].items()],
        } for env in f.pf.environments]})

    assets = [Asset(f"{API}/releases.json", all_releases)]
    def one(r: Release) -> Callable[[], bytes]:
        return lambda: _dump(release_json(f, r, site_url))

    assets += [Asset(f"{API}/releases/{r.id}.json", one(r)) for r in f.pf.releases]
    assets.append(Asset(f"{API}/environments.json", environments))
    assets.append(Asset(f"{API}/releases.schema.json", lambda: _dump(_schema(ReleasesDocument))))
    assets.append(Asset(f"{API}/release.schema.json", lambda: _dump(_schema(ApiRelease))))
    assets.append(Asset(f"{API}/environments.schema.json", lambda: _dump(_schema(EnvironmentsDocument))))
    return assets


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(mode="serialization")}


# --- Atom ---------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100


def updated(f: Facts, r: Release) -> dt.datetime:
    """A release's latest known change: its last past deployment, sign-off or acceptance; else its production window."""
    times: list[dt.datetime] = []
    for dep in r.environments.values():
        if dep.deployed_at:
            times.append(dep.deployed_at)
        if dep.sign_off:
            times.append(f.pf.day_start(dep.sign_off.date))
    if r.handover and r.handover.accepted_by:
        times.append(f.pf.day_start(r.handover.accepted_by.date))
    past = [t for t in times if t < f.now]
    if past:
        return max(past)
    return f.prod_start(r) or f.last_activity(r) or f.day_start


def atom_asset(f: Facts, site_url: str) -> Asset:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ordered = sorted(f.pf.releases, key=lambda r: (updated(f, r), r.id), reverse=True)[:FEED_SIZE]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{f.pf.config.name}: releases"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{site_url}feed.xml" if site_url else f"urn:relsite:feed:{slug(f.pf.config.name)}"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{site_url}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/")
    stamp = max((updated(f, r) for r in ordered), default=f.day_start)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = min(stamp, f.now).astimezone(dt.UTC).isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = f.pf.config.name
    for r in ordered:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:relsite:release:{r.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{r.id}: {r.title} ({r.status.replace('_', ' ')})"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/{r.id}/")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated(f, r).astimezone(dt.UTC).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}category", term=r.service)
        prod = f.prod_start(r)
        when = f"<p>Production: {prod.astimezone(f.tz):%a %d %b %Y, %H:%M %Z}.</p>" if prod else ""
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = f"<p>{r.service} {r.version}, {r.type}, {r.status.replace('_', ' ')}.</p>{when}{md_block(r.summary)}"
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = " ".join(r.summary.split())[:300]
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    return Asset("feed.xml", lambda: data)
