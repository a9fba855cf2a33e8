"""One kind of page's chrome, cut at sentinels, and the parts of a page that fill it.

A page's own parts (title, description, canonical URL, table of contents, body) are put into the
first page of a kind as sentinels (private-use characters a page never holds: ``Parts.usable``),
Material renders it, and the output is cut into literal pieces and named fields. ``page_chrome.py``
decides which pages share a skeleton and checks the fill against full renders.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin

from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import AnchorLink, TableOfContents

from relsite.plan.site import Page
from relsite.publish.secret_gate import NEEDLES, REACH, Composed

OPEN, CLOSE = "\ue000", "\ue001"
FIELD = re.compile(f"{OPEN}([a-z][0-9]*){CLOSE}")


def sentinel(code: str) -> str:
    return f"{OPEN}{code}{CLOSE}"


def escaped_title(title: str) -> str:
    """The title as page meta holds it: MkDocs' templates do not autoescape."""
    return html.escape(title, quote=True)


def escaped_description(description: str) -> str:
    return html.escape(" ".join(description.split()), quote=True) if description else ""


@dataclass(frozen=True)
class Parts:
    """One page's own parts, as Material prints them (escaped where relsite escapes them)."""

    url: str
    title: str
    description: str
    canonical: str | None
    toc: tuple[tuple[str, str], ...]
    """(anchor, name) pairs."""
    hide: tuple[str, ...]
    body: str

    @property
    def usable(self) -> bool:
        """Parts free of the sentinels' characters, with a title (an empty one changes the template's branches)."""
        values = (
            self.title,
            self.description,
            self.canonical or "",
            self.body,
            *(v for pair in self.toc for v in pair),
        )
        return bool(self.title) and not any(OPEN in v or CLOSE in v for v in values)

    def key(self, place: tuple[str, int]) -> Key:
        return (place, self.hide, len(self.toc), bool(self.description), self.canonical is not None, "<h1" in self.body)

    def values(self) -> dict[str, str]:
        found = {"t": self.title, "d": self.description, "c": self.canonical or "", "b": self.body}
        for i, (anchor, name) in enumerate(self.toc):
            found[f"a{i}"], found[f"n{i}"] = anchor, name
        return found

    def validity(self) -> tuple[object, ...]:
        """What a page's own captured chrome depends on besides the body."""
        return (self.title, self.description, self.canonical, self.toc, self.hide, "<h1" in self.body)


Key = tuple[tuple[str, int], tuple[str, ...], int, bool, bool, bool]


def parts_of_page(page: MkPage) -> Parts | None:
    """The parts of a page as relsite handed them to MkDocs (meta in on_page_markdown, TOC in
    on_page_content, body in on_page_context)."""
    meta = page.meta or {}
    title, description = meta.get("title"), meta.get("description", "")
    if not isinstance(title, str) or not isinstance(description, str) or not isinstance(page.content, str):
        return None
    if page.edit_url is not None or any(link.level != 2 or link.children for link in page.toc):
        return None
    toc = tuple((link.id, link.title) for link in page.toc)
    return Parts(page.url, title, description, page.canonical_url, toc, tuple(meta.get("hide", ())), page.content)


def parts_of_plan(page: Page, body: str, site_url: str) -> Parts:
    """The same parts from a planned page, as MkDocs would compute them (its File.url, Page.canonical_url)."""
    url = quote(page.url)
    canonical = urljoin(site_url if site_url.endswith("/") else site_url + "/", url) if site_url else None
    return Parts(
        url,
        escaped_title(page.title),
        escaped_description(page.description),
        canonical,
        page.toc,
        tuple(page.hide),
        body,
    )


@dataclass(frozen=True)
class Skeleton:
    """A rendered page cut at its fields: literals at even positions, field codes at odd ones."""

    pieces: tuple[str, ...]
    needles: frozenset[str] = field(init=False)
    """The secret gate's needles in the literals (secret_gate.Composed)."""

    def __post_init__(self) -> None:
        literals = self.pieces[::2]
        object.__setattr__(self, "needles", frozenset(n for n in NEEDLES if any(n in lit for lit in literals)))

    def fill(self, values: Mapping[str, str]) -> str:
        return "".join([values[p] if i & 1 else p for i, p in enumerate(self.pieces)])

    def compose(self, values: Mapping[str, str]) -> tuple[str, Composed]:
        """The filled page, and how it was joined (for the secret gate)."""
        spans, pos, out = [], 0, []
        for i, piece in enumerate(self.pieces):
            if i & 1:
                piece = values[piece]
                spans.append((pos, pos + len(piece)))
            out.append(piece)
            pos += len(piece)
        text = "".join(out)
        windows = "\0".join(text[max(0, start - REACH) : end + REACH] for start, end in spans)
        return text, Composed(self.needles, windows)

    @classmethod
    def cut(cls, rendered: str, codes: Collection[str], h1: bool) -> Skeleton | None:
        """None when the sentinels did not come through as printed (a template transformed them)."""
        pieces = FIELD.split(rendered)
        fields = pieces[1::2]
        if (
            any(p not in codes for p in fields)
            or fields.count("b") != 1
            or any(OPEN in p or CLOSE in p for p in pieces[::2])
        ):
            return None
        if h1:  # the body sentinel carried "<h1" so that Material would not add a title heading
            at = pieces.index("b") + 1
            if not pieces[at].startswith("<h1"):
                return None
            pieces[at] = pieces[at][3:]
        return cls(tuple(pieces))


def sentinel_parts(parts: Parts) -> Parts:
    return Parts(
        parts.url,
        sentinel("t"),
        sentinel("d") if parts.description else "",
        sentinel("c") if parts.canonical is not None else None,
        tuple((sentinel(f"a{i}"), sentinel(f"n{i}")) for i in range(len(parts.toc))),
        parts.hide,
        sentinel("b") + ("<h1" if "<h1" in parts.body else ""),
    )


class wearing:
    """Dress a page in other parts for one render, then give it its own back."""

    def __init__(self, page: MkPage, parts: Parts) -> None:
        self.page, self.parts = page, parts
        self.saved: tuple[Any, ...] = ()

    def __enter__(self) -> None:
        page, parts = self.page, self.parts
        self.saved = (dict(page.meta), page.canonical_url, page.toc, page.content)
        page.meta["title"] = parts.title
        if parts.description:
            page.meta["description"] = parts.description
        page.canonical_url = parts.canonical
        page.toc = TableOfContents([AnchorLink(name, anchor, 2) for anchor, name in parts.toc])
        page.content = parts.body

    def __exit__(self, *exc: object) -> None:
        meta, self.page.canonical_url, self.page.toc, self.page.content = self.saved
        self.page.meta.clear()
        self.page.meta.update(meta)
