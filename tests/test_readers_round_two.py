"""Issue 23 (readers, round two) and issue 22 item 5 (dark mode), read back from built sites and in
headless Chromium at 1366 and 390 px: overruns and clashes are listed and marked, phone cards keep
their labels, tables use the width, handover readiness says what is missing, a long real history
leads with what is supported now, the year view is a month grid on a phone, and the slate scheme
passes axe."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PORTAL, PROJECT, ROOT, SITES, build, make_project, serve, soup

pytestmark = pytest.mark.site

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LATE_DAY = "2026-12-01"  # REL-2026-008's staging window ended on 27 Nov and is still in progress


@pytest.fixture(scope="module")
def late_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("late"), PORTAL)
    result = build(project, today=LATE_DAY)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def clash_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("clash"), SITES / "conflicts" / "releases")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _serve(site: Path) -> Iterator[str]:
    server, url = serve(site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served_late(late_site: Path) -> Iterator[str]:
    yield from _serve(late_site)


# --- 1. overruns ---------------------------------------------------------------------------------


def test_an_overrunning_window_is_the_first_attention_item(late_site: Path) -> None:
    page = soup(late_site / "attention" / "index.html")
    first = page.select_one("h2")
    assert first is not None and first["id"] == "behind" and "rs-alarm" in first.get("class", [])
    rows = first.find_next("table").select("tbody tr")
    assert any("REL-2026-008" in r.get_text() and "still in progress" in r.get_text() for r in rows)


def test_an_overrunning_window_is_marked_on_home_matrix_environment_and_release_pages(late_site: Path) -> None:
    home = soup(late_site / "index.html").select_one(".rs-happening")
    assert home is not None and "overrunning" in home.select_one("li.rs-alarm-row").get_text()
    matrix = soup(late_site / "environments" / "index.html")
    assert matrix.select_one('td.rs-cell-late[data-env="staging"]') is not None
    assert (
        "overrunning"
        in soup(late_site / "environments" / "staging" / "index.html").select_one("table[data-rs=slots]").get_text()
    )
    assert (
        soup(late_site / "releases" / "REL-2026-008" / "index.html").select_one(".rs-badges .rs-chip-alarm") is not None
    )


# --- 2. clashes ----------------------------------------------------------------------------------


def test_a_clash_is_listed_with_both_releases_linked(clash_site: Path) -> None:
    section = soup(clash_site / "attention" / "index.html").select_one("h2#clash")
    assert section is not None
    links = {a["href"] for a in section.find_next("table").select("tbody tr td a")}
    assert {"../releases/REL-1/", "../releases/REL-2/"} <= links


def test_a_clash_is_marked_with_relsite_chips_on_release_pages_and_the_calendar(clash_site: Path) -> None:
    for rid in ("REL-1", "REL-2"):
        assert soup(clash_site / "releases" / rid / "index.html").select_one(".rs-badges .rs-chip-clash") is not None
    month = soup(clash_site / "calendar" / "2026-12" / "index.html")
    assert month.select_one(".rs-conflicts .rs-chip-clash") is not None and month.select("article details") == []


# --- 5. handover readiness ----------------------------------------------------------------------


def test_readiness_says_ready_or_what_is_missing_and_nothing_for_a_cancelled_release(late_site: Path) -> None:
    def tag(rid: str) -> str:
        found = soup(late_site / "releases" / rid / "index.html").select_one(".rs-readiness-tag")
        return found.get_text(" ", strip=True) if found else ""

    assert tag("REL-2026-006") == "handover ready"
    assert tag("REL-2026-011") == "handover missing: runbook, support team, rollback plan"
    assert tag("REL-2026-018") == ""  # cancelled
    assert " of 11" not in (late_site / "releases" / "REL-2026-006" / "handover" / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_handover_card_holds_the_rollback_plan_itself(late_site: Path) -> None:
    card = soup(late_site / "releases" / "REL-2026-014" / "handover" / "index.html").select_one(".rs-glance")
    assert card is not None
    terms = [dt.get_text() for dt in card.select("dt")]
    assert terms[:4] == ["How to run it", "Whom to call", "How to back out", "Depends on"]
    assert card.select_one("dd.rs-rollback p") is not None


# --- 3, 4, 10: cards and widths in a real browser ------------------------------------------------

KINDS = {
    "environments": "environments/",
    "environment": "environments/staging/",
    "release": "releases/REL-2026-008/",
    "releases": "releases/",
    "services": "services/",
    "service": "services/payments/",
    "attention": "attention/",
    "agenda": "calendar/agenda/",
    "support": "support/",
    "handover": "releases/REL-2026-005/handover/",
}

UNLABELLED = """() => [...document.querySelectorAll(
    'article table[data-rs]:not([data-rs=calendar]):not([data-rs=years]) td')]
  .filter(td => td.getClientRects().length && td.textContent.trim() && !td.dataset.label)
  .map(td => td.textContent.trim().slice(0, 40))"""
NARROW_CARDS = """() => [...document.querySelectorAll('article table[data-rs]')].filter(t => t.getClientRects().length
  && t.getBoundingClientRect().width < document.querySelector('article').getBoundingClientRect().width * 0.9)
  .map(t => t.dataset.rs)"""


@pytest.mark.parametrize("kind", list(KINDS))
def test_on_a_phone_every_card_cell_carries_its_label_and_cards_use_the_width(
    sized: Any, served_late: str, kind: str
) -> None:
    page = sized(PHONE)
    page.goto(served_late + KINDS[kind])
    assert (page.evaluate(UNLABELLED), page.evaluate(NARROW_CARDS)) == ([], [])
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("kind", list(KINDS))
def test_at_1366_px_relsite_pages_have_no_empty_menu_column_and_no_table_hides_a_column(
    sized: Any, served_late: str, kind: str
) -> None:
    page = sized(DESKTOP)
    page.goto(served_late + KINDS[kind])
    assert page.evaluate("() => document.querySelector('article').getBoundingClientRect().width") > 900
    clipped = page.evaluate("""() => [...document.querySelectorAll('article table')].filter(t =>
      t.scrollWidth > (t.closest('.md-typeset__scrollwrap') || t.parentElement).clientWidth + 1)
      .map(t => t.dataset.rs)""")
    assert clipped == []


def test_table_text_is_body_sized(sized: Any, served_late: str) -> None:
    page = sized(DESKTOP)
    page.goto(served_late + "releases/")
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('table[data-rs=releases] td')).fontSize)"
    )
    assert size >= 14


# --- 9. the year view on a phone -----------------------------------------------------------------


def test_on_a_phone_the_year_view_is_a_month_grid_with_finger_sized_targets(sized: Any, served_late: str) -> None:
    page = sized(PHONE)
    page.goto(served_late + "calendar/years/")
    boxes = page.evaluate("""() => [...document.querySelectorAll('table[data-rs=years] tbody tr')][0]
      .querySelectorAll('td').length
      ? [...[...document.querySelectorAll('table[data-rs=years] tbody tr')][0].querySelectorAll('td')]
        .map(td => { const b = td.getBoundingClientRect();
                     return [Math.round(b.x), Math.round(b.y), Math.round(b.width), Math.round(b.height)]; })
      : []""")
    assert len(boxes) == 12
    assert len({y for _, y, _, _ in boxes}) == 2  # two rows of six months
    assert all(w >= 44 and h >= 40 for _, _, w, h in boxes)


# --- 6. a long real history ----------------------------------------------------------------------


def _long_history(dest: Path) -> Path:
    """CPython-shaped history: 25 branches of 11 final releases each, in python/peps' TOML shape,
    converted by tools/python_releases.py like the real file."""
    lines = []
    for i in range(25):
        branch = f"3.{i}" if i < 17 else f"2.{i - 17}"
        year = 2000 + i
        lines += [
            f'[metadata."{branch}"]',
            'status = "end-of-life"' if year < 2022 else 'status = "security"',
            f'branch = "{branch}"',
            'release-manager = "Someone"',
            f"first-release = {year}-10-01",
            f"end-of-bugfix = {year + 2}-04-01",
            f"end-of-life = {year + 5}-10-01",
            "",
        ]
        for n in range(11):
            lines += [
                f'[[release."{branch}"]]',
                f'stage = "{branch}.{n} final"',
                'state = "actual"',
                f"date = {year + n // 3}-{(n % 3) * 4 + 1:02d}-1{n % 9}",
                "",
            ]
    toml = dest / "python-releases.toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    out = dest / "releases"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "python_releases.py"), str(toml), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("long")
    project = make_project(tmp / "p", _long_history(tmp))
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_the_converted_sample_still_builds(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "python_releases.py"),
            str(SITES / "python-releases" / "sample.toml"),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert build(make_project(tmp_path / "p", out)).returncode == 0


def test_a_long_history_leads_with_what_is_supported_and_folds_the_rest(long_history: Path) -> None:
    service = long_history / "services" / "cpython" / "index.html"
    assert service.stat().st_size < 120_000
    page = soup(service)
    assert len(page.select("table[data-rs=releases] tbody tr")) <= 30
    assert page.select_one("details.rs-fold table[data-rs=lines]") is not None  # older lines folded
    assert page.select_one("details.rs-fold figure.rs-timeline") is not None  # the whole span one click away
    assert (
        len(page.select("table[data-rs=service-live] tbody tr")) <= 6
    )  # lines ended years ago are counted, not listed


def test_a_long_history_stays_short_on_desktop_and_phone(sized: Any, long_history: Path) -> None:
    for viewport, limit in ((DESKTOP, 7000), (PHONE, 14000)):
        page = sized(viewport)
        for url in _serve(long_history):
            page.goto(url + "services/cpython/")
            assert page.evaluate("() => document.documentElement.scrollHeight") < limit


# --- dark mode (issue 22, item 5) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def slate_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("slate"), PORTAL)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  language: en\n", "  language: en\n  palette:\n    scheme: slate\n"
        ),
        encoding="utf-8",
    )
    assert (PROJECT / "mkdocs.yml").read_text(encoding="utf-8") != config.read_text(encoding="utf-8")
    result = build(project, today=LATE_DAY)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


SLATE_KINDS = [
    "",
    "environments/",
    "releases/REL-2026-008/",
    "releases/REL-2026-014/handover/",
    "calendar/2026-12/",
    "attention/",
    "services/payments/",
    "calendar/agenda/",
    "calendar/years/",
    "support/",
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_in_the_slate_scheme_axe_finds_no_serious_violation(
    sized: Any, slate_site: Path, viewport: dict[str, int]
) -> None:
    page = sized(viewport)
    found = []
    for url in _serve(slate_site):
        for path in SLATE_KINDS:
            page.goto(url + path)
            assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
            # the home page is the host's own (its search dialog, tabs and text are not relsite's):
            # check relsite's block there
            violations = Axe().run(page, context=".rs-happening" if path == "" else None).response["violations"]
            found += [
                (path, v["id"], [n["target"] for n in v["nodes"]][:2])
                for v in violations
                if v["impact"] in ("serious", "critical")
            ]
    assert found == []


def test_the_slate_scheme_repaints_relsite_colours(sized: Any, slate_site: Path) -> None:
    page = sized(DESKTOP)
    for url in _serve(slate_site):
        page.goto(url + "calendar/2026-12/")
        out = page.evaluate("() => getComputedStyle(document.querySelector('td.rs-out')).backgroundColor")
        assert out != "rgb(243, 243, 243)"


def test_found_releases_are_listed_in_version_order(sized: Any, long_history: Path) -> None:
    page = sized(DESKTOP)
    for url in _serve(long_history):
        page.goto(url + "releases/?find=python-3.1.")
        page.wait_for_selector("section.rs-found:not([hidden]) li")
        ids = page.eval_on_selector_all("section.rs-found li a", "els => els.map(a => a.textContent)")
        assert ids.index("python-3.1.2") < ids.index("python-3.1.10")


def test_an_ended_line_without_releases_in_the_portfolio_says_none_recorded_not_none_yet(late_site: Path) -> None:
    rows = {
        tr.th.get_text(strip=True): tr.select("td")[-1].get_text(strip=True)
        for tr in soup(late_site / "support" / "index.html").select("table[data-rs=lines] tbody tr")
    }
    assert rows["Payments gateway 3.x"] == "none recorded" and rows["Payments gateway 5.x"] == "5.0.0"
