"""Nothing a contributor writes becomes markup, and the built site loads nothing from outside."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import soup

PAYLOAD_MARKERS = ("alert(1)", "alert(2)", "alert(3)", "alert(4)")


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_contributor_script_survives_anywhere(hostile_site: Path) -> None:
    for path in _html_files(hostile_site):
        for script in soup(path).find_all("script"):
            assert not any(m in script.get_text() for m in PAYLOAD_MARKERS), path


def test_no_event_handler_or_javascript_link_survives(hostile_site: Path) -> None:
    for path in _html_files(hostile_site):
        for tag in soup(path).find_all(True):
            for name, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert not (name.startswith("on") and "alert" in text), (path, tag)
                assert not text.strip().lower().startswith("javascript:"), (path, tag)
        assert soup(path).find("img", src="x") is None
        assert soup(path).find("iframe") is None


def test_payloads_are_shown_as_text(hostile_site: Path) -> None:
    page = soup(hostile_site / "releases/REL-1/index.html")
    text = page.get_text()
    assert "Title <script>alert(1)</script>" in page.find("h1").get_text()
    assert "Highlight <script>alert(1)</script> <img src=x onerror=alert(2)>" in text
    assert "<title>REL-1: Title &lt;script&gt;" in (hostile_site / "releases/REL-1/index.html").read_text()


def test_template_syntax_in_yaml_is_not_evaluated(hostile_site: Path) -> None:
    for rel in ("releases/REL-1/index.html", "releases/REL-1/handover/index.html", "index.html", "releases/index.html"):
        text = soup(hostile_site / rel).get_text()
        assert "{{ 7*7 }}" in text, rel


def test_snippet_lines_in_release_notes_are_shown_as_text(hostile_site: Path) -> None:
    text = soup(hostile_site / "releases/REL-1/index.html").get_text()
    assert '--8<-- "mkdocs.yml"' in text
    assert "site_name:" not in text


def test_markdown_links_keep_safe_schemes_only(hostile_site: Path) -> None:
    hrefs = [a["href"] for p in _html_files(hostile_site) for a in soup(p).select(".md-content a[href]")]
    assert hrefs and all(not h.lower().startswith(("javascript:", "data:", "vbscript:")) for h in hrefs)


def test_search_index_holds_no_raw_markup(hostile_site: Path) -> None:
    index = (hostile_site / "search/search_index.json").read_text()
    assert "<script" not in index and "<img" not in index and "alert(1)" in index


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_built_site_references_no_external_resource(portal_site: Path) -> None:
    offenders = []
    for path in _html_files(portal_site):
        page = soup(path)
        for tag, attr in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("video", "src"),
            ("audio", "src"),
            ("embed", "src"),
            ("object", "data"),
        ):
            for el in page.find_all(tag):
                value = el.get(attr) or ""
                if re.match(r"(?:https?:)?//", value):
                    offenders.append((path.name, tag, value))
    for css in portal_site.rglob("*.css"):
        for m in re.finditer(r"(?:url\(|@import)\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(errors="replace")):
            offenders.append((css.name, "css", m.group(1)))
    assert offenders == []


def test_fonts_are_not_fetched_from_google(portal_site: Path) -> None:
    for path in _html_files(portal_site):
        assert "fonts.googleapis" not in path.read_text() and "fonts.gstatic" not in path.read_text()


def test_support_line_text_stays_text_in_the_timeline_the_feed_and_the_calendar(hostile_site: Path) -> None:
    import xml.etree.ElementTree as ET

    from icalendar import Calendar

    html = (hostile_site / "services/shop/index.html").read_text(encoding="utf-8")
    svg = re.search(r'<svg\b[^>]*data-rs="timeline"[^>]*>.*?</svg>', html, re.DOTALL)
    assert svg is not None
    tree = ET.fromstring(svg.group(0))  # still well-formed XML
    assert not [e for e in tree.iter() if e.tag.endswith(("script", "foreignObject", "a", "image"))]
    assert "Line <script>alert(1)</script>" in "".join(tree.itertext())
    feed = ET.fromstring((hostile_site / "feed.xml").read_bytes())
    assert any(
        "Line <script>alert(1)</script>" in (t.text or "") for t in feed.iter("{http://www.w3.org/2005/Atom}title")
    )
    for entry in feed.iter("{http://www.w3.org/2005/Atom}content"):
        assert "<script>" not in (entry.text or "") and "<img" not in (entry.text or "")
    events = Calendar.from_ical((hostile_site / "calendar/support.ics").read_bytes()).walk("VEVENT")
    assert any(str(e["SUMMARY"]).startswith("Line <script>alert(1)</script>") for e in events)
