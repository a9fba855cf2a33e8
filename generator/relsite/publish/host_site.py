"""relsite as a guest in a site it does not own: it adds its pages, files and one nav entry, and
changes nothing else.

- A host's file published where relsite would publish a page or file is an error naming both
  (MkDocs would let the later file win silently, and the host's search entry would then point at
  relsite's page). Pages planned as ``yields_to_host`` (the shipped guides) step aside instead.
- Generated pages are ``NOT_IN_NAV`` (MkDocs' own inclusion level): a site whose nav leaves them
  out is not told about them, not even with ``validation: omitted_files: warn`` and ``strict``.
- The portal's stylesheet and script are linked from relsite's pages only, in the HTML MkDocs
  wrote (so a site's ``custom_dir`` templates cannot lose them); page-wide rules in the
  stylesheet apply under ``body[data-rs-page]`` only, which only relsite's pages carry.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation
from mkdocs.utils import get_relative_url

from relsite.plan import urls
from relsite.plan.site import Page, Site
from relsite.publish.shared_chrome import SharedChrome


class Clash(Exception):
    """The site's own files and relsite's would be published at the same path."""


def add_portal(files: Files, config: MkDocsConfig, site: Site, theme_dir: Path) -> dict[str, Page]:
    """Add the planned pages (and the portal's stylesheet and script) to ``files``; return the pages
    by source path. ``site.pages`` is emptied: from here on the caller holds the only reference."""
    host = {f.dest_uri: f for f in files if not f.inclusion.is_excluded()}
    clashes: list[str] = []
    pages: dict[str, Page] = {}
    planned, site.pages = site.pages, []
    docs = Path(config.docs_dir).name
    for page in planned:
        file = File.generated(
            config, page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
        )  # meta is set later
        theirs = host.get(file.dest_uri)
        if theirs is not None:
            if page.yields_to_host:
                continue
            clashes.append(
                f"{docs}/{theirs.src_uri} clashes with a generated page: relsite's {page.src_uri} is also "
                f"published as {file.dest_uri}"
            )
            continue
        files.append(file)
        pages[page.src_uri] = page
    for asset in site.assets:
        theirs = host.get(asset.path)
        if theirs is not None:
            clashes.append(
                f"{docs}/{theirs.src_uri} clashes with a generated file: relsite also publishes {asset.path}"
            )
    if clashes:
        raise Clash(
            "\n".join(clashes) + "\nrename or move the site's files, or put the portal in a folder of its own "
            "(the relsite plugin's path: option, e.g. path: portal/)"
        )
    for name in (urls.STYLESHEET, urls.SCRIPT):
        if files.get_file_from_path(site.prefix + name) is None:
            files.append(File.generated(config, site.prefix + name, abs_src_path=str(theme_dir / name)))
    return pages


def add_nav_entry(
    nav: Navigation, portal_pages: Collection[str], src_uri: str, files: Files, title: str, position: int | str
) -> Link | None:
    """One entry for the portal, unless the site's nav already lists a page of the portal. A link, not
    the page itself, so that the host's pages keep their previous and next pages."""
    if any(p.file.src_uri in portal_pages for p in nav.pages):
        return None
    file = files.get_file_from_path(src_uri)
    if file is None:
        return None
    link = Link(title, file.url)
    if position == "start":
        nav.items.insert(0, link)
    elif isinstance(position, int):
        nav.items.insert(max(0, min(position, len(nav.items))), link)
    else:
        nav.items.append(link)
    return link


def shared_chrome(nav: Navigation, portal_pages: Collection[str], entry: Link | None) -> SharedChrome:
    """Pages of the portal outside the nav share their navigation markup (shared_chrome.py)."""
    in_nav = {p.file.src_uri for p in nav.pages}
    nav_urls = (
        [p.url for p in nav.pages] + ([nav.homepage.url] if nav.homepage else []) + ([entry.url] if entry else [])
    )
    return SharedChrome(eligible=[src for src in portal_pages if src not in in_nav], nav_urls=nav_urls)


_BODY = re.compile(r"<body\b")


def link_assets(output: str, page_url: str, prefix: str, *, own_page: bool) -> str:
    """Link the portal's stylesheet from a page MkDocs wrote. ``own_page`` (one of relsite's pages,
    not a host page carrying a relsite block, which needs no script) also gets the script and a
    marked body, which is where the stylesheet's page-wide rules (print, link underlines, tabs) apply."""
    css = get_relative_url(prefix + urls.STYLESHEET, page_url)
    head = output.find("</head>")
    if head != -1:
        output = f'{output[:head]}<link rel="stylesheet" href="{css}">\n{output[head:]}'
    if not own_page:
        return output
    body = output.rfind("</body>")
    script = f'<script src="{get_relative_url(prefix + urls.SCRIPT, page_url)}"></script>\n'
    output = output[:body] + script + output[body:] if body != -1 else output + script
    return _BODY.sub("<body data-rs-page", output, count=1)
