"""Re-planning after a few release files change, for the live preview: only what the change can reach.

A full plan of 1,000 releases took a second and rendering every asset two more; a preview must show
an edit sooner. ``Replanner.update`` re-plans the pages of the changed releases and of the releases
tied to them (dependencies either way, windows clashing in the old or the new portfolio, their
coordinated change), the archives, months and services their old and new versions touch, and every
portfolio-wide page and asset; it compares each re-planned page's view model (``Page.view``) with
the last plan's and each asset's bytes with the last ones it saw, and hands back only what differs.
A change that adds or removes a page or asset (a release moving into a month or year that had no
page, a service appearing) is not scoped: ``update`` returns None and the caller plans in full.
Pure like the rest of plan: no I/O, no engine import. tests/test_replan_property.py holds it to
``plan()`` on random edits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from relsite.load.notes.items import ImportedNotes
from relsite.plan import index_revise, urls
from relsite.plan.attention import concerns
from relsite.plan.icalendar_feed import EventWriter, event_key
from relsite.plan.pages import attention, changing, coordinated, deliveries, environments_and_services, releases
from relsite.plan.pages.calendar import AGENDA_AHEAD_DAYS, AGENDA_BACK_DAYS
from relsite.plan.pages.supported_versions import support_page
from relsite.plan.planning import Planning
from relsite.plan.site import Asset, Page, Site
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio


@dataclass(frozen=True, kw_only=True)
class Delta:
    """What an update changed, with the prefix applied like ``Site``'s own pages and assets."""

    pages: list[Page]
    """Pages whose body, title, toc, description or hide may differ from the last plan."""
    assets: list[Asset]
    """Assets whose bytes may differ (already rendered: ``render`` returns kept bytes)."""
    fragments: dict[str, str]
    """Fragments (``Site.fragments``) whose HTML differs."""


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What one update re-plans besides the portfolio-wide pages and assets."""

    releases: frozenset[str]
    years: frozenset[int | None]
    months: frozenset[dt.date]
    services: frozenset[str]
    envs: frozenset[str]
    days: tuple[tuple[dt.date, dt.date], ...]
    """First and last day of every event of the releases in scope, old and new."""

    def touches(self, first: dt.date, last: dt.date) -> bool:
        """Whether an event in scope falls on a day from ``first`` to ``last``."""
        return any(a <= last and b >= first for a, b in self.days)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _kept(data: bytes) -> Callable[[], bytes]:
    return lambda: data


class Replanner:
    """Plans fully once (``site``), then keeps ``site`` equal to a full plan across ``update``s."""

    def __init__(
        self, pf: Portfolio, today: dt.date, site_url: str = "", prefix: str = "", notes: ImportedNotes | None = None
    ) -> None:
        self.today = today
        self.prefix = prefix
        self.notes = notes
        self.site_url = urls.portal_url(site_url, prefix)
        self._api_cache: dict[str, bytes] = {}
        self._digests: dict[str, bytes] = {}
        """Asset path (without prefix) -> digest of the bytes last rendered for it."""
        planning = self._planning(pf, None)
        self._now = planning
        self.site = self._full_site(planning)

    def _planning(self, pf: Portfolio, writer: EventWriter | None) -> Planning:
        return Planning(
            pf, self.today, self.site_url, self.prefix, self.notes, writer=writer, api_cache=self._api_cache
        )

    def _full_site(self, planning: Planning) -> Site:
        from relsite.plan import site_of  # the one definition of a whole site (plan/__init__ imports planning)

        site = site_of(planning)
        self._page_at = {p.src_uri.removeprefix(self.prefix): i for i, p in enumerate(site.pages)}
        self._asset_at = {a.path.removeprefix(self.prefix): i for i, a in enumerate(site.assets)}
        site.assets = [self._remembering(a) for a in site.assets]
        return site

    def _remembering(self, asset: Asset) -> Asset:
        """The asset, noting the digest of its bytes whenever someone renders it (the first build)."""
        path = asset.path.removeprefix(self.prefix)

        def render() -> bytes:
            data = asset.render()
            self._digests[path] = _digest(data)
            return data

        return dataclasses.replace(asset, render=render)

    # --- update -------------------------------------------------------------------------------

    def update(self, pf: Portfolio, changed: Collection[str]) -> Delta | None:
        """Re-plan after the releases ``changed`` were edited into ``pf`` (validated, same config,
        same today, same notes); None when the change needs a full plan (``site`` is then unchanged).

        The cyclic collector is paused meanwhile: an update allocates many small acyclic objects
        on top of a heap holding two portfolios, and full collections scanning that heap were most
        of an update's time (as in validate.checker.check_folder)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._update(pf, changed)
        finally:
            if paused:
                gc.enable()

    def _update(self, pf: Portfolio, changed: Collection[str]) -> Delta | None:
        old = self._now
        if not _same_releases(old.pf, pf, changed):
            return None
        new = self._planning(pf, old.writer)
        index_revise.revise(new.ix, old.ix)
        ids = frozenset(_related(old, changed) | _related(new, changed))
        new.revise(old, ids)
        if not _same_shape(old, new):
            return None
        scope = _scope(old, new, ids)
        pages = [p for p in _pages(new, scope) if _differs(p, self.site.pages[self._page_at[p.src_uri]])]
        assets = new.assets()
        if len(assets) != len(self._asset_at) or any(a.path not in self._asset_at for a in assets):
            return None
        changed_assets = self._changed_assets(old, new, assets, scope)
        fragments = {k: v for k, v in new.fragments().items() if self.site.fragments.get(k) != v}
        new.forget_previous()
        self._commit(new, pages, assets, fragments)
        return Delta(
            pages=[self._rebased(p) for p in pages],
            assets=[self._rebased_asset(a) for a in changed_assets],
            fragments=fragments,
        )

    def _rebased(self, page: Page) -> Page:
        if not self.prefix:
            return page
        return dataclasses.replace(page, src_uri=self.prefix + page.src_uri, url=self.prefix + page.url)

    def _rebased_asset(self, asset: Asset) -> Asset:
        return Asset(path=self.prefix + asset.path, render=asset.render) if self.prefix else asset

    def _changed_assets(self, old: Planning, new: Planning, assets: list[Asset], scope: Scope) -> list[Asset]:
        """The assets in scope rendered, those whose bytes differ from the last ones seen returned with
        their bytes kept. A portfolio-wide file made of per-release parts is rendered only when a part
        in scope changed: the calendars when an event did, the release JSON files when a release's did."""
        before = {rid: self._api_cache.pop(rid, None) for rid in scope.releases}
        skip = set(_CONSTANT | (_LEDGER if old.ledger == new.ledger else frozenset()))
        if not scope.touches(*_changing_days(new)):
            skip.add(urls.CHANGING_JSON)
        gone, added = new.schedule.replaced
        if [event_key(e) for e in gone] == [event_key(e) for e in added]:
            skip |= {a.path for a in assets if a.path.endswith(".ics") and a.path != urls.FREEZES_ICS}
            events_changed = False
        else:  # an event's bytes follow its key, and the portfolio's calendar holds every event
            events_changed = True
        owned = [a for a in assets if _owner(a.path) is not None and _in_scope(a.path, scope)]
        out = self._rendered_if_changed(owned, skip)
        if all(before[rid] is not None and before[rid] == self._api_cache.get(rid) for rid in scope.releases):
            skip |= {urls.api("releases.json"), urls.RELEASE_FINDER}  # each made of the releases' own JSON facts
        # releases.json joins the releases' JSON: when one of them changed, so did it (no need to hash 40 MB)
        known = any(before[rid] not in (None, self._api_cache.get(rid)) for rid in scope.releases)
        changed = {urls.api("releases.json")} if known else set()
        if events_changed:
            changed.add(urls.RELEASES_ICS)
        out += self._rendered_if_changed([a for a in assets if _owner(a.path) is None], skip, changed)
        if new.writer.size > 4 * len(new.schedule.all) + 1000:
            new.writer.forget(new.schedule.all)
        return out

    def _rendered_if_changed(self, assets: list[Asset], skip: set[str], changed: Collection[str] = ()) -> list[Asset]:
        """``changed``: assets known to differ, returned without hashing (their digest is forgotten)."""
        out = []
        for asset in assets:
            if asset.path in skip:
                continue
            data = asset.render()
            if asset.path in changed:
                self._digests.pop(asset.path, None)
                out.append(Asset(path=asset.path, render=_kept(data)))
                continue
            digest = _digest(data)
            if self._digests.get(asset.path) != digest:
                self._digests[asset.path] = digest
                out.append(Asset(path=asset.path, render=_kept(data)))
        return out

    def _commit(self, new: Planning, pages: list[Page], assets: list[Asset], fragments: dict[str, str]) -> None:
        for p in pages:
            self.site.pages[self._page_at[p.src_uri]] = self._rebased(p)
        self.site.assets = [self._rebased_asset(a) for a in assets]
        self.site.fragments.update(fragments)
        self._now = new


# --- what a change can reach ----------------------------------------------------------------------


def _same_releases(old: Portfolio, new: Portfolio, changed: Collection[str]) -> bool:
    """The same releases in the same order, every changed one among them, the same services."""
    if len(old.releases) != len(new.releases):
        return False
    if any(a is not b and a.id != b.id for a, b in zip(old.releases, new.releases, strict=True)):
        return False
    return all(rid in new.by_id for rid in changed) and (old.services is new.services or old.services == new.services)


def _same_shape(old: Planning, new: Planning) -> bool:
    """The same year archives, month pages, support calendar and coordinated changes: the same pages."""
    if list(old.ix.by_year) != list(new.ix.by_year) or old.calendar.months != new.calendar.months:
        return False
    if bool(old.schedule.support) != bool(new.schedule.support):
        return False
    if old.tech is not None and new.tech is not None:
        return _group_ids(old.tech.groups) == _group_ids(new.tech.groups)
    return True


def _group_ids(groups: dict[str, list[Release]]) -> dict[str, list[str]]:
    return {key: [r.id for r in members] for key, members in groups.items()}


def _related(planning: Planning, ids: Iterable[str]) -> set[str]:
    """The releases whose pages name one of ``ids``: dependencies either way, clashing windows, and
    the other members of its coordinated change when notes are imported."""
    pf, found = planning.pf, concerns(planning.ix)
    out: set[str] = set()
    for rid in ids:
        r = pf.by_id[rid]
        out.add(rid)
        out.update(d for d in r.depends_on if d in pf.by_id)
        out.update(d.id for d in planning.ix.dependents.get(rid, []))
        for env in r.environments:
            out.update(o.id for o in found.clash_with.get((rid, env), []))
        if planning.tech and rid in planning.tech.group_of:
            out.update(m.id for m in planning.tech.groups[planning.tech.group_of[rid]])
    return out


def _scope(old: Planning, new: Planning, ids: frozenset[str]) -> Scope:
    years: set[int | None] = set()
    services: set[str] = set()
    envs: set[str] = set()
    events = []
    for planning in (old, new):
        for rid in ids:
            r = planning.pf.by_id[rid]
            years.add(planning.ix.year_of(r))
            services.add(r.service)
            envs.update(r.environments)
            events += planning.schedule.by_release[rid]
    if old.schedule.support != new.schedule.support:
        events += [*old.schedule.support, *new.schedule.support]
    tz, planner = new.ix.tz, new.calendar
    days = {(e.first_day(tz), e.last_day(tz)) for e in events}
    months = {m for first, last in days for m in planner.pages_touched(first, last)}
    return Scope(
        releases=ids,
        years=frozenset(years),
        months=frozenset(months),
        services=frozenset(services),
        envs=frozenset(envs),
        days=tuple(sorted(days)),
    )


def _changing_days(planning: Planning) -> tuple[dt.date, dt.date]:
    """The days the "changing soon" page and its JSON show (plan/pages/changing.py), a day wider each way."""
    days = dt.timedelta(days=planning.pf.config.calendar.changing_days + 1)
    return planning.ix.today - days, planning.ix.today + days


def _agenda_days(planning: Planning) -> tuple[dt.date, dt.date]:
    """The days the agenda shows, a day wider each way (plan/pages/calendar.py)."""
    today = planning.ix.today
    return today - dt.timedelta(days=AGENDA_BACK_DAYS + 1), today + dt.timedelta(days=AGENDA_AHEAD_DAYS + 1)


def _pages(new: Planning, scope: Scope) -> Iterator[Page]:
    """The pages in scope and the portfolio-wide pages a change may reach, planned on the new portfolio."""
    ix, tech = new.ix, new.tech
    yield releases.index_page(ix)
    for year in scope.years:
        yield releases.year_page(ix, year)
    for rid in scope.releases:
        yield from new.release_pages(ix.pf.by_id[rid])
    if tech:
        yield from coordinated.pages(ix, tech)
    yield environments_and_services.environments_page(ix)
    yield from environments_and_services.environment_pages(ix, scope.envs, ledgers=new.env_ledgers)
    yield environments_and_services.services_page(ix)
    for name in scope.services:
        yield environments_and_services.service_page(ix, ix.pf.services[name], tech)
    yield support_page(ix)
    yield from _calendar_pages(new, scope)
    if scope.touches(*_changing_days(new)):
        yield changing.changing_page(new.changes)
    yield attention.attention_page(attention.attention_view(ix, new.attention))
    yield deliveries.metrics_page(ix, new.metrics)


def _calendar_pages(new: Planning, scope: Scope) -> Iterator[Page]:
    planner = new.calendar
    if new.ix.today.replace(day=1) in scope.months:
        yield planner.landing()
    for month in scope.months:
        yield planner.month_page(month)
    yield planner.years()
    if scope.touches(*_agenda_days(new)):
        yield planner.agenda()


def _differs(new: Page, old: Page) -> bool:
    """Whether the page may read differently: a page without a view model always may."""
    if new.view is None or old.view is None or new.template != old.template:
        return True
    if (new.title, new.toc, new.description, new.hide) != (old.title, old.toc, old.description, old.hide):
        return True
    return new.view != old.view


_SCHEMAS = ("releases", "release", "environments", "support", "deployments", "metrics")
_CONSTANT = frozenset(
    {urls.FREEZES_JSON, urls.FREEZES_SCHEMA, urls.FREEZES_ICS, *(urls.api(f"{name}.schema.json") for name in _SCHEMAS)}
)
"""Assets made from the configuration or the code alone, which an update never changes."""
_LEDGER = frozenset({"api/v1/deployments.json", "api/v1/metrics.json", "deployments.xml"})


def _in_scope(path: str, scope: Scope) -> bool:
    """Whether an update re-renders the asset: not another release's or another service's own."""
    owner = _owner(path)
    if owner is None:
        return True
    kind, name = owner
    return name in (scope.releases if kind == "release" else scope.services)


_EOL_PRODUCTS = f"{urls.EOL_API}/products/"


def _owner(path: str) -> tuple[str, str] | None:
    """("release", id) or ("service", name) for an asset about one release or one service."""
    if path.startswith("releases/") and path.endswith("/release.ics"):
        return "release", path.removeprefix("releases/").removesuffix("/release.ics")
    if path.startswith(f"{urls.API}/releases/") and path.endswith(".json"):
        return "release", path.removeprefix(f"{urls.API}/releases/").removesuffix(".json")
    if path.startswith("calendar/services/"):
        return "service", path.removeprefix("calendar/services/").removesuffix(".ics")
    if path.startswith(_EOL_PRODUCTS) and path.count("/") > _EOL_PRODUCTS.count("/"):
        name = path.removeprefix(_EOL_PRODUCTS).split("/", 1)[0]
        return None if name == urls.EOL_FULL_LISTING else ("service", name)
    if path.startswith(f"{urls.CLE_DIR}/"):
        return "service", path.removeprefix(f"{urls.CLE_DIR}/").removesuffix(".json")
    return None
