"""Material's page chrome rendered once per page kind, each page's own parts filled into it.

mkdocs-material renders its whole page (header, tabs, navigation, sidebars, footer, scripts) from
``main.html`` for every page: for the thousands of release and handover pages, which are not in the
navigation, that was most of a build's time and nine tenths of its bytes, and it can only differ by
a few values. Pages outside the navigation fall into kinds (``Key``: the folder their URL is in,
which fixes every relative link; what they hide; how many table-of-contents entries they have;
whether they have a description, a canonical URL, a title and an ``<h1>`` of their own). The first
page of a kind is rendered by Material normally with sentinels (private-use characters) in place of
its own parts, and the output is cut at the sentinels into a ``Skeleton``; later pages of the kind
are string joins.

Nothing Material does to a page's parts is imitated: with autoescaping off (MkDocs' templates) and
relsite's meta already escaped, Material prints the title, description, canonical URL, TOC names,
anchors and body as they are. The one condition in the templates that reads the body (``"<h1" not
in page.content``) is part of the key. Whatever a site's own templates do is checked instead of
assumed: the first two pages of every kind are rendered both ways and compared, and a kind whose
filled page differs is rendered in full from then on (a debug line says so). The check covers what
a template does with a page's values and what it prints that differs between two pages without a
sentinel (``page.url``); a site whose templates vary by page data in other ways should set
``fast_paths: off``.

Pages take this path through documented means: ``page.meta["template"]`` names a tiny template
(``relsite/page.html``) that calls this object as a Jinja global; MkDocs' pipeline (other plugins'
hooks, writing, sitemap) runs as for any page. relsite's ``link_assets`` is baked into the skeleton.

For ``relsite serve``, ``fill`` and ``fill_host`` give the file a full build would write for one
planned page or host page from the skeletons of the last build, or None: a caller must then fall
back to a full build.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation
from mkdocs.structure.pages import Page as MkPage

from relsite.plan import urls
from relsite.plan.site import Page
from relsite.publish.chrome_skeleton import (
    CLOSE,
    FIELD,
    OPEN,
    Key,
    Parts,
    Skeleton,
    parts_of_page,
    parts_of_plan,
    sentinel,
    sentinel_parts,
    wearing,
)
from relsite.publish.host_site import link_assets
from relsite.publish.secret_gate import Composed

log = logging.getLogger("mkdocs.plugins.relsite")

TEMPLATE = "relsite/page.html"
"""The template a filled page names in its meta (theme/overrides/relsite/page.html)."""
KNOWN_PLUGINS = frozenset({"search", "material/search", "relsite"})
"""Plugins known to leave the chrome of relsite's pages alone; with any other, every page is rendered in full."""
FRAGMENT_MARKER = '<div class="relsite-{name}"></div>'
"""Where a host page asks for one of relsite's blocks (``Site.fragments``)."""


@dataclass(frozen=True)
class _Own:
    """A page whose chrome is its own (one in the navigation): its output around the body."""

    validity: tuple[object, ...]
    before: str
    after: str


@dataclass(frozen=True)
class _Host:
    """A host page that received relsite blocks: its output around its content, the content cut at the blocks."""

    url: str
    before: str
    segments: tuple[str, ...]
    """Literal content at even positions, fragment names at odd ones."""
    after: str


@dataclass
class PageChrome:
    """The skeletons of one build, kept in its BuildState (so a live preview can fill pages after it)."""

    prefix: str
    site_url: str
    in_nav: frozenset[str] = frozenset()
    """Source paths of pages in the navigation: their chrome is their own."""
    blocked: frozenset[str] = frozenset()
    """Folder URLs a link of the chrome points into: a page there is not like its neighbours."""
    skeletons: dict[Key, Skeleton] = field(default_factory=dict)
    disabled: set[Key] = field(default_factory=set)
    unconfirmed: dict[Key, str] = field(default_factory=dict)
    """Kinds whose skeleton was checked on its first page only (its source path): the second is
    checked too, which catches a template printing what differs from page to page and has no
    sentinel (``page.url``)."""
    own: dict[str, _Own] = field(default_factory=dict)
    hosts: dict[str, _Host] = field(default_factory=dict)
    _host_cuts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _last: tuple[str, str, Composed] | None = None
    """The page filled last (source path, text, how it was joined), until its on_post_page asks."""

    @classmethod
    def for_site(cls, nav: Navigation, files: Files, entry: Link | None, prefix: str, site_url: str) -> PageChrome:
        """Skeletons for the pages outside ``nav``. A page in a folder the chrome links into (a nav
        page's, a theme file's, the portal's nav entry's) is not like its neighbours: it is rendered in full."""
        targets = [f.url for f in files.static_pages()] + [link.url for link in _links(nav.items)]
        targets += (
            [p.url for p in nav.pages] + ([entry.url] if entry else []) + ([nav.homepage.url] if nav.homepage else [])
        )
        blocked: set[str] = set()
        for url in targets:
            parts = url.split("/")[:-1]
            blocked.update("/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
        return cls(
            prefix=prefix,
            site_url=site_url,
            in_nav=frozenset(p.file.src_uri for p in nav.pages),
            blocked=frozenset(blocked),
        )

    def eligible(self, src_uri: str, url: str) -> bool:
        return src_uri not in self.in_nav and url not in self.blocked and url.endswith("/")

    def place(self, url: str) -> tuple[str, int]:
        """What fixes every relative link of the chrome on a page at ``url``: the deepest folder above
        it that the chrome links into, and the page's depth. (A link from the page to a target goes up
        to the folder they share, which is that folder or one above it, then down the target's path.)"""
        parts = url.split("/")[:-1]
        for n in range(len(parts) - 1, 0, -1):
            folder = "/".join(parts[:n]) + "/"
            if folder in self.blocked:
                return folder, len(parts)
        return "", len(parts)

    # --- the build ---------------------------------------------------------------------------------

    @pass_context
    def __call__(self, ctx: Context) -> Markup:
        """The Jinja global ``relsite_page``: the page in ``ctx``, filled or rendered in full, with its
        assets linked."""
        page = ctx["page"]
        parts = parts_of_page(page)
        if parts is None or not parts.usable or not self.eligible(page.file.src_uri, page.url):
            return Markup(self._full(ctx, page))
        key = parts.key(self.place(page.url))
        if key in self.disabled:
            return Markup(self._full(ctx, page))
        skeleton = self.skeletons.get(key)
        if skeleton is None or key in self.unconfirmed:
            return Markup(self._learn(ctx, page, parts, key, skeleton))
        text, composed = skeleton.compose(parts.values())
        self._last = (page.file.src_uri, text, composed)
        return Markup(text)

    def composed(self, src_uri: str, output: str) -> Composed | None:
        """How the page ``output`` was joined, if it is the page filled last, as filled (for the secret gate)."""
        last, self._last = self._last, None
        return last[2] if last is not None and last[0] == src_uri and last[1] == output else None

    def _full(self, ctx: Context, page: MkPage) -> str:
        output = ctx.environment.get_template("main.html").render(ctx.get_all())
        return link_assets(output, page.url, self.prefix, own_page=True)

    def _learn(self, ctx: Context, page: MkPage, parts: Parts, key: Key, skeleton: Skeleton | None) -> str:
        """Render the first page of a kind with sentinels and cut it; keep the skeleton only if it
        fills this page, and then the kind's second page, exactly as Material renders them."""
        if skeleton is None:
            with wearing(page, sentinel_parts(parts)):
                rendered = self._full(ctx, page)
            skeleton = Skeleton.cut(rendered, parts.values().keys(), "<h1" in parts.body)
            self.unconfirmed[key] = page.file.src_uri
        else:
            del self.unconfirmed[key]
        full = self._full(ctx, page)
        if skeleton is None or skeleton.fill(parts.values()) != full:
            self.disabled.add(key)
            self.skeletons.pop(key, None)
            self.unconfirmed.pop(key, None)
            log.debug(
                "relsite: pages like %s are rendered in full: the site's templates do more with a page's "
                "own values than print them",
                page.file.src_uri,
            )
        else:
            self.skeletons[key] = skeleton
        return full

    def keep_own(self, page: MkPage, output: str) -> None:
        """A generated page rendered by MkDocs itself (one in the navigation): keep its output
        around the body, for ``fill`` while its other parts stay the same."""
        parts = parts_of_page(page)
        if parts is None or not parts.body:
            return
        at = output.find(parts.body)
        if at < 0 or output.find(parts.body, at + 1) >= 0:
            return
        self.own[page.file.src_uri] = _Own(parts.validity(), output[:at], output[at + len(parts.body) :])

    def host_content(
        self, src_uri: str, content: str, url: str, fragments: Mapping[str, str], *, keep: bool
    ) -> tuple[str, bool]:
        """A host page's HTML with relsite's blocks in place of their markers (the first of each),
        and whether it had any; with ``keep``, its cut is kept for ``fill_host``."""
        if not keep or OPEN in content or CLOSE in content:
            return _plain_host(content, url, self.prefix, fragments)
        names = list(fragments)
        cut = content
        for i, name in enumerate(names):
            marker = FRAGMENT_MARKER.format(name=name)
            if marker in cut:
                cut = cut.replace(marker, sentinel(f"f{i}"), 1)
        if cut == content:
            return content, False
        segments = tuple(p if not i & 1 else names[int(p[1:])] for i, p in enumerate(FIELD.split(cut)))
        filled = _join_host(segments, fragments, url, self.prefix)
        if filled is None:  # a block holds a marker: the plain way decides, and no cut is kept
            return _plain_host(content, url, self.prefix, fragments)
        self._host_cuts[src_uri] = segments
        return filled, True

    def keep_host(self, page: MkPage, output: str) -> None:
        segments = self._host_cuts.pop(page.file.src_uri, None)
        content = page.content
        if segments is None or not content or len(segments) < 2:
            return
        at = output.find(content)
        if at < 0 or output.find(content, at + 1) >= 0:
            return
        self.hosts[page.file.src_uri] = _Host(page.url, output[:at], segments, output[at + len(content) :])

    # --- after the build ---------------------------------------------------------------------------

    def fill(self, page: Page, body: str) -> str | None:
        """The HTML file a full build writes for the planned ``page`` with ``body`` (after relsite's
        on_post_page), from this build's skeletons; None when they cannot give it (a kind never
        rendered or disabled, a page in the navigation whose title, TOC, description or hide
        changed): the caller must then fall back to a full build."""
        parts = parts_of_plan(page, body, self.site_url)
        if not parts.usable:
            return None
        own = self.own.get(page.src_uri)
        if own is not None:
            return own.before + body + own.after if own.validity == parts.validity() else None
        if not self.eligible(page.src_uri, parts.url):
            return None
        key = parts.key(self.place(parts.url))
        skeleton = self.skeletons.get(key)
        if skeleton is None or key in self.disabled or self.unconfirmed.get(key, page.src_uri) != page.src_uri:
            return None
        text, composed = skeleton.compose(parts.values())
        self._last = (page.src_uri, text, composed)  # for the secret gate, as in a build (``composed``)
        return text

    def fill_host(self, src_uri: str, fragments: dict[str, str]) -> str | None:
        """The HTML file a full build writes for the host page ``src_uri`` with relsite's blocks
        ``fragments`` (by name, as ``Site.fragments``); None when the last build kept no cut of
        that page (it had no relsite block): the caller must then fall back to a full build."""
        host = self.hosts.get(src_uri)
        if host is None:
            return None
        content = _join_host(host.segments, fragments, host.url, self.prefix)
        return None if content is None else host.before + content + host.after


def _links(items: list[Any]) -> list[Link]:
    """The nav's links (to pages elsewhere or outside MkDocs), in sections too."""
    found = []
    for item in items:
        if isinstance(item, Link):
            found.append(item)
        found += _links(getattr(item, "children", None) or [])
    return found


def _plain_host(content: str, url: str, prefix: str, fragments: Mapping[str, str]) -> tuple[str, bool]:
    """Each block in place of the first of its markers, one after the other."""
    found = False
    for name, fragment in fragments.items():
        marker = FRAGMENT_MARKER.format(name=name)
        if marker in content:
            content, found = content.replace(marker, urls.from_host_page(fragment, url, prefix), 1), True
    return content, found


def _join_host(segments: tuple[str, ...], fragments: Mapping[str, str], url: str, prefix: str) -> str | None:
    out = []
    for i, piece in enumerate(segments):
        if not i & 1:
            out.append(piece)
            continue
        fragment = fragments.get(piece)
        if fragment is None:
            return None
        value = urls.from_host_page(fragment, url, prefix)
        if '<div class="relsite-' in value or OPEN in value:
            return None  # would hold a marker a later block replaces: the plain way decides
        out.append(value)
    return "".join(out)
