"""/attention/: the release manager's page, its card on the home page, and /api/v1/attention.json."""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan import json_text, urls
from relsite.plan.attention import ALARM, KINDS, AttentionItem
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.site import Asset, Page
from relsite.plan.view_parts import AsOf, Link, as_of, release_link


@dataclass(frozen=True, kw_only=True)
class ItemRow:
    release: Link
    title: str
    message: str
    show: Link
    other: Link | None = None
    """The second release of a clash, linked as well."""
    other_title: str = ""


@dataclass(frozen=True, kw_only=True)
class KindSection:
    anchor: str
    heading: str
    intro: str
    rows: list[ItemRow]
    alarm: bool = False
    """Late or clashing: drawn in the alarm colour."""


@dataclass(frozen=True, kw_only=True)
class AttentionView:
    as_of: AsOf
    horizon_days: int
    total: int
    sections: list[KindSection]


def _row(item: AttentionItem) -> ItemRow:
    other = item.other
    return ItemRow(
        release=release_link(item.release),
        title=item.release.title,
        message=item.message,
        show=Link(text="show", href=item.href),
        other=release_link(other) if other else None,
        other_title=other.title if other else "",
    )


def attention_view(ix: PortfolioIndex, items: list[AttentionItem]) -> AttentionView:
    sections = [
        KindSection(
            anchor=kind,
            heading=heading,
            intro=intro,
            rows=[_row(i) for i in items if i.kind == kind],
            alarm=kind in ALARM,
        )
        for kind, heading, intro in KINDS
    ]
    return AttentionView(
        as_of=as_of(ix), horizon_days=ix.pf.config.attention.horizon_days, total=len(items), sections=sections
    )


def attention_page(view: AttentionView) -> Page:
    toc = tuple((s.anchor, s.heading) for s in view.sections)
    return page(urls.ATTENTION_SRC, "Needs attention", "attention.html.j2", view, toc, searchable=False)


def attention_asset(ix: PortfolioIndex, items: list[AttentionItem], site_url: str) -> Asset:
    def render() -> bytes:
        data = {
            "portfolio": ix.pf.config.name,
            "as_of": ix.today.isoformat(),
            "horizon_days": ix.pf.config.attention.horizon_days,
            "items": [
                {
                    "kind": i.kind,
                    "release": i.release.id,
                    "title": i.release.title,
                    "message": i.message,
                    "url": f"{site_url}{i.href}",
                    "when": i.when,
                }
                | ({"with": i.other.id} if i.other else {})
                for i in items
            ],
        }
        return json_text.indented(data)

    return Asset(path=urls.ATTENTION_JSON, render=render)
