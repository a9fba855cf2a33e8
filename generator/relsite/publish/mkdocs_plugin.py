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
- A good guest (``host_site.py``): a host's file at a generated path is an error naming both; the
  portal may live under a prefix (``path:``); generated pages are never "omitted from the nav" and
  the portal adds one nav entry; its stylesheet and script are linked from its own pages only.
- Everything one build learns lives in one ``BuildState``, made in ``on_files``: ``serve``
  rebuilds start from nothing.
- With the page-chrome fast path (``page_chrome.py``), pages outside the nav name the template
  ``relsite/page.html`` in their meta: Material's chrome is rendered once per kind of page and each
  page's own parts are filled into it, its stylesheet and script already linked.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import threading
import types
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import AnchorLink, TableOfContents

from relsite.load.folder import display_path, worker_count
from relsite.pipeline import plan_site, resolve_today
from relsite.plan import urls
from relsite.plan.site import Page
from relsite.problems import summary
from relsite.publish import host_site, internals
from relsite.publish.asset_writer import ForkedWriter, SpawnedWriter, WriterFailed, write_assets
from relsite.publish.build_state import BuildState
from relsite.publish.chrome_skeleton import escaped_description, escaped_title
from relsite.publish.output_folder import MARKER, UnsafeSiteDir, check_site_dir, mark
from relsite.publish.page_chrome import FRAGMENT_MARKER, KNOWN_PLUGINS, TEMPLATE, PageChrome
from relsite.publish.plugin_config import RelsiteConfig
from relsite.publish.search_index import Collector
from relsite.publish.secret_gate import HostSource, SecretGate, SecretsFound
from relsite.publish.serve_watch import follow_releases
from relsite.publish.shared_chrome import SharedChrome
from relsite.publish.site_config import FILE_URLS
from relsite.validate.allowlist import load_allowlist

log = logging.getLogger("mkdocs.plugins.relsite")

__all__ = ["FRAGMENT_MARKER", "RelsitePlugin"]


class RelsitePlugin(BasePlugin[RelsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.today: dt.date | None = None
        self.releases_dir = Path("releases")
        self.prefix = ""
        self.fast = False
        """Whether the fast paths of internals.py are taken in this build."""
        self.chrome = False
        """Whether pages outside the nav are filled into Material's chrome (page_chrome.py)."""
        self.state: BuildState | None = None
        """What this build learned; made in on_files, so a serve rebuild starts from nothing."""
        self.freeze = False
        """Whether long-lived objects are moved out of the cyclic collector's sight (a lone build)."""

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
        if not config.use_directory_urls:
            # Every link relsite writes is a folder URL (releases/REL-1/handover/); with file URLs
            # the handover pages and the authors' guide would be unreachable. Say so before building.
            raise PluginError(f"relsite: {FILE_URLS}")
        try:
            self.prefix = urls.normalise_prefix(self.config.path)
        except ValueError as exc:
            raise PluginError(f"relsite: {exc}") from None
        self.fast = internals.enabled(self.config.fast_paths, str(config.theme.name)) and type(
            config
        ).__module__.startswith("mkdocs.")
        if (
            self.command != "serve"
        ):  # build, gh-deploy and any other that writes site_dir; serve uses a temporary folder
            try:
                check_site_dir(Path(config.site_dir), root, Path(config.docs_dir), folder)
            except UnsafeSiteDir as exc:
                raise PluginError(f"relsite: {exc}") from None
        _register_theme(config, self.fast)
        self.chrome = self.fast and internals.allows("page-chrome") and set(config.plugins) <= KNOWN_PLUGINS
        try:
            self.today = resolve_today(self.config.today)
        except ValueError as exc:
            raise PluginError(f"relsite: {exc}") from None
        if "SOURCE_DATE_EPOCH" not in os.environ and self.today is not None:
            # Reproducible output: MkDocs stamps the sitemap with the build time unless told otherwise.
            os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.combine(self.today, dt.time(), dt.UTC).timestamp()))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._end_build()
        display = os.path.relpath(self.releases_dir)
        # Forking beside other threads is unsafe (a child inherits locks they hold): serve runs
        # livereload threads, and Material's privacy, social and optimize plugins start thread
        # pools. Only a build that is alone in its process loads and writes in child processes.
        # RELSITE_PARALLEL=0 measures the serial path (bench/README.md).
        alone = (
            self.command == "build"
            and hasattr(os, "fork")
            and threading.active_count() == 1
            and os.environ.get("RELSITE_PARALLEL", "1") != "0"
        )
        jobs = worker_count() if alone else 1
        # Planning builds a large heap of small acyclic objects: with the cyclic collector running,
        # its full collections scanned that heap again and again, a third of planning's time at
        # 10,000 releases (as in validate.checker.check_folder, which pauses it for loading).
        paused = gc.isenabled()
        gc.disable()
        try:
            site, problems, count = plan_site(self.releases_dir, self.today, config.site_url or "", jobs, self.prefix)
        finally:
            if paused:
                gc.enable()
        self.freeze = alone
        if alone:
            # A build process ends after this build: move the portfolio and the plan, alive until
            # the end, out of the cyclic collector's sight, or every full collection while pages
            # render walks them all again. (serve runs on and keeps its collector as it is.)
            gc.freeze()
        for p in problems:
            if site is not None:
                log.warning(p.format())
        if site is None:
            raise PluginError(
                "".join(p.format() + "\n" for p in problems) + f"relsite: {summary(count, problems)} in {display}"
            )
        self.today = site.today  # from here on, the date every writer uses
        try:
            pages = host_site.add_portal(files, config, site, THEME_DIR)
        except host_site.Clash as exc:
            raise PluginError(f"relsite: {exc}") from None
        state = self.state = BuildState(site, pages, allowed=load_allowlist(self.releases_dir, "")[0])
        state.gate = SecretGate(state.allowed, self.config.secrets.site_pages)  # type: ignore[arg-type]  # a Choice
        state.gate.own(f.dest_uri for f in map(files.get_file_from_path, pages) if f is not None)
        state.gate.own(a.path for a in site.assets)
        self._start_writer(state, config, alone)
        state.search = Collector() if self.fast else None  # after the fork: the writer has no use for it
        return files

    def _start_writer(self, state: BuildState, config: MkDocsConfig, alone: bool) -> None:
        """Calendars, JSON and feeds are written by another process while MkDocs renders pages (the
        site folder was cleaned before on_files); see asset_writer.py. Other commands write them in
        on_post_build."""
        site = state.site
        if alone:
            state.writer = ForkedWriter(site.assets, config.site_dir, state.allowed)
        elif self.command == "serve":
            state.writer = SpawnedWriter(
                self.releases_dir, config.site_dir, site.today, config.site_url or "", self.prefix
            )
        if state.writer is not None:
            site.assets = []

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.state is not None:
            entry = self.config.nav_entry
            placed = (
                host_site.add_nav_entry(
                    nav, self.state.pages, self.prefix + urls.RELEASES_SRC, files, entry.title, entry.position
                )
                if entry.enabled
                else None
            )
            self.state.chrome = host_site.shared_chrome(nav, self.state.pages, placed)
            self.state.page_chrome = PageChrome.for_site(nav, files, placed, self.prefix, config.site_url or "")
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.freeze:
            gc.freeze()  # MkDocs' pages and navigation, made since on_files, live until the end too
        env.globals["relsite_shared"] = self.state.chrome if self.state else SharedChrome(eligible=(), nav_urls=())
        if self.state is not None:
            env.globals["relsite_page"] = self.state.page_chrome
        return env

    def on_pre_page(self, page: MkPage, /, *, config: MkDocsConfig, files: Files) -> MkPage | None:
        if self.fast and self.state is not None and page.file.src_uri in self.state.pages:
            # MkDocs would build a Markdown instance with every configured extension to convert the
            # empty string that stands in for a generated page: 5% of a build, for nothing.
            page.render = types.MethodType(_render_nothing, page)  # type: ignore[method-assign]
        return page

    @event_priority(100)  # other plugins reading page.meta see relsite's
    def on_page_markdown(self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.state.pages.get(page.file.src_uri) if self.state else None
        if planned is None:
            return markdown
        page.meta = _meta(
            planned, self.fast
        )  # set directly: writing and re-parsing YAML front matter cost 5% of a build
        if self.chrome and self.state is not None and self.state.page_chrome.eligible(page.file.src_uri, page.url):
            page.meta["template"] = TEMPLATE  # read by MkDocs before on_page_context
        return ""

    @event_priority(100)  # before other plugins (and the theme) see page.content
    def on_page_context(self, context: Any, /, *, page: MkPage, config: MkDocsConfig, nav: Any) -> Any:
        planned = self.state.pages.pop(page.file.src_uri, None) if self.state else None
        if self.state is not None and planned is not None:
            self.state.generated.add(page.file.src_uri)
            page.content = planned.render() if self.fast else _unwrapped_tables(planned.render())
            if planned.searchable and self.state.search is not None:
                self.state.search.add(page.url, planned.title, page.content)
            context["page"] = page
        return context

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str | None:
        state = self.state
        if state is None:
            return output
        if page.file.src_uri in state.generated:
            composed = None
            if page.meta.get("template") != TEMPLATE:
                output = host_site.link_assets(output, page.url, self.prefix, own_page=True)
                if self.chrome:
                    state.page_chrome.keep_own(page, output)
            else:  # relsite/page.html linked them already
                composed = state.page_chrome.composed(page.file.src_uri, output)
            state.gate.scan_page(page.file.dest_uri, output, body=page.content, composed=composed)
            page.content = None  # written and indexed: the next page's body takes its place in memory
            return output
        if page.file.src_uri in state.with_fragments:
            output = host_site.link_assets(output, page.url, self.prefix, own_page=False)
            if self.chrome:
                state.page_chrome.keep_host(page, output)
        state.gate.scan_page(page.file.dest_uri, output, source=_host_source(page))
        return output

    def on_page_content(self, html_text: str, /, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        state = self.state
        if state is None:
            return html_text
        planned = state.pages.get(page.file.src_uri)
        if planned is not None:
            page.toc = TableOfContents([AnchorLink(name, anchor, 2) for anchor, name in planned.toc])
            return ""  # the body is rendered in on_page_context, one page at a time
        if state.site.fragments:
            html_text, found = state.page_chrome.host_content(
                page.file.src_uri, html_text, page.url, state.site.fragments, keep=self.chrome
            )
            if found:
                state.with_fragments.add(page.file.src_uri)
        if page.file.src_uri in state.with_fragments:
            state.host_contents[page.file.src_uri] = (page, html_text)
        return html_text

    @event_priority(-100)  # last: after the search plugin wrote its index, and any other plugin its files
    def on_post_build(self, config: MkDocsConfig) -> None:
        state = self.state
        if state is None:
            return
        mark(Path(config.site_dir))
        if state.search is not None:
            index = Path(config.site_dir) / "search" / "search_index.json"
            if index.exists() and not state.search.merge_into(index):
                log.warning(
                    "relsite: search/search_index.json is in a format relsite does not know (another search "
                    "plugin?); release and handover pages will not be found by search"
                )
        state.close_search()
        state.gate.add(*write_assets(state.site.assets, config.site_dir, state.allowed))
        state.site.assets = []
        if state.writer is not None:
            writer, state.writer = state.writer, None
            try:
                if isinstance(writer, ForkedWriter):
                    writer.share()  # this core's pages are done: it takes the writer's last files
                state.gate.add(*writer.finish())
            except WriterFailed as exc:
                raise PluginError(f"relsite: writing the calendars, JSON files and feeds failed: {exc}") from None
        self._refuse_secrets(Path(config.site_dir), state, strict=bool(config.strict))

    def _refuse_secrets(self, site_dir: Path, state: BuildState, *, strict: bool) -> None:
        """The one secret gate, on every way a site is built (relsite build, mkdocs build,
        properdocs build): pages and generated files were scanned as they were written, and the
        rest of the output (hand-written pages' files, the theme, the search index) is swept now.
        A site with an error is not finished: the files that hold it are removed and the build fails;
        a warning (a heuristic on the site's own page) is shown and removes nothing. Under the site's
        ``strict: true`` every MkDocs warning fails the build, so there it is shown as information:
        a guest never fails a build the site passed without it."""
        try:
            for problem in state.gate.finish(site_dir):
                (log.info if strict else log.warning)(problem.format())
        except SecretsFound as exc:
            (site_dir / MARKER).unlink(missing_ok=True)
            raise PluginError(str(exc)) from None

    def _end_build(self) -> None:
        """Release what the last build held (its search file, its writer): a serve rebuild, or a
        failed build, starts from nothing."""
        if self.state is not None:
            self.state.cancel()
            self.state = None

    def on_build_error(self, *, error: Exception) -> None:
        self._end_build()

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        follow_releases(server, self.releases_dir)  # also when the folder is removed and put back
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


def _register_theme(config: MkDocsConfig, fast: bool) -> None:
    """Ship the portal's look with the plugin. The stylesheet and script are files of the portal
    (added in on_files) linked from its own pages in on_post_page, never through ``extra_css``,
    which would put them on every page of the host. With the fast paths, the template override that
    shares navigation markup joins the theme's folders, after a site's own custom_dir so that a site
    can still override it."""
    if fast:
        overrides = str(THEME_DIR / "overrides")
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)


_WRAPPER = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table rs-table">'


def _unwrapped_tables(html_text: str) -> str:
    """Without the table-wrappers fast path: bare tables, which Material's script wraps itself."""
    return (
        html_text.replace(_WRAPPER, "").replace("</table></div></div>", "</table>")
        if _WRAPPER in html_text
        else html_text
    )


def _render_nothing(self: MkPage, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a generated page: its body is set in on_page_context, its TOC in on_page_content."""
    self.content, self.toc = "", TableOfContents([])
    self.present_anchor_ids = None  # unknown here, so MkDocs does not check links into the page


def _meta(page: Page, fast: bool) -> dict[str, Any]:
    """What front matter would say. Escaped here because MkDocs' templates do not autoescape."""
    meta: dict[str, Any] = {"title": escaped_title(page.title)}
    if page.hide:
        meta["hide"] = list(page.hide)
    if fast or not page.searchable:
        meta["search"] = {"exclude": True}  # fast: relsite indexes it itself (search_index.py)
    if page.description:
        meta["description"] = escaped_description(page.description)
    return meta
