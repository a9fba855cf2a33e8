"""The handover page: what operations need to run a release, and whether they have it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from relsite.plan import formatting as fmt
from relsite.plan import urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.plan.view_parts import AsOf, Link, as_of, handover_readiness, release_link
from relsite.validate import lifecycle
from relsite.validate.models import Handover, KnownIssue, Release

TOC = (
    ("at-a-glance", "At a glance"),
    (urls.READINESS, "Readiness"),
    ("runbook", "Runbook and monitoring"),
    ("known-errors", "Known errors"),
    (urls.EARLY_LIFE_SUPPORT, "Early life support"),
)


@dataclass(frozen=True, kw_only=True)
class ChecklistRow:
    name: str
    done: bool
    required_now: bool
    """Missing although the release's status requires it: validation reports this as an error."""
    note: str
    """Why it matters when missing: "missing — required at status ready", "recommended"."""


@dataclass(frozen=True, kw_only=True)
class Readiness:
    applies: bool
    """False for a cancelled release: no readiness is shown."""
    summary: str
    """"ready" or "missing: runbook, rollback plan"."""
    blocking: list[str]
    """Missing items that operations need before they take over."""
    recommended: list[str]
    """Recommended items not there yet, said apart from the required ones."""
    rows: list[ChecklistRow]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{5,}$")


def contact_href(contact: str) -> str:
    """A contact as a link people can follow in an incident: mail, phone or web; "" for a chat
    channel or anything else, which is shown as text."""
    text = contact.strip()
    if _EMAIL.match(text):
        return f"mailto:{text}"
    if _PHONE.match(text):
        return "tel:" + re.sub(r"[^0-9+]", "", text)
    if text.startswith(("https://", "http://")):
        return text
    return ""


@dataclass(frozen=True, kw_only=True)
class HandoverView:
    as_of: AsOf
    r: Release
    h: Handover | None
    release: Link
    service_label: str
    production: str
    """"Production window: …" or "No production window yet."."""
    readiness: Readiness
    known_errors: list[KnownIssue]
    els_until: str
    els_ended: bool
    accepted_on: str
    contact_href: str
    depends_on: list[Link]
    """Releases it depends on, each with where it stands in production."""
    depends_text: list[str]
    components: str
    """"api 2.4.0, worker 2.4.0", or ""."""
    changes: str
    """The change numbers, or ""."""


def _note(r: Release, entry: lifecycle.ChecklistEntry) -> str:
    if r.status in entry.required_at:
        return f"missing — required at status {fmt.label(r.status)}"
    return {
        "before_handover": "required from status ready",
        "to_close": "required to close",
        "recommended": "recommended",
    }[entry.level]


def readiness(r: Release) -> Readiness:
    rows = []
    for entry in lifecycle.CHECKLIST:
        done = entry.present(r)
        rows.append(
            ChecklistRow(
                name=entry.name,
                done=done,
                required_now=not done and r.status in entry.required_at,
                note="" if done else _note(r, entry),
            )
        )
    summary = handover_readiness(r)
    return Readiness(
        applies=summary.applies,
        summary=summary.short,
        blocking=summary.missing,
        recommended=summary.recommended,
        rows=rows,
    )


def handover_view(ix: PortfolioIndex, r: Release) -> HandoverView:
    h = r.handover
    prod = r.environments.get(ix.pf.production)
    production = (
        f"{fmt.span(prod.window.start, prod.window.end, ix.tz)} ({fmt.label(prod.status)})"
        if prod and prod.window
        else ""
    )
    els = h.early_life_support if h else None
    return HandoverView(
        as_of=as_of(ix),
        r=r,
        h=h,
        release=release_link(r),
        service_label=ix.service(r.service).label,
        production=production,
        readiness=readiness(r),
        known_errors=(list(h.known_errors) if h else []) + list(r.notes.known_issues),
        els_until=fmt.day(els.until) if els else "",
        els_ended=bool(els and els.until < ix.today),
        accepted_on=fmt.day(h.accepted_by.date) if h and h.accepted_by else "",
        contact_href=contact_href(h.support.contact) if h and h.support and h.support.contact else "",
        depends_on=[Link(text=d, href=urls.release(d)) for d in r.depends_on],
        depends_text=[_dependency_state(ix, d) for d in r.depends_on],
        components=", ".join(f"{c.name} {c.version}" for c in r.components),
        changes=", ".join(r.changes),
    )


def _dependency_state(ix: PortfolioIndex, dep_id: str) -> str:
    """Where a dependency stands in production, the one thing operations ask about it."""
    other = ix.pf.by_id.get(dep_id)
    if other is None:
        return ""
    theirs = other.environments.get(ix.pf.production)
    state = (
        f"{fmt.label(theirs.status)} in {ix.production.label}" if theirs else f"not planned for {ix.production.label}"
    )
    return f"{other.title} ({state})"


def handover_page(ix: PortfolioIndex, r: Release) -> Page:
    return page(urls.handover_src(r.id), f"Handover: {r.id} {r.title}", "handover.html.j2", handover_view(ix, r), TOC)
