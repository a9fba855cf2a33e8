"""The MkDocs adapter: validated, planned pages become MkDocs files; nothing is decided here.

- ``on_files`` validates the portfolio (errors stop the build with file:line:col messages), plans the
  site and adds every page as a generated file (MkDocs 1.6 ``File.generated``).
- Generated pages skip MkDocs' Markdown entirely: ``on_page_content`` swaps in the planned HTML, so
  the site's Markdown extensions (snippets and the like) never see contributor text.
- Page meta (title, hide, search) is set in ``on_page_markdown``, not written as front matter.
  MkDocs' templates do not autoescape, so titles and descriptions are handed over already escaped.
- Generated pages are indexed for search from the HTML relsite rendered (``search_index.py``),
  not re-parsed by the theme's search plugin.
- Non-page outputs (calendars, JSON, feeds) are written by another process (``asset_writer.py``)
  while pages render, and collected in ``on_post_build``; ``on_serve`` watches releases/.
"""

from __future__ import annotations

import datetime as dt
import gc
import html
import logging
import os
import re
import threading
import types
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import AnchorLink, TableOfContents

from relsite.load.folder import display_path, worker_count
from relsite.pipeline import plan_site, resolve_today
from relsite.plan.site import Page, Site
from relsite.problems import summary
from relsite.publish import internals
from relsite.publish.asset_writer import ForkedWriter, SpawnedWriter, WriterFailed, write_assets
from relsite.publish.output_folder import MARKER, UnsafeSiteDir, check_site_dir, mark
from relsite.publish.search_index import Collector
from relsite.publish.secret_gate import HostSource, SecretGate, SecretsFound, generated_path_clashes
from relsite.publish.shared_chrome import SharedChrome
from relsite.validate.allowlist import load_allowlist

log = logging.getLogger("mkdocs.plugins.relsite")

FRAGMENT_MARKER = '<div class="relsite-{name}"></div>'


class SecretsConfig(base.Config):
    site_pages = c.Optional(c.Choice(("error", "warn", "off")))
    """How the site's own pages are judged (publish/secret_gate.py); unset: an issuer's token format
    fails the build, a URL with a password or a "password: X" phrase is a warning."""


class RelsiteConfig(base.Config):
    releases = c.Type(str, default="releases")
    """Folder of release YAML files, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    fast_paths = c.Choice(("auto", "on", "off"), default="auto")
    """Use relsite's fast paths into MkDocs and Material internals (see publish/internals.py):
    auto where the versions were verified; off builds the same pages by documented means only."""
    """Date the status is shown as of (YYYY-MM-DD); RELSITE_TODAY overrides; default: the build day."""
    secrets = c.SubConfig(SecretsConfig)


class RelsitePlugin(BasePlugin[RelsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.today: dt.date | None = None
        self.writer: ForkedWriter | SpawnedWriter | None = None
        self.allowed: frozenset[str] = frozenset()
        self.gate = SecretGate()
        """The secret gate of the current build: files are scanned as they are written, the rest at the end."""
        self.site: Site | None = None
        self.pages: dict[str, Page] = {}
        self.generated: set[str] = set()
        self.releases_dir = Path("releases")
        self.search: Collector | None = None
        self.fast = False
        """Whether the fast paths of internals.py are taken in this build."""
        self.chrome = SharedChrome(eligible=(), nav_urls=())

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        folder = (root / self.config.releases).resolve()
        if not folder.is_relative_to(root):
            raise PluginError(f"relsite: releases folder {self.config.releases!r} is outside the project")
        if not folder.is_dir():
            raise PluginError(f"relsite: releases folder {self.config.releases!r} does not exist")
        self.releases_dir = folder
        self.fast = internals.enabled(self.config.fast_paths, str(config.theme.name)) and type(config).__module__.startswith("mkdocs.")
        if self.command == "build":  # serve builds into a temporary folder of MkDocs' own
            try:
                check_site_dir(Path(config.site_dir), root, Path(config.docs_dir), folder)
            except UnsafeSiteDir as exc:
                raise PluginError(f"relsite: {exc}") from None
        _register_theme(config, self.fast)
        try:
            self.today = resolve_today(self.config.today)
        except ValueError as exc:
            raise PluginError(f"relsite: {exc}") from None
        if "SOURCE_DATE_EPOCH" not in os.environ and self.today is not None:
            # Reproducible output: MkDocs stamps the sitemap with the build time unless told otherwise.
            os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.combine(self.today, dt.time(), dt.UTC).timestamp()))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        display = os.path.relpath(self.releases_dir)
        # Forking beside other threads is unsafe (a child inherits locks they hold): serve runs
        # livereload threads, and Material's privacy, social and optimize plugins start thread
        # pools. Only a build that is alone in its process loads and writes in child processes.
        # RELSITE_PARALLEL=0 measures the serial path (bench/README.md).
        alone = (self.command == "build" and hasattr(os, "fork") and threading.active_count() == 1
                 and os.environ.get("RELSITE_PARALLEL", "1") != "0")
        jobs = worker_count() if alone else 1
        site, problems, count = plan_site(self.releases_dir, self.today, config.site_url or "", jobs)
        if alone:
            # A build process ends after this build: move the portfolio and the plan, alive until
            # the end, out of the cyclic collector's sight, or every full collection while pages
            # render walks them all again. (serve runs on and keeps its collector as it is.)
            gc.freeze()
        for p in problems:
            if site is not None:
                log.warning(p.format())
        if site is None:
            raise PluginError("".join(p.format() + "\n" for p in problems) + f"relsite: {summary(count, problems)} in {display}")
        self.site = site
        self.today = site.today  # from here on, the date every writer uses
        self.pages = {}
        pages, site.pages = site.pages, []  # from here on the plugin holds the only reference
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"relsite: {config.docs_dir}/{page.src_uri} clashes with a generated page; rename or remove it")
            files.append(File.generated(config, page.src_uri, content=""))  # meta is set in on_page_markdown
            self.pages[page.src_uri] = page
        for asset in (STYLESHEET, SCRIPT):
            if files.get_file_from_path(asset) is None:
                files.append(File.generated(config, asset, abs_src_path=str(THEME_DIR / asset)))
        clashes = generated_path_clashes([a.path for a in site.assets],
                                         {f.dest_uri: display_path(Path(f.abs_src_path)) for f in files
                                          if f.generated_by is None and f.abs_src_path and not f.is_documentation_page()})
        if clashes:
            raise PluginError("\n".join(clashes))
        self.allowed = load_allowlist(self.releases_dir, "")[0]
        self.gate = SecretGate(self.allowed, self.config.secrets.site_pages)  # type: ignore[arg-type]  # a Choice
        self.gate.own(f.dest_uri for f in map(files.get_file_from_path, self.pages) if f is not None)
        self.gate.own(a.path for a in site.assets)
        self._close_search()
        # Calendars, JSON and feeds are written by another process while MkDocs renders pages (the
        # site folder was cleaned before on_files); see asset_writer.py. Other commands write them
        # here in on_post_build.
        if alone:
            self.writer = ForkedWriter(site.assets, config.site_dir, self.allowed)
        elif self.command == "serve":
            self.writer = SpawnedWriter(self.releases_dir, config.site_dir, site.today, config.site_url or "")
        if self.writer is not None:
            site.assets = []
        self.search = Collector() if self.fast else None  # after the fork: the writer has no use for it
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        in_nav = {p.file.src_uri for p in nav.pages}
        self.chrome = SharedChrome(eligible=[src for src in self.pages if src not in in_nav],
                                   nav_urls=[p.url for p in nav.pages] + ([nav.homepage.url] if nav.homepage else []))
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        env.globals["relsite_shared"] = self.chrome
        return env

    def on_pre_page(self, page: MkPage, /, *, config: MkDocsConfig, files: Files) -> MkPage | None:
        if self.fast and page.file.src_uri in self.pages:
            # MkDocs would build a Markdown instance with every configured extension to convert the
            # empty string that stands in for a generated page: 5% of a build, for nothing.
            page.render = types.MethodType(_render_nothing, page)  # type: ignore[method-assign]
        return page

    @event_priority(100)  # other plugins reading page.meta see relsite's
    def on_page_markdown(self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is None:
            return markdown
        page.meta = _meta(planned, self.fast)  # set directly: writing and re-parsing YAML front matter cost 5% of a build
        return ""

    @event_priority(100)  # before other plugins (and the theme) see page.content
    def on_page_context(self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        planned = self.pages.pop(page.file.src_uri, None)
        if planned is not None:
            self.generated.add(page.file.src_uri)
            page.content = planned.render() if self.fast else _unwrapped_tables(planned.render())
            if planned.searchable and self.search is not None:
                self.search.add(page.url, planned.title, page.content)
            context["page"] = page
        return context

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.generated:
            self.gate.scan_page(page.file.dest_uri, output, body=page.content)
            page.content = None  # written and indexed: the next page's body takes its place in memory
        else:
            self.gate.scan_page(page.file.dest_uri, output, source=_host_source(page))
        return output

    def on_page_content(self, html_text: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is not None:
            page.toc = TableOfContents([AnchorLink(name, anchor, 2) for anchor, name in planned.toc])
            return ""  # the body is rendered in on_page_context, one page at a time
        if self.site is not None:
            for name, fragment in self.site.fragments.items():
                marker = FRAGMENT_MARKER.format(name=name)
                if marker in html_text:
                    html_text = html_text.replace(marker, _relink(fragment, page.url), 1)
        return html_text

    @event_priority(-100)  # last: after the search plugin wrote its index, and any other plugin its files
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        mark(Path(config.site_dir))
        if self.search is not None:
            index = Path(config.site_dir) / "search" / "search_index.json"
            if index.exists() and not self.search.merge_into(index):
                log.warning("relsite: search/search_index.json is in a format relsite does not know (another search "
                            "plugin?); release and handover pages will not be found by search")
            self._close_search()
        self.gate.add(*write_assets(self.site.assets, config.site_dir, self.allowed))
        self.site.assets = []
        if self.writer is not None:
            writer, self.writer = self.writer, None
            try:
                self.gate.add(*writer.finish())
            except WriterFailed as exc:
                raise PluginError(f"relsite: writing the calendars, JSON files and feeds failed: {exc}") from None
        self._refuse_secrets(Path(config.site_dir))

    def _refuse_secrets(self, site_dir: Path) -> None:
        """The one secret gate, on every way a site is built (relsite build, mkdocs build,
        properdocs build): pages and generated files were scanned as they were written, and the
        rest of the output (hand-written pages' files, the theme, the search index) is swept now.
        A site with an error is not finished: the files that hold it are removed and the build fails;
        a warning (a heuristic on the site's own page) is shown and removes nothing."""
        try:
            for problem in self.gate.finish(site_dir):
                log.warning(problem.format())
        except SecretsFound as exc:
            (site_dir / MARKER).unlink(missing_ok=True)
            raise PluginError(str(exc)) from None

    def _close_search(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None

    def on_build_error(self, *, error: Exception) -> None:
        self._close_search()
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.releases_dir))
        return server


def _host_source(page: MkPage) -> HostSource | None:
    """The site's own page's Markdown file, which a finding on the page names."""
    path = page.file.abs_src_path
    if page.file.generated_by is not None or not path:
        return None
    try:
        return HostSource(display_path(Path(path)), Path(path).read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return None


THEME_DIR = Path(__file__).resolve().parent / "theme"
STYLESHEET = "assets/relsite.css"
SCRIPT = "assets/relsite.js"


def _register_theme(config: MkDocsConfig, fast: bool) -> None:
    """Ship the portal's look with the plugin, as MkDocs' search plugin ships its script: the
    stylesheet and script join the page (``extra_css``, ``extra_javascript``) and are added as
    files in on_files. With the fast paths, the template override that shares navigation markup
    joins the theme's folders, after a site's own custom_dir so that a site can still override it."""
    if fast:
        overrides = str(THEME_DIR / "overrides")
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if SCRIPT not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(SCRIPT)


_WRAPPER = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'


def _unwrapped_tables(html_text: str) -> str:
    """Without the table-wrappers fast path: bare tables, which Material's script wraps itself."""
    return html_text.replace(_WRAPPER, "").replace("</table></div></div>", "</table>") if _WRAPPER in html_text else html_text


def _render_nothing(self: MkPage, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a generated page: its body is set in on_page_context, its TOC in on_page_content."""
    self.content, self.toc = "", TableOfContents([])
    self.present_anchor_ids = None  # unknown here, so MkDocs does not check links into the page


def _meta(page: Page, fast: bool) -> dict[str, Any]:
    """What front matter would say. Escaped here because MkDocs' templates do not autoescape."""
    meta: dict[str, Any] = {"title": html.escape(page.title, quote=True)}
    if page.hide:
        meta["hide"] = list(page.hide)
    if fast or not page.searchable:
        meta["search"] = {"exclude": True}  # fast: relsite indexes it itself (search_index.py)
    if page.description:
        meta["description"] = html.escape(" ".join(page.description.split()), quote=True)
    return meta


def _relink(fragment: str, page_url: str) -> str:
    """Fragments are planned with links relative to the site root; make them relative to the page."""
    depth = page_url.count("/")
    return re.sub(r'href="(?![a-z][a-z0-9+.-]*:|#|/)', 'href="' + "../" * depth, fragment) if depth else fragment
