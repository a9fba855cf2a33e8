"""plan: a valid Portfolio and a date become the Site. Pure: no file I/O, no MkDocs."""

from __future__ import annotations

import datetime as dt

from .. import render
from ..facts import Facts
from ..portfolio import Portfolio
from ..site import Site, relative
from . import places, releases


def plan(pf: Portfolio, today: dt.date) -> Site:
    f = Facts(pf, today)
    site = Site(today)
    site.pages.extend(releases.pages(f))
    site.pages.extend(places.pages(f))
    site.fragments["happening"] = render.render(
        "happening.html.j2", f=f, u=lambda to: relative("", to),
        active=f.in_progress_slots, next=f.upcoming_slots(limit=8), freezes=f.freezes_near())
    return site
