"""The MkDocs adapter: validated, planned pages become MkDocs files; nothing is decided here.

- ``on_files`` validates the portfolio (errors stop the build with file:line:col messages), plans the
  site and adds every page as a generated file (MkDocs 1.6 ``File.generated``).
- Generated pages skip MkDocs' Markdown entirely: ``on_page_content`` swaps in the planned HTML, so
  the site's Markdown extensions (snippets and the like) never see contributor text.
- MkDocs' templates do not autoescape, so titles and descriptions are handed over already escaped.
- ``on_post_build`` writes non-page outputs (calendars, JSON, feeds); ``on_serve`` watches releases/.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from .build import plan_site, resolve_today
from .report import summary
from .site import Page, Site

log = logging.getLogger("mkdocs.plugins.relsite")

FRAGMENT_MARKER = '<div class="relsite-{name}"></div>'


class RelsiteConfig(base.Config):
    releases = c.Type(str, default="releases")
    """Folder of release YAML files, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Date the status is shown as of (YYYY-MM-DD); RELSITE_TODAY overrides; default: the build day."""


class RelsitePlugin(BasePlugin[RelsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: Site | None = None
        self.pages: dict[str, Page] = {}
        self.generated: set[str] = set()
        self.releases_dir = Path("releases")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        folder = (root / self.config.releases).resolve()
        if not folder.is_relative_to(root):
            raise PluginError(f"relsite: releases folder {self.config.releases!r} is outside the project")
        if not folder.is_dir():
            raise PluginError(f"relsite: releases folder {self.config.releases!r} does not exist")
        self.releases_dir = folder
        try:
            self.today = resolve_today(self.config.today)
        except ValueError as exc:
            raise PluginError(f"relsite: {exc}") from None
        if "SOURCE_DATE_EPOCH" not in os.environ and (os.environ.get("RELSITE_TODAY") or self.config.today):
            # Reproducible output: MkDocs stamps the sitemap with the build time unless told otherwise.
            os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.combine(self.today, dt.time(), dt.UTC).timestamp()))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        display = os.path.relpath(self.releases_dir)
        site, problems, count = plan_site(self.releases_dir, self.today, config.site_url or "")
        for p in problems:
            if site is not None:
                log.warning(p.format())
        if site is None:
            raise PluginError("".join(p.format() + "\n" for p in problems) + f"relsite: {summary(count, problems)} in {display}")
        self.site = site
        self.pages = {}
        pages, site.pages = site.pages, []  # from here on the plugin holds the only reference
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"relsite: {config.docs_dir}/{page.src_uri} clashes with a generated page; rename or remove it")
            meta: dict[str, Any] = {"title": html.escape(page.title, quote=True)}
            if page.hide:
                meta["hide"] = list(page.hide)
            if not page.searchable:
                meta["search"] = {"exclude": True}
            if page.description:
                meta["description"] = html.escape(" ".join(page.description.split()), quote=True)
            content = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n"
            files.append(File.generated(config, page.src_uri, content=content))
            self.pages[page.src_uri] = page
        return files

    def on_page_markdown(self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        return "" if page.file.src_uri in self.pages else markdown

    @event_priority(100)  # before the search plugin indexes page.content
    def on_page_context(self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        planned = self.pages.pop(page.file.src_uri, None)
        if planned is not None:
            self.generated.add(page.file.src_uri)
            page.content = planned.render()
            context["page"] = page
        return context

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.generated:
            page.content = None  # written and indexed: the next page's body takes its place in memory
        return output

    def on_page_content(self, html_text: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is not None:
            page.toc = get_toc([{"level": 2, "id": anchor, "name": name, "children": []} for anchor, name in planned.toc])
            return ""  # the body is rendered in on_page_context, one page at a time
        if self.site is not None:
            for name, fragment in self.site.fragments.items():
                marker = FRAGMENT_MARKER.format(name=name)
                if marker in html_text:
                    html_text = html_text.replace(marker, _relink(fragment, page.url), 1)
        return html_text

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        out = Path(config.site_dir)
        for asset in self.site.assets:
            target = out / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.render())
        self.site.assets = []

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.releases_dir))
        return server


def _relink(fragment: str, page_url: str) -> str:
    """Fragments are planned with links relative to the site root; make them relative to the page."""
    depth = page_url.count("/")
    return re.sub(r'href="(?![a-z][a-z0-9+.-]*:|#|/)', 'href="' + "../" * depth, fragment) if depth else fragment
