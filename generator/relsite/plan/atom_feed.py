"""The Atom feed of releases (/feed.xml), written with ElementTree so that no text can break the XML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from relsite.plan.calendar_events import slug
from relsite.plan.index import PortfolioIndex
from relsite.plan.markup import md_block
from relsite.plan.site import Asset
from relsite.validate.models import Release

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100


def updated(ix: PortfolioIndex, r: Release) -> dt.datetime:
    """A release's latest known change: its last past deployment, sign-off or acceptance; else its production window."""
    times: list[dt.datetime] = []
    for dep in r.environments.values():
        if dep.deployed_at:
            times.append(dep.deployed_at)
        if dep.sign_off:
            times.append(ix.pf.day_start(dep.sign_off.date))
    if r.handover and r.handover.accepted_by:
        times.append(ix.pf.day_start(r.handover.accepted_by.date))
    past = [t for t in times if t < ix.now]
    if past:
        return max(past)
    return ix.prod_start(r) or ix.last_activity(r) or ix.day_start


def atom_asset(ix: PortfolioIndex, site_url: str) -> Asset:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ordered = sorted(ix.pf.releases, key=lambda r: (updated(ix, r), r.id), reverse=True)[:FEED_SIZE]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{ix.pf.config.name}: releases"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{site_url}feed.xml" if site_url else f"urn:relsite:feed:{slug(ix.pf.config.name)}"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{site_url}feed.xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/")
    stamp = max((updated(ix, r) for r in ordered), default=ix.day_start)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = min(stamp, ix.now).astimezone(dt.UTC).isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = ix.pf.config.name
    for r in ordered:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:relsite:release:{r.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{r.id}: {r.title} ({r.status.replace('_', ' ')})"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/{r.id}/")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = updated(ix, r).astimezone(dt.UTC).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}category", term=r.service)
        prod = ix.prod_start(r)
        when = f"<p>Production: {prod.astimezone(ix.tz):%a %d %b %Y, %H:%M %Z}.</p>" if prod else ""
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = f"<p>{r.service} {r.version}, {r.type}, {r.status.replace('_', ' ')}.</p>{when}{md_block(r.summary)}"
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = " ".join(r.summary.split())[:300]
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    return Asset("feed.xml", lambda: data)
