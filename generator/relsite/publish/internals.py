"""Every place relsite goes beyond the documented APIs of MkDocs and Material, in one list.

Each is a fast path, taken only where it was verified (MkDocs 1.6, Material 9) and only while the
``fast_paths`` option allows (plugin option, or RELSITE_FAST_PATHS=0 to switch them off;
RELSITE_FAST_PATHS=-page-chrome,-other leaves out the named ones, ``allows``). The plain
fallback builds the same pages through documented means; tests/test_fast_paths.py builds a site
both ways and compares every page. What each saves is measured in bench/README.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Internal:
    name: str
    reaches_into: str
    fallback: str


INTERNALS = (
    Internal(
        "skip-markdown",
        "replaces Page.render for generated pages and sets present_anchor_ids (MkDocs 1.6)",
        "MkDocs renders the placeholder page with the site's Markdown extensions; relsite's body replaces it in "
        "on_page_content, the documented way to change a page's HTML",
    ),
    Internal(
        "own-search-entries",
        "marks generated pages search-excluded and appends entries to search/search_index.json "
        "in the format of Material 9's search plugin",
        "the theme's search plugin indexes generated pages like any other page",
    ),
    Internal(
        "shared-navigation",
        "overrides Material 9's site_nav and tabs blocks (main.html) to render the navigation of "
        "pages outside the nav once per set of links",
        "Material renders the navigation for every page itself",
    ),
    Internal(
        "table-wrappers",
        "writes Material 9's table wrapper markup (md-typeset__scrollwrap) around relsite's tables, so "
        "they look right before and without its JavaScript",
        "bare tables; Material's JavaScript wraps them in the browser",
    ),
    Internal(
        "page-chrome",
        "renders Material 9's main.html once per kind of page outside the navigation with sentinels in "
        "the page's own values, cut at them, and fills later pages of the kind by joining strings "
        "(publish/page_chrome.py); checked against a full render on the first page of each kind; only with "
        "plugins known to leave those pages alone (search, relsite)",
        "Material renders main.html for every page (through the same relsite/page.html template, which then "
        "renders it in full)",
    ),
)
"""Reached no more: MkDocs' build and serve functions (the engines run through their command
lines), MkDocs' table-of-contents tokens (AnchorLink and TableOfContents are built directly) and
MkDocs' log text (only used to hide progress lines)."""

VERIFIED = {"mkdocs": ("1.6.",), "mkdocs-material": ("9.",)}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def supported(theme: str) -> bool:
    """The engine and theme are versions the fast paths were built and tested against."""
    return theme == "material" and all(_version(d).startswith(VERIFIED[d]) for d in VERIFIED)


def allows(name: str) -> bool:
    """Whether RELSITE_FAST_PATHS leaves the fast path ``name`` in (``-name`` in its comma list takes it out):
    one path at a time can be compared with its fallback while the others stay on."""
    return f"-{name}" not in {part.strip() for part in os.environ.get("RELSITE_FAST_PATHS", "").split(",")}


def enabled(option: str, theme: str) -> bool:
    """``option`` is the plugin's fast_paths setting: auto (when supported), on, or off."""
    if os.environ.get("RELSITE_FAST_PATHS", "").lower() in ("0", "off", "false", "no") or option == "off":
        return False
    return option == "on" or supported(theme)
