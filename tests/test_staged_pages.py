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


def test_a_page_with_a_section_too_long_for_zensicals_search_is_staged_out_of_search() -> None:
    body = "<h2>Matrix</h2><table>" + "<tr><td>REL-1 deployed</td></tr>" * 2000 + "</table>"
    page = Page(src_uri="environments/index.md", url="environments/", title="Environments", render=lambda: body)
    assert _front(page_markdown(page))["search"] == {"exclude": True}


def test_a_page_of_short_sections_stays_in_search() -> None:
    body = "".join(f"<h2>Part {i}</h2><p>{'word ' * 500}</p>" for i in range(20))
    page = Page(src_uri="guide/index.md", url="guide/", title="Guide", render=lambda: body)
    assert "search" not in _front(page_markdown(page))
