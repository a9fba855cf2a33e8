"""What the plan hands the writers: pages with ready HTML bodies, plus non-page files.

The plan is a pure function of (Portfolio, today); writers (the MkDocs plugin, ``relsite export``)
only place these on disk or in MkDocs' file collection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Page:
    src_uri: str
    """Path as MkDocs knows it, e.g. ``releases/REL-1/index.md``."""
    url: str
    """Site-relative URL with directory URLs, e.g. ``releases/REL-1/``."""
    title: str
    render: Callable[[], str]
    """Produces the page body (rendered, sanitised HTML; never passed through the site's Markdown).
    A thunk so that writers can render one page at a time: MkDocs holds every page between its two
    passes, and thousands of bodies at once were most of a large build's memory."""
    toc: tuple[tuple[str, str], ...] = ()
    """(anchor, heading) pairs for the page's table of contents."""
    description: str = ""
    hide: tuple[str, ...] = ()
    """Material page chrome to hide ("navigation", "toc"), e.g. for the wide calendar grid."""

    searchable: bool = True
    """False for pages that only list what other pages say (calendar grids, archives): search
    finds the releases themselves, and indexing long link tables was a third of build time."""
    yields_to_host: bool = False
    """True for pages a site may write itself (the authors' guides): the site's own page wins."""
    template: str = ""
    """The template ``render`` lays ``view`` out with ("" for a page made another way)."""
    view: object = field(default=None, compare=False, repr=False)
    """The page's view model (a frozen dataclass): the body is a function of (template, view), so
    an incremental re-plan compares views with ``==`` instead of rendering (plan/incremental.py)."""

    @property
    def html(self) -> str:
        return self.render()


@dataclass(frozen=True, kw_only=True)
class Asset:
    path: str
    """Site-relative file path, e.g. ``calendar/releases.ics``."""
    render: Callable[[], bytes]
    """Produces the file's bytes when the writer asks: calendars and JSON for thousands of
    releases are made one at a time instead of all held in memory together."""

    @property
    def content(self) -> bytes:
        return self.render()


@dataclass(kw_only=True)
class Site:
    today: dt.date
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)
    """HTML blocks for hand-written pages, by marker name (e.g. ``happening`` on the home page)."""
    prefix: str = ""
    """The folder the portal lives in within the site (``portal/``), or empty: see plan/urls.py."""


def url_of(src_uri: str) -> str:
    """The directory URL MkDocs gives a Markdown file."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return path


def relative(from_url: str, to: str) -> str:
    """A link from the page at ``from_url`` to the site path ``to`` that works under any base URL."""
    depth = from_url.count("/")
    return "../" * depth + to if (depth or to) else "./"
