"""The "what is happening" block on the hand-written home page: deployments now and next, freezes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import markup, urls
from relsite.plan.attention import ALARM, KINDS, AttentionItem, concerns
from relsite.plan.index import PortfolioIndex
from relsite.plan.site import relative
from relsite.plan.view_parts import AsOf, Link, as_of, release_link
from relsite.validate.schedule import occurrences

NEXT_DEPLOYMENTS = 8
FREEZE_NOTICE_DAYS = 30


@dataclass(frozen=True, kw_only=True)
class DeploymentLine:
    release: Link
    env: str
    when: str
    late: str = ""
    """Why it is overrunning ("window ended 27 Nov 2026 (4 days ago); still in progress"), or ""."""


@dataclass(frozen=True, kw_only=True)
class FreezeLine:
    name: str
    kind: str
    active: bool
    start: str
    end: str
    environments: str


@dataclass(frozen=True, kw_only=True)
class AttentionCount:
    link: Link
    count: int
    alarm: bool = False


@dataclass(frozen=True, kw_only=True)
class HappeningView:
    as_of: AsOf
    active: list[DeploymentLine]
    next: list[DeploymentLine]
    freezes: list[FreezeLine]
    freeze_notice_days: int
    attention: list[AttentionCount]
    attention_total: int


def happening_view(ix: PortfolioIndex, attention: list[AttentionItem]) -> HappeningView:
    late = concerns(ix).overruns
    active = [
        DeploymentLine(
            release=Link(text=s.release.title, href=release_link(s.release).href),
            env=ix.env(s.env).label,
            when=fmt.when(s.dep.window.end, ix.tz) if s.dep.window else "",
            late=late.get((s.release.id, s.env), ""),
        )
        for s in ix.in_progress_slots
    ]
    upcoming = [s for s in ix.upcoming_slots() if s.dep.status == "scheduled"][:NEXT_DEPLOYMENTS]
    nxt = [
        DeploymentLine(
            release=Link(text=s.release.title, href=release_link(s.release).href),
            env=ix.env(s.env).label,
            when=fmt.when(s.start, ix.tz),
        )
        for s in upcoming
    ]
    freezes = []
    notice = ix.day_start + dt.timedelta(days=FREEZE_NOTICE_DAYS + 1)
    for fr in ix.pf.config.freezes:
        for iv in occurrences(fr, ix.tz, ix.day_start, notice):
            first, last = iv.start.astimezone(ix.tz), (iv.end - dt.timedelta(minutes=1)).astimezone(ix.tz)
            active_now = first.date() <= ix.today
            freezes.append(
                FreezeLine(
                    name=fr.name,
                    kind=fr.kind,
                    active=active_now,
                    start=fmt.day(first.date()),
                    end=fmt.day(last.date()),
                    environments=", ".join(fr.environments or []),
                )
            )
    counts = [
        AttentionCount(
            link=Link(text=heading, href=urls.attention(kind)),
            count=sum(i.kind == kind for i in attention),
            alarm=kind in ALARM,
        )
        for kind, heading, _ in KINDS
    ]
    return HappeningView(
        as_of=as_of(ix),
        active=active,
        next=nxt,
        freezes=freezes,
        freeze_notice_days=FREEZE_NOTICE_DAYS,
        attention=[c for c in counts if c.count],
        attention_total=len(attention),
    )


def happening_fragment(ix: PortfolioIndex, attention: list[AttentionItem]) -> str:
    """HTML for the home page's marker; links are relative to the site root and fixed per page by the publisher."""
    return markup.render("happening.html.j2", v=happening_view(ix, attention), u=lambda to: relative("", to))
