"""plan: a valid Portfolio and a date become the Site. Pure: no file I/O, no engine import.

What a page shows is decided here, into one small view model per page kind (``plan.pages``); the
templates under ``templates/`` lay those fields out and decide nothing.
"""

from __future__ import annotations

import datetime as dt

from relsite.load.notes.items import ImportedNotes
from relsite.plan import urls
from relsite.plan.pages import coordinated, environments_and_services, guides, reference, releases
from relsite.plan.planning import Planning
from relsite.plan.site import Site
from relsite.validate.portfolio import Portfolio


def plan(
    pf: Portfolio, today: dt.date, site_url: str = "", prefix: str = "", notes: ImportedNotes | None = None
) -> Site:
    """``site_url`` (MkDocs' site_url) makes feed links absolute when known; ``prefix`` is the folder
    the portal lives in within the site (``portal/``, see urls.py); ``notes`` are the technical notes
    imported from the services' repositories (none: no service configures them)."""
    return site_of(Planning(pf, today, urls.portal_url(site_url, prefix), prefix, notes))


def site_of(planning: Planning) -> Site:
    """Every page, asset and fragment of the planned site, in the order writers meet them."""
    ix, tech = planning.ix, planning.tech
    site = Site(today=ix.today)
    site.pages.append(releases.index_page(ix))
    site.pages.extend(releases.year_pages(ix))
    for r in planning.pf.releases:
        site.pages.extend(planning.release_pages(r))
    if tech:
        site.pages.extend(coordinated.pages(ix, tech))
    site.pages.extend(environments_and_services.pages(ix, tech, ledgers=planning.env_ledgers))
    site.pages.extend(planning.calendar_pages())
    site.pages.extend(reference.pages())
    site.pages.append(guides.propose_page())
    site.pages.extend(planning.closing_pages())
    site.assets = planning.assets()
    site.fragments = planning.fragments()
    return urls.rebase(site, planning.prefix)
