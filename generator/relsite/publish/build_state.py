"""What one build of the MkDocs plugin learns, in one object made in ``on_files``.

The plugin object lives as long as ``mkdocs serve``; anything it kept between builds leaked from
one rebuild into the next (the set of generated pages did). A fresh state per build cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relsite.plan.site import Page, Site
from relsite.publish.asset_writer import ForkedWriter, SpawnedWriter
from relsite.publish.page_chrome import PageChrome
from relsite.publish.search_index import Collector
from relsite.publish.secret_gate import SecretGate
from relsite.publish.shared_chrome import SharedChrome


@dataclass
class BuildState:
    site: Site
    pages: dict[str, Page]
    """Planned pages not rendered yet, by source path: each is dropped once its body is written."""
    allowed: frozenset[str]
    """The allowlist of the secret gate (releases/.secrets-allowlist)."""
    generated: set[str] = field(default_factory=set)
    """Source paths of relsite's pages rendered so far in this build."""
    with_fragments: set[str] = field(default_factory=set)
    """Host pages that received a relsite block: they need the stylesheet too, and nothing more."""
    host_contents: dict[str, tuple[Any, str]] = field(default_factory=dict)
    """Those pages (MkDocs pages) with their content as the theme's search indexed it: a live
    preview indexes them again when a block changes (publish/live_delta.py)."""
    gate: SecretGate = field(default_factory=SecretGate)
    """The secret gate of this build: files are scanned as they are written, the rest at the end."""
    writer: ForkedWriter | SpawnedWriter | None = None
    search: Collector | None = None
    chrome: SharedChrome = field(default_factory=lambda: SharedChrome(eligible=(), nav_urls=()))
    page_chrome: PageChrome = field(default_factory=lambda: PageChrome(prefix="", site_url=""))
    """Skeletons of Material's chrome (page_chrome.py); kept after the build for a live preview's ``fill``."""

    def close_search(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None

    def cancel(self) -> None:
        """A build that failed (or is replaced by a serve rebuild) leaves no writer or temporary file."""
        self.close_search()
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
