"""plan: a valid Portfolio and a date become the Site. Pure: no file I/O, no MkDocs."""

from __future__ import annotations

import datetime as dt

from .. import render
from ..events import Schedule
from ..facts import Facts
from ..feeds import api_assets, atom_asset
from ..portfolio import Portfolio
from ..site import Site, relative
from . import calendar, places, reference, releases

NEXT_DEPLOYMENTS = 8


def plan(pf: Portfolio, today: dt.date, site_url: str = "") -> Site:
    """``site_url`` (MkDocs' site_url, with a trailing slash) makes feed links absolute when known."""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    f = Facts(pf, today)
    schedule = Schedule(f)
    site = Site(today)
    site.pages.extend(releases.pages(f))
    site.pages.extend(places.pages(f))
    site.pages.extend(calendar.pages(f, schedule))
    site.pages.extend(reference.pages(f))
    site.assets.extend(calendar.ics_assets(f, schedule, site_url))
    site.assets.extend(api_assets(f, site_url))
    site.assets.append(atom_asset(f, site_url))
    upcoming = [s for s in f.upcoming_slots() if s.dep.status == "scheduled"][:NEXT_DEPLOYMENTS]
    site.fragments["happening"] = render.render(
        "happening.html.j2", f=f, u=lambda to: relative("", to),
        active=f.in_progress_slots, next=upcoming, freezes=f.freezes_near())
    return site
