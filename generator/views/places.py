"""Environment and service pages: what is live where, what is coming, what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..facts import RECENT_DAYS, UPCOMING_DAYS, Facts
from ..site import Page
from .common import page

MATRIX_RECENT_DAYS = 30


def environments_page(f: Facts) -> Page:
    horizon = f.day_start + dt.timedelta(days=UPCOMING_DAYS)
    since = f.day_start - dt.timedelta(days=MATRIX_RECENT_DAYS)
    rows = list(f.groups["in_progress"])
    rows += [r for r in f.groups["upcoming"] if (f.prod_start(r) or horizon) < horizon]
    rows += [r for r in f.groups["recent"] if (f.prod_start(r) or f.last_activity(r) or since) > since]
    return page(f, "environments/index.md", "Environments", "environments.html.j2", (("matrix", "Releases by environment"), ("live", "Live now")),
                rows=rows, upcoming_days=UPCOMING_DAYS, recent_days=MATRIX_RECENT_DAYS)


def environment_pages(f: Facts) -> Iterator[Page]:
    for env in f.pf.environments:
        yield page(f, f"environments/{env.name}/index.md", f"{env.label} environment", "environment.html.j2",
                   (("live", "Live versions"), ("upcoming", "Upcoming"), ("recent", "Recent")),
                   env=env, live=f.live[env.name], upcoming=f.upcoming_slots(env.name, days=UPCOMING_DAYS), upcoming_days=UPCOMING_DAYS, recent=f.recent_slots(env.name, RECENT_DAYS // 3),
                   recent_days=RECENT_DAYS // 3)


def services_page(f: Facts) -> Page:
    return page(f, "services/index.md", "Services", "services.html.j2")


def service_pages(f: Facts) -> Iterator[Page]:
    for s in f.pf.services.values():
        yield page(f, f"services/{s.name}/index.md", s.label, "service.html.j2", (("live", "Live where"), ("history", "Release history")),
                   service=s, releases=f.by_service.get(s.name, []))


def pages(f: Facts) -> Iterator[Page]:
    yield environments_page(f)
    yield from environment_pages(f)
    yield services_page(f)
    yield from service_pages(f)
