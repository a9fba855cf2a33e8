"""The shared pieces of one plan of (Portfolio, today): the index, the calendar, the attention items,
the ledger, and every asset in the order the site lists them.

``plan()`` builds the whole site from one of these; the incremental re-planner (incremental.py)
builds one per update and asks it only for the pages and assets a change can affect, so both
make each piece the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import cached_property

from relsite.load.notes.items import ImportedNotes
from relsite.plan import deployment_ledger
from relsite.plan.atom_feed import atom_asset
from relsite.plan.attention import AttentionItem, attention_items
from relsite.plan.calendar_events import CalendarSchedule
from relsite.plan.cle import cle_assets
from relsite.plan.deliveries import feed_asset, json_assets
from relsite.plan.delivery_metrics import Metrics, delivery_metrics
from relsite.plan.deployment_ledger import Entry, entries
from relsite.plan.eol_api import eol_assets
from relsite.plan.icalendar_feed import EventWriter
from relsite.plan.index import PortfolioIndex
from relsite.plan.json_api import api_assets
from relsite.plan.pages import attention, calendar, changing, deliveries, handover, home, releases
from relsite.plan.pages.ledger_views import EnvLedger, environment_ledgers
from relsite.plan.schedule_feeds import schedule_assets
from relsite.plan.site import Asset, Page
from relsite.plan.technical import Technical
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio


class Planning:
    """``site_url`` is the portal's absolute URL (urls.portal_url) or empty; ``writer`` and
    ``api_cache`` may be kept by a caller across plans (each is keyed by what it serialises)."""

    def __init__(
        self,
        pf: Portfolio,
        today: dt.date,
        site_url: str = "",
        prefix: str = "",
        notes: ImportedNotes | None = None,
        writer: EventWriter | None = None,
        api_cache: dict[str, bytes] | None = None,
    ) -> None:
        self.pf = pf
        self.ix = PortfolioIndex(pf, today)
        self.site_url = site_url
        self.prefix = prefix
        self.tech = Technical(pf, notes) if notes is not None else None
        self.writer = writer or calendar.event_writer(self.ix, site_url)
        self.api_cache = api_cache
        self._revising: tuple[Planning, Collection[str]] | None = None

    def revise(self, previous: Planning, ids: Collection[str]) -> None:
        """Make the calendar from ``previous``'s, which planned the same portfolio but for the releases
        ``ids``: only their events are made again. Call before the calendar is first read."""
        assert "schedule" not in self.__dict__, "the calendar is planned already"
        self._revising = (previous, ids)

    def forget_previous(self) -> None:
        """Plan the calendar now and drop the previous planning, so that plannings do not chain up in memory."""
        _ = self.calendar
        self._revising = None

    @cached_property
    def schedule(self) -> CalendarSchedule:
        if self._revising is None:
            return CalendarSchedule(self.ix)
        previous, ids = self._revising
        return CalendarSchedule.revised(previous.schedule, self.ix, ids)

    @cached_property
    def calendar(self) -> calendar.CalendarPlanner:
        if self._revising is None:
            return calendar.CalendarPlanner(self.ix, self.schedule)
        return calendar.CalendarPlanner.revised(self._revising[0].calendar, self.ix, self.schedule)

    @cached_property
    def changes(self) -> changing.Changes:
        if self._revising is not None and "changes" in self._revising[0].__dict__:
            return changing.Changes.revised(self._revising[0].changes, self.ix, self.schedule)
        return changing.Changes(self.ix, self.schedule)

    @cached_property
    def attention(self) -> list[AttentionItem]:
        if self._revising is not None and "attention" in self._revising[0].__dict__:
            return attention_items(self.ix, (self._revising[0].attention, self._revising[1]))
        return attention_items(self.ix)

    @cached_property
    def ledger(self) -> list[Entry]:
        """The previous planning's ledger when the releases revised kept their attempts (most edits:
        a title, a window, a status), so that the ledger, its metrics and the files made of them
        are not made again; else the previous one with their attempts filed in again (at 10,000
        releases a full pass took a fifth of a second)."""
        if self._revising is None:
            return entries(self.pf)
        previous, ids = self._revising
        theirs = entries(self.pf, ids)
        if theirs == [e for e in previous.ledger if e.release_id in ids]:
            return previous.ledger
        return deployment_ledger.revised(previous.ledger, ids, theirs)

    @cached_property
    def env_ledgers(self) -> dict[str, EnvLedger]:
        """Each environment's view of the ledger: the previous planning's when the ledger is its own."""
        if self._revising is not None and self.ledger is self._revising[0].ledger:
            return self._revising[0].env_ledgers
        return environment_ledgers(self.ix, self.ledger)

    @cached_property
    def metrics(self) -> Metrics:
        if self._revising is not None and self.ledger is self._revising[0].ledger:
            return self._revising[0].metrics
        return delivery_metrics(self.ledger, self.pf.tz)

    # --- pages --------------------------------------------------------------------------------

    def release_pages(self, r: Release) -> list[Page]:
        """A release's notes page and its handover page."""
        tech = self.tech.release(r) if self.tech else None
        return [releases.release_page(self.ix, r, tech), handover.handover_page(self.ix, r)]

    def calendar_pages(self) -> list[Page]:
        planner = self.calendar
        return [planner.landing(), *planner.month_pages(), planner.years(), planner.agenda()]

    def closing_pages(self) -> list[Page]:
        """What is changing, what needs attention, delivery metrics: the portfolio-wide summaries."""
        return [
            changing.changing_page(self.changes),
            attention.attention_page(attention.attention_view(self.ix, self.attention)),
            deliveries.metrics_page(self.ix, self.metrics),
        ]

    def fragments(self) -> dict[str, str]:
        return {"happening": home.happening_fragment(self.ix, self.attention)}

    # --- assets -------------------------------------------------------------------------------

    def assets(self) -> list[Asset]:
        """Every asset, in the site's order; each renders its bytes only when asked."""
        ix, site_url = self.ix, self.site_url
        out = list(calendar.ics_assets(ix, self.schedule, site_url, self.writer))
        out += api_assets(ix, site_url, self.api_cache)
        out += schedule_assets(ix)
        out.append(atom_asset(ix, site_url, keep=self.api_cache is not None))
        out += eol_assets(ix, site_url, self.prefix)
        out += cle_assets(ix)
        out.append(changing.changing_asset(self.changes, site_url))
        out += changing.service_feeds(ix, self.schedule, self.writer)
        out.append(attention.attention_asset(ix, self.attention, site_url))
        out += self.ledger_assets()
        return out

    def ledger_assets(self) -> list[Asset]:
        """The deployments API and feed and the metrics: functions of the ledger alone."""
        name, site_url = self.pf.config.name, self.site_url
        return [
            *json_assets(name, self.ix.today, self.ledger, self.metrics, site_url),
            feed_asset(name, self.ledger, self.ix.now, site_url),
        ]
