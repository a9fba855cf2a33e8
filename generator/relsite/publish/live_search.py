"""What the live preview keeps of the site's search besides the pages (``live_delta.py``): the
search index as served, a page's entries each serialised once, and the theme's indexer for the
site's own pages that show a relsite block."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relsite.plan.urls import from_host_page

SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class SearchEntries:
    """The site's search index as its head and each page's entries already serialised, as the build
    wrote them (``search_index.Collector.merge_into``), by page in index order: replacing a page's
    entries re-serialises those alone, not the whole index (5 MB and a quarter of a second at 1,000
    releases), and finds them without a pass over every entry (50 MB at 10,000). Kept as UTF-8
    bytes, each page's entries joined: a save joins 20,000 pieces of bytes once, where joining
    every entry as text and encoding the 50 MB took a fifth of a second."""

    head: bytes
    """The index without its entries, up to the opening bracket of ``docs``."""
    pages: dict[str, bytes]
    """Page URL -> its entries' JSON joined by commas (the page itself, then its sections ``url#anchor``)."""
    scattered: frozenset[str] = frozenset()
    """Pages whose entries are not in one run: they cannot be replaced in place."""

    @classmethod
    def read(cls, site_dir: Path) -> SearchEntries | None:
        try:
            index = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
            return None
        docs = index.pop("docs")
        head = json.dumps({**index, "docs": []}, separators=(",", ":"))
        pages: dict[str, list[str]] = {}
        scattered: set[str] = set()
        last = None
        for d in docs:
            url = str(d.get("location", "")).split("#", 1)[0] if isinstance(d, dict) else ""
            if url != last and url in pages:
                scattered.add(url)
            pages.setdefault(url, []).append(json.dumps(d, separators=(",", ":")))
            last = url
        joined = {url: ",".join(texts).encode("utf-8") for url, texts in pages.items()}
        return cls(head[:-2].encode("utf-8"), joined, frozenset(scattered))

    def indexes(self, url: str) -> bool:
        """Whether search holds an entry of the page at ``url``."""
        return url in self.pages

    def replaced(self, url: str, entries: list[dict[str, str]]) -> SearchEntries | None:
        """The index with the page's entries (one run, where the build put them) replaced; None when
        there is no such run."""
        if url not in self.pages or url in self.scattered:
            return None
        if any(str(e.get("location", "")).split("#", 1)[0] != url for e in entries):
            return None
        pages = dict(self.pages)
        pages[url] = ",".join(json.dumps(e, separators=(",", ":")) for e in entries).encode("utf-8")
        return SearchEntries(self.head, pages, self.scattered)

    def data(self) -> bytes:
        """The index file: the head, every entry in order, the closing brackets, copied once."""
        runs = [run for run in self.pages.values() if run]
        if not runs:
            return self.head + b"]}"
        runs[0] = self.head + runs[0]
        runs[-1] += b"]}"
        return b",".join(runs)


@dataclass(frozen=True)
class HostSearch:
    """The theme's search indexer and the site's pages that show a relsite block, as it indexed them:
    enough to index such a page again with a changed block, as a full build would."""

    index_class: Any
    config: dict[str, Any]
    pages: dict[str, tuple[Any, str]]

    @classmethod
    def of(cls, config: Any, pages: dict[str, tuple[Any, str]]) -> HostSearch | None:
        plugin = next((config.plugins[k] for k in ("material/search", "search") if k in config.plugins), None)
        index_class = getattr(sys.modules.get(type(plugin).__module__), "SearchIndex", None)
        if plugin is None or index_class is None or not hasattr(index_class, "add_entry_from_context"):
            return None
        return cls(index_class, dict(plugin.config), dict(pages))

    def entries(
        self, src_uri: str, old: dict[str, str], new: dict[str, str], prefix: str
    ) -> list[dict[str, Any]] | None:
        """The page's search entries with the blocks ``new`` in place of ``old``; None when that cannot be said."""
        found = self.content(src_uri, old, new, prefix)
        if found is None:
            return None
        page, content = self.pages[src_uri][0], found
        index = self.index_class(**self.config)
        kept, page.content = page.content, content
        try:
            index.add_entry_from_context(page)
        finally:
            page.content = kept
        return list(index.entries)

    def content(self, src_uri: str, old: dict[str, str], new: dict[str, str], prefix: str) -> str | None:
        """The page's content with the blocks ``new`` in place of ``old`` (each shown once at most)."""
        page, content = self.pages.get(src_uri, (None, ""))
        if page is None:
            return None
        for name, fragment in new.items():
            if name not in old:
                return None
            before = from_host_page(old[name], page.url, prefix)
            if content.count(before) > 1:
                return None
            content = content.replace(before, from_host_page(fragment, page.url, prefix))
        return content

    def with_contents(self, contents: dict[str, str]) -> HostSearch:
        return HostSearch(
            self.index_class, self.config, {**self.pages, **{k: (self.pages[k][0], v) for k, v in contents.items()}}
        )
