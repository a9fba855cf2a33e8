"""The timeline at the scale of a long history: 25 lines over more than 25 years stay legible, and
the drawing follows the dates it is given (geometry read back from the SVG)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relsite.pipeline import plan_site

SVG = "{http://www.w3.org/2000/svg}"
LINES = 25


def _portfolio(folder: Path, count: int, first_year: int = 2000) -> None:
    folder.mkdir()
    lines = "\n".join(
        f'      - {{version: "1.{i}", phases: {{active: {first_year + i}-03-01, security: {first_year + 2 + i}-03-01, '
        f"end_of_life: {first_year + 4 + i}-03-01}}}}"
        for i in range(count)
    )
    (folder / "portfolio.yaml").write_text(f"""name: Long history
environments:
  - {{name: prod, production: true}}
services:
  - name: lang
    lines:
{lines}
""")
    for i in range(count):
        (folder / f"R-{i}.yaml").write_text(f"""id: R-{i}
title: Lang 1.{i}.0
service: lang
version: "1.{i}.0"
type: minor
status: planned
summary: A release.
owner: lang-team
risk: low
environments:
  prod:
    window: {{start: {first_year + i}-03-02T10:00:00Z, end: {first_year + i}-03-02T11:00:00Z}}
    status: scheduled
""")


def _svg(html: str) -> ET.Element:
    """The whole-history timeline (folded under the page's supported-window timeline when lines have ended)."""
    html = html[html.find('id="timeline-all"') :] if 'id="timeline-all"' in html else html
    found = re.search(r'<svg\b[^>]*data-rs="timeline"[^>]*>.*?</svg>', html, re.DOTALL)
    assert found is not None
    return ET.fromstring(found.group(0))


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    folder = tmp_path_factory.mktemp("long") / "releases"
    _portfolio(folder, LINES)
    site, problems, _ = plan_site(folder, dt.date(2026, 11, 27))
    assert site is not None, problems
    return _svg(next(p for p in site.pages if p.src_uri == "services/lang/index.md").html)


def test_every_line_gets_its_own_row_at_a_readable_height(long_history: ET.Element) -> None:
    rows = [g for g in long_history.iter(f"{SVG}g") if g.get("data-line")]
    ys = sorted(float(next(g.iter(f"{SVG}rect")).get("y", 0)) for g in rows)
    assert len(rows) == LINES and min(b - a for a, b in itertools.pairwise(ys)) >= 20


def test_year_labels_thin_out_but_never_crowd(long_history: ET.Element) -> None:
    grid = next(g for g in long_history.iter(f"{SVG}g") if g.get("class") == "rs-tl-grid")
    labelled = [(float(t.get("x", 0)), t.text) for t in grid.iter(f"{SVG}text")]
    assert [text for _, text in labelled] == ["2000", "2005", "2010", "2015", "2020", "2025"]
    assert min(b[0] - a[0] for a, b in itertools.pairwise(labelled)) >= 60


def test_bars_line_up_with_their_dates_across_rows(long_history: ET.Element) -> None:
    rows = {
        g.get("data-line"): {r.get("data-phase"): float(r.get("x", 0)) for r in g.iter(f"{SVG}rect")}
        for g in long_history.iter(f"{SVG}g")
        if g.get("data-line")
    }
    # line 1.2's security phase and line 1.4's active phase both start on 1 March 2004
    assert rows["1.2"]["security"] == rows["1.4"]["active"]
    starts = [rows[f"1.{i}"]["active"] for i in range(LINES)]
    assert starts == sorted(starts) and len(set(starts)) == LINES


def test_the_drawing_fits_its_view_box(long_history: ET.Element) -> None:
    x0, _, width, height = (float(v) for v in long_history.get("viewBox", "").split())
    for el in long_history.iter():
        for attr in ("x", "x1", "x2"):
            if el.get(attr) is not None:
                assert x0 <= float(el.get(attr, 0)) <= x0 + width, (el.tag, el.attrib)
        if el.get("width") and el.tag == f"{SVG}rect" and el.get("data-phase"):
            assert float(el.get("x", 0)) + float(el.get("width", 0)) <= x0 + width + 0.1
    assert height == float(long_history.get("height", 0))


def test_the_portfolio_timeline_stops_at_sixty_lines_and_says_so(tmp_path: Path) -> None:
    _portfolio(tmp_path / "releases", 70, first_year=2024)  # all 70 lines still current on the build day
    site, problems, _ = plan_site(tmp_path / "releases", dt.date(2026, 11, 27))
    assert site is not None, problems
    html = next(p for p in site.pages if p.src_uri == "support/index.md").html
    rows = [g for g in _svg(html).iter(f"{SVG}g") if g.get("data-line")]
    assert len(rows) == 60 and "The timeline shows the first 60 of 70 current lines" in html


def _service_page_and_support(tmp_path: Path, service: str) -> tuple[str, str]:
    """Plans a one-service portfolio and returns (its service page, the support page) as HTML."""
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases/portfolio.yaml").write_text(
        "name: Names\nenvironments:\n  - {name: prod, production: true}\nservices:\n" + service
    )
    site, problems, _ = plan_site(tmp_path / "releases", dt.date(2026, 11, 27))
    assert site is not None, problems
    pages = {p.src_uri: p for p in site.pages}
    name = service.split("name: ", 1)[1].split()[0]
    return pages[f"services/{name}/index.md"].html, pages["support/index.md"].html


def test_a_long_line_name_is_shortened_to_the_label_column_not_clipped(tmp_path: Path) -> None:
    html, _ = _service_page_and_support(
        tmp_path,
        """  - name: svc
    lines:
      - version: "1"
        title: "A support line whose name is far longer than any label column"
        phases: {active: 2026-01-01}
      - {version: "2", phases: {active: 2026-06-01}}
""",
    )
    names = re.search(r'<svg class="rs-tl-names" viewBox="0 0 (\d+) ', html)
    assert names is not None and int(names.group(1)) <= 180
    labels = [g.get("data-line") for g in _svg(html).iter(f"{SVG}g") if g.get("data-line")]
    assert labels == ["2", "A support line whose…"]  # by version on the service's own page; the table has the full name


def test_shortened_names_keep_their_version_so_lines_stay_apart(tmp_path: Path) -> None:
    _, html = _service_page_and_support(
        tmp_path,
        """  - name: idp
    title: Identity and single sign-on for staff and customers
    lines:
      - {version: "3", phases: {active: 2026-06-01}}
      - {version: "2", phases: {active: 2026-01-01}}
""",
    )
    labels = [g.get("data-line") for g in _svg(html).iter(f"{SVG}g") if g.get("data-line")]
    assert labels == ["Identity and single… 3", "Identity and single… 2"]
