"""Publishing an edit of release files without building the site again.

After a full build, when the plan can replan incrementally (``relsite.plan.incremental.Replanner``)
and the plugin's build kept the page chrome (``BuildState.page_chrome``), an edit of existing
release files is published as: the edited files checked again (``validate.checker.recheck``, the
one definition of valid for a changed release), the plan's delta (only what differs), its pages
rendered into the chrome the full build used, everything scanned by the secret gate, the changed
files replaced atomically and the search index's entries for those pages replaced in place.

Every step that cannot answer returns None, and the session then builds the whole site: missing
interfaces (before they exist), notes from git (they follow tags), the theme's own search indexer
(fast paths off), a page that is new or whose entries cannot be found, a host page with a relsite
block that search indexed, a secret. The files written are those a full build writes; the
session's property test compares them byte for byte.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from relsite.load.folder import display_path
from relsite.pipeline import collect_notes
from relsite.plan.incremental import Replanner
from relsite.plan.site import Page, url_of
from relsite.problems import summary
from relsite.publish.live_search import SEARCH_INDEX, HostSearch, SearchEntries
from relsite.publish.live_server import LiveStatus
from relsite.publish.search_index import entries
from relsite.publish.secret_gate import Composed, findings_since, relsite_findings
from relsite.validate.checker import CheckResult, check_folder, recheck
from relsite.validate.portfolio import Portfolio

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class Chrome(Protocol):
    def fill(self, page: Page, body: str) -> str | None: ...
    def fill_host(self, src_uri: str, fragments: dict[str, str]) -> str | None: ...
    def composed(self, src_uri: str, output: str) -> Composed | None: ...


def prepare(config: Any, site_dir: Path, releases: Path, scratch: Path | None = None) -> Incremental | None:
    """What publishing a delta needs after the full build ``config`` made into ``site_dir``; None when it
    cannot. ``scratch``: a folder of the caller's own beside ``site_dir`` (the session's)."""
    plugin = config.plugins.get("relsite")
    state = getattr(plugin, "state", None)
    chrome = getattr(state, "page_chrome", None)
    if state is None or chrome is None or not getattr(plugin, "fast", False):
        return None
    today = state.site.today
    result = check_folder(releases, today=today)
    if result.errors or result.portfolio is None:
        return None
    notes, _ = collect_notes(result.portfolio, releases.parent, result.allowed)
    if notes is not None:
        return None
    replanner = Replanner(result.portfolio, today, config.site_url or "", plugin.prefix, None)
    for asset in (
        replanner.site.assets
    ):  # the replanner learns the bytes the build wrote, so that a delta holds only what differs
        asset.render()
    return Incremental(
        site_dir,
        releases,
        result,
        replanner,
        chrome,
        frozenset(state.with_fragments),
        SearchEntries.read(site_dir),
        prefix=plugin.prefix,
        host_search=HostSearch.of(config, getattr(state, "host_contents", {})),
        freed=scratch / "freed" if scratch is not None else None,
    )


def _ids(pf: Portfolio) -> dict[str, str]:
    return {r.file: r.id for r in pf.releases}


def dest_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


@dataclass
class Incremental:
    site_dir: Path
    releases: Path
    good: CheckResult
    """The check of the release files as the served site shows them."""
    replanner: Any
    chrome: Chrome
    host_pages: frozenset[str]
    """Source paths of the site's own pages that hold a relsite block."""
    search: SearchEntries | None
    """The search index as served (None: the site has none relsite can extend)."""
    prefix: str = ""
    host_search: HostSearch | None = None
    pending: set[Path] = field(default_factory=set)
    """Files edited since the served site, while they had errors: checked again with the next edit."""
    stale: bool = False
    """The plan moved on but the files did not (a secret was refused): only a full build may follow."""
    why: str = ""
    """Why the last ``apply`` asked for a full build (shown in the terminal)."""
    freed: Path | None = None
    """The session's folder for replaced files waiting to be freed (``_write``)."""
    _host_contents: dict[str, str] = field(default_factory=dict)
    """The new contents of the site's pages with a relsite block, for the update being made."""
    _written: dict[str, bytes] = field(default_factory=dict)
    """Assets this session wrote, as written: the served version of an asset an edit changes again
    is compared without reading it back (releases.json is 40 MB at 10,000 releases)."""

    def _no(self, why: str) -> int | None:
        """None (a full build), noting why."""
        self.why = why
        return None

    def apply(self, edits: list[Path], status: LiveStatus) -> int | None:
        """Publish ``edits``; the number of files written (0: problems shown), or None for a full build."""
        if self.stale:
            return self._no("the last update was not written")
        checked = self._recheck(sorted(self.pending | set(edits)))
        if checked is None:
            return self._no("a file that held no release before")
        result, changed_ids = checked
        if result.errors or result.portfolio is None:
            self.pending |= set(edits)
            shown = [line for p in result.errors for line in p.format().splitlines()]
            status.failed(
                [*shown, f"relsite: {summary(result.files, result.problems)} in {display_path(self.releases)}"]
            )
            return 0
        old_fragments = dict(self.replanner.site.fragments)
        delta = self.replanner.update(result.portfolio, changed_ids)
        self.stale = True  # until the files are written
        if delta is None:
            return self._no("the plan changed shape (a page or file added or removed)")
        files, findings, search = self._render(delta, old_fragments)
        if files is None:
            return None  # _render said why
        if findings:
            status.failed(findings)
            return 0
        _write(self.site_dir, files, self.freed)
        self._written.update((a.path, files[a.path]) for a in delta.assets)
        self.good, self.pending, self.stale, self.search = result, set(), False, search
        if self.host_search is not None and self._host_contents:
            self.host_search = self.host_search.with_contents(self._host_contents)
        status.built()
        return len(files)

    def _recheck(self, paths: list[Path]) -> tuple[CheckResult, set[str]] | None:
        assert self.good.portfolio is not None
        ids = _ids(self.good.portfolio)
        result, changed = self.good, set()
        for path in paths:
            release_id = ids.get(display_path(path))
            if release_id is None:
                return None
            try:
                data = path.read_bytes()
            except OSError:
                return None
            result = recheck(result, release_id, data)
            changed.add(release_id)
        if result.portfolio is not None:
            now = _ids(result.portfolio)
            changed |= {now[display_path(p)] for p in paths if display_path(p) in now}
        return result, changed

    def _render(
        self, delta: Any, old_fragments: dict[str, str]
    ) -> tuple[dict[str, bytes] | None, list[str], SearchEntries | None]:
        """The files the delta changes, what the secret gate found in them, and the search index after them."""
        allowed = self.good.allowed
        files: dict[str, bytes] = {}
        findings: list[str] = []
        bodies: list[tuple[Page, str]] = []
        for page in delta.pages:
            dest = dest_of(page.url)
            body = page.render()
            text = self.chrome.fill(page, body)
            if text is None or not (self.site_dir / dest).is_file():
                self._no(f"{dest} cannot be filled into the last build's chrome")
                return None, [], None
            composed = self.chrome.composed(page.src_uri, text)  # the gate searches the chrome's own text once per kind
            findings += relsite_findings(dest, text, allowed, body=body, composed=composed)
            files[dest] = text.encode("utf-8")
            bodies.append((page, body))
        for asset in delta.assets:
            data = asset.render()
            findings += findings_since(asset.path, data, self._served(asset.path), allowed)
            files[asset.path] = data
        search = self.search
        self._host_contents = {}
        if delta.fragments:
            hosts = self._hosts(delta.fragments, old_fragments, allowed, findings)
            if hosts is None:
                return None, [], None
            files.update(hosts[0])
            search = hosts[1]
        for page, body in bodies:
            if page.searchable:
                search = search.replaced(page.url, entries(page.url, page.title, body)) if search is not None else None
                if search is None:
                    self._no(f"the search entries of {page.url} cannot be placed")
                    return None, [], None
        if search is not self.search and search is not None:
            files[SEARCH_INDEX] = search.data()
        return files, findings, search

    def _served(self, rel: str) -> bytes | None:
        """The file as served: it passed the gate (a refused update writes nothing)."""
        if rel in self._written:
            return self._written[rel]
        try:
            return (self.site_dir / rel).read_bytes()
        except OSError:
            return None

    def _hosts(
        self, fragments: dict[str, str], old: dict[str, str], allowed: frozenset[str], findings: list[str]
    ) -> tuple[dict[str, bytes], SearchEntries | None] | None:
        """The site's pages that show a relsite block, filled with the new blocks, and the search index
        with their entries made again (None, having said why, when that cannot be done)."""
        out: dict[str, bytes] = {}
        search = self.search
        for src_uri in sorted(self.host_pages):
            url = url_of(src_uri)
            if search is not None and search.indexes(url):
                found = self.host_search.entries(src_uri, old, fragments, self.prefix) if self.host_search else None
                search = search.replaced(url, found) if found is not None else None
                if search is None:
                    self._no(f"{src_uri} shows a changed relsite block and cannot be indexed for search again")
                    return None
                self._host_contents[src_uri] = self.host_search.content(src_uri, old, fragments, self.prefix) or ""  # type: ignore[union-attr]
            text = self.chrome.fill_host(src_uri, fragments)
            if text is None:
                self._no(f"{src_uri} cannot be filled with the changed relsite block")
                return None
            dest = dest_of(url)
            for fragment in fragments.values():
                findings += [
                    f.replace("<fragment>", dest, 1) for f in relsite_findings("<fragment>", fragment, allowed)
                ]
            out[dest] = text.encode("utf-8")
        return out, search


FREED_LATER = 1 << 20
"""Replaced files of at least this size are freed after the update is served, not during it."""


def _write(site_dir: Path, files: dict[str, bytes], freed: Path | None = None) -> None:
    """Each file replaced whole (a temporary file renamed over it): a request never reads half of one.

    ``freed``: a folder of the session's own, on the site folder's file system. A large file being
    replaced is linked there first and unlinked by a thread afterwards: the rename then no longer
    waits while the kernel frees the old file's pages (about 30 ms per 50 MB; at 10,000 releases a
    save replaces 150 MB of search index, JSON and calendars)."""
    aside: list[Path] = []
    try:
        for rel, data in sorted(files.items()):
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".relsite-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.chmod(tmp, 0o666 & ~_UMASK)  # as the engine creates files
                if freed is not None:
                    aside += _set_aside(target, freed)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    finally:
        if aside:
            threading.Thread(target=_unlink_all, args=(aside,), name="relsite-free", daemon=True).start()


_ASIDE = itertools.count()


def _set_aside(target: Path, freed: Path) -> list[Path]:
    """A second name in ``freed`` for ``target`` when it is large (none when it is small, missing,
    or cannot be linked: it is then freed by the rename, as before)."""
    try:
        if target.stat().st_size < FREED_LATER:
            return []
        freed.mkdir(exist_ok=True)
        name = freed / f"{os.getpid()}-{next(_ASIDE)}"
        os.link(target, name)
    except OSError:
        return []
    return [name]


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
