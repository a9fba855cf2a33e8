"""The "what is happening" block on the hand-written home page: deployments now and next, freezes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import markup, urls
from relsite.plan.attention import KINDS, AttentionItem
from relsite.plan.index import PortfolioIndex
from relsite.plan.rows import AsOf, Link, as_of, release_link
from relsite.plan.site import relative
from relsite.validate.schedule import occurrences

NEXT_DEPLOYMENTS = 8
FREEZE_NOTICE_DAYS = 30


@dataclass(frozen=True)
class DeploymentLine:
    release: Link
    env: str
    when: str


@dataclass(frozen=True)
class FreezeLine:
    name: str
    kind: str
    active: bool
    start: str
    end: str
    environments: str


@dataclass(frozen=True)
class AttentionCount:
    link: Link
    count: int


@dataclass(frozen=True)
class HappeningView:
    as_of: AsOf
    active: list[DeploymentLine]
    next: list[DeploymentLine]
    freezes: list[FreezeLine]
    freeze_notice_days: int
    attention: list[AttentionCount]
    attention_total: int


def happening_view(ix: PortfolioIndex, attention: list[AttentionItem]) -> HappeningView:
    active = [DeploymentLine(Link(s.release.title, release_link(s.release).href), ix.env(s.env).label,
                             fmt.when(s.dep.window.end, ix.tz) if s.dep.window else "") for s in ix.in_progress_slots]
    upcoming = [s for s in ix.upcoming_slots() if s.dep.status == "scheduled"][:NEXT_DEPLOYMENTS]
    nxt = [DeploymentLine(Link(s.release.title, release_link(s.release).href), ix.env(s.env).label, fmt.when(s.start, ix.tz))
           for s in upcoming]
    freezes = []
    notice = ix.day_start + dt.timedelta(days=FREEZE_NOTICE_DAYS + 1)
    for fr in ix.pf.config.freezes:
        for iv in occurrences(fr, ix.tz, ix.day_start, notice):
            first, last = iv.start.astimezone(ix.tz), (iv.end - dt.timedelta(minutes=1)).astimezone(ix.tz)
            active_now = first.date() <= ix.today
            freezes.append(FreezeLine(fr.name, fr.kind, active_now, fmt.day(first.date()), fmt.day(last.date()), ", ".join(fr.environments or [])))
    counts = [AttentionCount(Link(heading, urls.attention(kind)), sum(i.kind == kind for i in attention)) for kind, heading, _ in KINDS]
    return HappeningView(as_of(ix), active, nxt, freezes, FREEZE_NOTICE_DAYS, [c for c in counts if c.count], len(attention))


def happening_fragment(ix: PortfolioIndex, attention: list[AttentionItem]) -> str:
    """HTML for the home page's marker; links are relative to the site root and fixed per page by the publisher."""
    return markup.render("happening.html.j2", v=happening_view(ix, attention), u=lambda to: relative("", to))
