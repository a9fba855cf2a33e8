"""The Atom feed of releases (/feed.xml), written with ElementTree so that no text can break the XML."""

from __future__ import annotations

import datetime as dt
import heapq
import xml.etree.ElementTree as ET

from markupsafe import escape

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.calendar_events import slug
from relsite.plan.index import PortfolioIndex
from relsite.plan.line_status import PhaseChange, phase_changes
from relsite.plan.markup import md_block
from relsite.plan.site import Asset
from relsite.validate.models import Release
from relsite.validate.support_phases import PHASE_LABELS

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


def atom_asset(ix: PortfolioIndex, site_url: str, keep: bool = False) -> Asset:
    """The feed, made when it is written: a re-planner asks for every asset and writes few.
    ``keep``: remember each release's ``updated`` for the next feed (a re-planner's)."""
    return Asset(path=urls.FEED, render=lambda: _atom(ix, site_url, keep))


_UPDATED: dict[int, tuple[Release, tuple[object, ...], dt.datetime]] = {}
"""id of a release -> (the release, what else ``updated`` reads, its ``updated``): a re-planned feed
works out only the releases that changed (at 10,000 releases, a tenth of a second each save)."""


def _updated_all(ix: PortfolioIndex, keep: bool) -> list[dt.datetime]:
    """``updated`` of every release, kept ones reused: the same release model with the same end of
    day, production environment and zone (all ``updated`` reads besides the release) has the same."""
    if len(_UPDATED) > 4 * len(ix.pf.releases) + 1000 or not keep:
        _UPDATED.clear()
    reads = (ix.now, ix.pf.production, ix.pf.tz)
    out = []
    for r in ix.pf.releases:
        kept = _UPDATED.get(id(r))
        if kept is None or kept[0] is not r or kept[1] != reads:
            kept = (r, reads, updated(ix, r))
            if keep:
                _UPDATED[id(r)] = kept
        out.append(kept[2])
    return out


def _atom(ix: PortfolioIndex, site_url: str, keep: bool = False) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    entries: list[tuple[dt.datetime, str, Release | PhaseChange]] = [
        (when, r.id, r) for when, r in zip(_updated_all(ix, keep), ix.pf.releases, strict=True)
    ]
    entries += [(ix.pf.day_start(c.day), c.uid, c) for c in phase_changes(ix) if c.day <= ix.today]
    ordered = heapq.nlargest(FEED_SIZE, entries, key=lambda e: (e[0], e[1]))  # = sorted(reverse=True)[:FEED_SIZE]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{ix.pf.config.name}: releases"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = (
        site_url + urls.FEED if site_url else f"urn:relsite:feed:{slug(ix.pf.config.name)}"
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=site_url + urls.FEED)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=site_url + urls.RELEASES)
    stamp = max((when for when, _, _ in ordered), default=ix.day_start)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = min(stamp, ix.now).astimezone(dt.UTC).isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = ix.pf.config.name
    for when, _, item in ordered:
        if isinstance(item, PhaseChange):
            _phase_entry(feed, ix, item, when, site_url)
        else:
            _release_entry(feed, ix, item, when, site_url)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _release_entry(feed: ET.Element, ix: PortfolioIndex, r: Release, when: dt.datetime, site_url: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:relsite:release:{r.id}"
    ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{r.id}: {r.title} ({r.status.replace('_', ' ')})"
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}releases/{r.id}/")
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = when.astimezone(dt.UTC).isoformat()
    ET.SubElement(entry, f"{{{ATOM}}}category", term=r.service)
    prod = ix.prod_start(r)
    at = f"<p>Production: {prod.astimezone(ix.tz):%a %d %b %Y, %H:%M %Z}.</p>" if prod else ""
    content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
    content.text = (
        f"<p>{escape(r.service)} {escape(r.version)}, {r.type}, "
        f"{r.status.replace('_', ' ')}.</p>{at}{md_block(r.summary)}"
    )
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = " ".join(r.summary.split())[:300]


def _phase_entry(feed: ET.Element, ix: PortfolioIndex, change: PhaseChange, when: dt.datetime, site_url: str) -> None:
    """A support line entering a phase, announced on its first day."""
    service = change.status.service.name
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:relsite:{change.uid}"
    ET.SubElement(entry, f"{{{ATOM}}}title").text = change.title
    ET.SubElement(
        entry, f"{{{ATOM}}}link", rel="alternate", href=f"{site_url}services/{service}/#{change.status.anchor}"
    )
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = when.astimezone(dt.UTC).isoformat()
    ET.SubElement(entry, f"{{{ATOM}}}category", term=service)
    ET.SubElement(entry, f"{{{ATOM}}}category", term=change.kind.replace("_", "-"))
    text = f"{change.status.label} entered {PHASE_LABELS[change.phase]} on {fmt.long_day(change.day)}."
    if change.ends:
        text += f" With it, {change.ends}."
    if change.status.now.until and change.phase == change.status.now.phase:
        text += f" The next phase starts on {fmt.long_day(change.status.now.until)}."
    ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = f"<p>{escape(text)}</p>"
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = text
