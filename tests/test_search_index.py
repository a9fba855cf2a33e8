"""The search index entries relsite writes for its own pages (search_index.py)."""

from __future__ import annotations

import json
from pathlib import Path

from relsite.publish.search_index import entries

from .conftest import soup


def _docs(site: Path) -> list[dict[str, str]]:
    return list(json.loads((site / "search/search_index.json").read_text())["docs"])


def test_sections_are_cut_at_headings_with_an_id() -> None:
    body = '<p>Intro <strong>bold</strong>.</p><h2 id="when">When</h2><table><tr><td>Prod</td><td>Fri</td></tr></table>'
    assert entries("releases/R/", "R: T", body) == [
        {"location": "releases/R/", "title": "R: T", "text": "<p>Intro bold.</p>"},
        {"location": "releases/R/#when", "title": "When", "text": "Prod Fri"},
    ]


def test_a_less_than_sign_left_inside_an_attribute_comes_out_as_text() -> None:
    body = '<p><a href="https://x.example/" title="a><img src=x onerror=alert(1)>">link</a></p>'
    [entry] = entries("r/", "t", body)
    assert "<img" not in entry["text"] and "<a" not in entry["text"]


def test_headings_without_an_id_do_not_start_a_section() -> None:
    body = "<p>a</p><h4>Contributor heading</h4><p>b</p>"
    assert [e["location"] for e in entries("r/", "t", body)] == ["r/"]


def test_every_release_and_handover_section_is_in_the_index(portal_site: Path) -> None:
    locations = {d["location"] for d in _docs(portal_site)}
    page = "releases/REL-2026-014/"
    for anchor in ("", "#when", "#highlights", "#features", "#fixes", "#known-issues", "#details"):
        assert page + anchor in locations
    for anchor in (
        "",
        "#at-a-glance",
        "#readiness",
        "#runbook",
        "#known-errors",
        "#early-life-support",
    ):  # support and rollback are in the card
        assert page + "handover/" + anchor in locations


def test_every_indexed_anchor_exists_on_its_page(portal_site: Path) -> None:
    missing = []
    for doc in _docs(portal_site):
        path, _, anchor = doc["location"].partition("#")
        html = soup(portal_site / path / "index.html")
        if anchor and html.find(id=anchor) is None:
            missing.append(doc["location"])
    assert missing == []


def test_listing_pages_stay_out_of_the_index(portal_site: Path) -> None:
    locations = {d["location"].partition("#")[0] for d in _docs(portal_site)}
    assert "calendar/" not in locations and "releases/" not in locations and "releases/2026/" not in locations


def test_hand_written_pages_are_still_indexed_by_the_theme(portal_site: Path) -> None:
    locations = {d["location"] for d in _docs(portal_site)}
    assert "guides/reading/" in locations


def test_each_release_is_indexed_once(portal_site: Path) -> None:
    locations = [d["location"] for d in _docs(portal_site)]
    assert len(locations) == len(set(locations))


def test_quotes_are_indexed_as_typed_and_other_entities_stay_escaped() -> None:
    [entry] = entries("r/", "t", "<p>Don&#39;t &amp; &lt;b&gt; &#34;x&#34;</p>")
    assert entry["text"] == '<p>Don\'t &amp; &lt;b&gt; "x"</p>'


def test_entries_are_appended_to_the_themes_index(tmp_path: Path) -> None:
    from relsite.publish.search_index import Collector

    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": [{"location": "", "title": "Home", "text": ""}]}))
    collector = Collector()
    collector.add("releases/R/", "R: T", '<p>a</p><h2 id="when">When</h2><p>b</p>')
    assert collector.merge_into(index)
    collector.close()
    data = json.loads(index.read_text())
    assert data["config"] == {"lang": ["en"]}
    assert [d["location"] for d in data["docs"]] == ["", "releases/R/", "releases/R/#when"]


def test_an_index_in_an_unknown_format_is_left_as_it_is(tmp_path: Path) -> None:
    from relsite.publish.search_index import Collector

    index = tmp_path / "search_index.json"
    index.write_text('{"pages": []}')
    collector = Collector()
    collector.add("releases/R/", "R: T", "<p>a</p>")
    assert not collector.merge_into(index)
    collector.close()
    assert index.read_text() == '{"pages": []}'
