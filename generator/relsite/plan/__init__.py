"""plan: a valid Portfolio and a date become the Site. Pure: no file I/O, no engine import.

What a page shows is decided here, into one small view model per page kind (``plan.pages``); the
templates under ``templates/`` lay those fields out and decide nothing.
"""

from __future__ import annotations

import datetime as dt

from relsite.load.notes.items import ImportedNotes
from relsite.plan import urls
from relsite.plan.atom_feed import atom_asset
from relsite.plan.attention import attention_items
from relsite.plan.calendar_events import CalendarSchedule
from relsite.plan.cle import cle_assets
from relsite.plan.deliveries import feed_asset, json_assets
from relsite.plan.delivery_metrics import delivery_metrics
from relsite.plan.deployment_ledger import entries
from relsite.plan.eol_api import eol_assets
from relsite.plan.index import PortfolioIndex
from relsite.plan.json_api import api_assets
from relsite.plan.pages import (
    attention,
    calendar,
    changing,
    coordinated,
    deliveries,
    environments_and_services,
    guides,
    handover,
    home,
    reference,
    releases,
)
from relsite.plan.schedule_feeds import schedule_assets
from relsite.plan.site import Site
from relsite.plan.technical import Technical
from relsite.validate.portfolio import Portfolio


def plan(pf: Portfolio, today: dt.date, site_url: str = "", prefix: str = "", notes: ImportedNotes | None = None) -> Site:
    """``site_url`` (MkDocs' site_url) makes feed links absolute when known; ``prefix`` is the folder
    the portal lives in within the site (``portal/``, see urls.py); ``notes`` are the technical notes
    imported from the services' repositories (none: no service configures them)."""
    site_url = urls.portal_url(site_url, prefix)
    ix = PortfolioIndex(pf, today)
    schedule = CalendarSchedule(ix)
    site = Site(today=today)
    site.pages.append(releases.index_page(ix))
    site.pages.extend(releases.year_pages(ix))
    tech = Technical(pf, notes) if notes is not None else None
    for r in pf.releases:
        site.pages.append(releases.release_page(ix, r, tech.release(r) if tech else None))
        site.pages.append(handover.handover_page(ix, r))
    if tech:
        site.pages.extend(coordinated.pages(ix, tech))
    site.pages.extend(environments_and_services.pages(ix, tech))
    site.pages.extend(calendar.pages(ix, schedule))
    site.pages.extend(reference.pages())
    site.pages.append(guides.propose_page())
    writer = calendar.event_writer(ix, site_url)
    site.assets.extend(calendar.ics_assets(ix, schedule, site_url, writer))
    site.assets.extend(api_assets(ix, site_url))
    site.assets.extend(schedule_assets(ix))
    site.assets.append(atom_asset(ix, site_url))
    site.assets.extend(eol_assets(ix, site_url, prefix))
    site.assets.extend(cle_assets(ix))
    changes = changing.Changes(ix, schedule)
    site.pages.append(changing.changing_page(changes))
    site.assets.append(changing.changing_asset(changes, site_url))
    site.assets.extend(changing.service_feeds(ix, schedule, writer))
    items = attention_items(ix)
    site.pages.append(attention.attention_page(attention.attention_view(ix, items)))
    site.assets.append(attention.attention_asset(ix, items, site_url))
    ledger = entries(pf)
    metrics = delivery_metrics(ledger, pf.tz)
    site.pages.append(deliveries.metrics_page(ix, metrics))
    site.assets.extend(json_assets(pf.config.name, today, ledger, metrics, site_url))
    site.assets.append(feed_asset(pf.config.name, ledger, ix.now, site_url))
    site.fragments["happening"] = home.happening_fragment(ix, items)
    return urls.rebase(site, prefix)
