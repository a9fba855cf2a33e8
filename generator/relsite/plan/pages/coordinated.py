"""The one combined page of a coordinated change: releases of several services that name each
other in ``coordinated_with``, their summaries, their handovers and their technical notes once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from relsite.plan import urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.plan.technical import Technical, TechnicalView
from relsite.plan.view_parts import AsOf, Link, as_of, handover_readiness, release_link


@dataclass(frozen=True, kw_only=True)
class Member:
    anchor: str
    link: Link
    service: str
    status: str
    summary: str
    highlights: list[str]
    handover: Link
    readiness: str


@dataclass(frozen=True, kw_only=True)
class CoordinatedView:
    as_of: AsOf
    members: list[Member]
    technical: TechnicalView


def pages(ix: PortfolioIndex, technical: Technical) -> Iterator[Page]:
    for key, releases in technical.groups.items():
        members = [
            Member(
                anchor=urls.member(r.id),
                link=release_link(r),
                service=r.service,
                status=r.status,
                summary=r.summary,
                highlights=list(r.notes.highlights),
                handover=Link(text=f"Handover of {r.id}", href=urls.handover(r.id)),
                readiness=handover_readiness(r).sentence,
            )
            for r in releases
        ]
        view = CoordinatedView(as_of=as_of(ix), members=members, technical=technical.group(key))
        title = "Coordinated change: " + ", ".join(r.id for r in releases)
        toc = (
            (urls.SUMMARY, "What changes"),
            (urls.OPERATIONS, "For operations"),
            (urls.TECHNICAL, "Technical changes"),
        )
        yield page(
            urls.coordinated_src(key), title, "coordinated.html.j2", view, toc, description=releases[0].summary[:200]
        )
