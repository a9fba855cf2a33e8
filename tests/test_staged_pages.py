"""The pages relsite stages as Markdown for Zensical (publish/staging.py) carry what the MkDocs
plugin sets in page meta: listings stay out of search, as they do with MkDocs."""

from __future__ import annotations

import yaml

from relsite.plan.site import Page
from relsite.publish.staging import page_markdown


def _front(markdown: str) -> dict[str, object]:
    return dict(yaml.safe_load(markdown.split("---\n")[1]))


def _page(searchable: bool) -> Page:
    return Page(
        src_uri="calendar/index.md", url="calendar/", title="Calendar", render=lambda: "<p>x</p>", searchable=searchable
    )


def test_a_listing_page_is_staged_out_of_search() -> None:
    assert _front(page_markdown(_page(searchable=False)))["search"] == {"exclude": True}


def test_a_release_page_is_staged_for_search() -> None:
    assert "search" not in _front(page_markdown(_page(searchable=True)))
