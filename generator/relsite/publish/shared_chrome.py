"""Navigation and tabs rendered once and reused by every page that is not in the navigation.

mkdocs-material renders the whole navigation into every page. For the thousands of release and
handover pages, which are deliberately not in it, that markup can only differ by its relative
links (nothing in it is "active"): rendering it once per distinct set of links instead of once per
page took a tenth off a large build. ``theme/main.html`` calls this around the navigation and tabs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.utils import get_relative_url


class SharedChrome:
    def __init__(self, eligible: Collection[str], nav_urls: Collection[str]) -> None:
        self.eligible = frozenset(eligible)
        """Source paths of pages outside the navigation whose chrome may be shared."""
        self.nav_urls = tuple(sorted(set(nav_urls)))
        self.cache: dict[tuple[str, ...], Markup] = {}

    @pass_context
    def __call__(
        self, ctx: Context, name: str, block: Callable[[], Any] | None = None, caller: Callable[[], Any] | None = None
    ) -> Markup:
        render = block or caller
        assert render is not None, "relsite_shared needs a block (super) or a call body"
        page = ctx.get("page")
        src = getattr(getattr(page, "file", None), "src_uri", None)
        if src not in self.eligible:
            return Markup(render())
        url = page.url
        key = (name, str(ctx.get("base_url")), *(get_relative_url(u, url) for u in self.nav_urls))
        shared = self.cache.get(key)
        if shared is None:
            shared = self.cache[key] = Markup(render())
        return shared
