"""The change schedule: recurring freezes and change windows, their exports, the published
schedule and `relsite gate`.

The exports are expanded back with croniter and the iCalendar file with recurring-ical-events, and
compared minute for minute with relsite's own expansion over a year that holds both clock changes
and a year end. tests/sites/schedule is the fixture (Europe/Berlin, as of 2026-11-27).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
import recurring_ical_events
import yaml
from croniter import croniter

from relsite.plan.schedule_feeds import freezes_ics
from relsite.validate.checker import check_folder
from relsite.validate.models import PortfolioConfig
from relsite.validate.portfolio import Portfolio
from relsite.validate.schedule import Interval, change_windows_for, freezes_for, merged, occurrences

from .conftest import SITES, build, make_project, relsite, serve, soup

FIXTURE = SITES / "schedule" / "releases"
BERLIN = ZoneInfo("Europe/Berlin")
SINCE = dt.datetime(2026, 11, 27, tzinfo=BERLIN)
UNTIL = dt.datetime(2027, 11, 27, tzinfo=BERLIN)
UTC = dt.UTC


@functools.cache
def portfolio() -> Portfolio:
    result = check_folder(FIXTURE)
    assert not result.errors and result.portfolio is not None
    return result.portfolio


def clipped(spans: list[Interval]) -> list[Interval]:
    lo, hi = SINCE.astimezone(UTC), UNTIL.astimezone(UTC)
    return merged(Interval(max(s.start, lo), min(s.end, hi)) for s in spans if s.end > lo and s.start < hi)


def relsite_freezes(cfg: PortfolioConfig, kinds: tuple[str, ...] = ("hard", "soft")) -> list[Interval]:
    return clipped(
        [iv for f in freezes_for(cfg, "prod") if f.kind in kinds for iv in occurrences(f, cfg.tz, SINCE, UNTIL)]
    )


def relsite_windows(cfg: PortfolioConfig) -> list[Interval]:
    return clipped([iv for w in change_windows_for(cfg, "prod") for iv in occurrences(w, cfg.tz, SINCE, UNTIL)])


def fires(expression: str, zone: str, after: dt.datetime) -> list[dt.datetime]:
    """Every time the cron fires in [after, UNTIL), by croniter."""
    it = croniter(expression, after.astimezone(ZoneInfo(zone)) - dt.timedelta(minutes=1))
    out = []
    while (t := it.get_next(dt.datetime)) < UNTIL:
        out.append(t.astimezone(UTC))
    return out


def argo_intervals(entry: dict[str, Any]) -> list[Interval]:
    """What Argo CD makes of one sync window over [SINCE, UNTIL): each firing of its cron, by
    croniter, for its duration (the firing before SINCE too, while it lasts)."""
    length = go_duration(entry["duration"])
    before = (
        croniter(entry["schedule"], SINCE.astimezone(ZoneInfo(entry["timeZone"]))).get_prev(dt.datetime).astimezone(UTC)
    )
    starts = ([before] if before + length > SINCE else []) + fires(entry["schedule"], entry["timeZone"], SINCE)
    return clipped([Interval(t, t + length) for t in starts])


def go_duration(text: str) -> dt.timedelta:
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?", text)
    assert m and text
    return dt.timedelta(hours=int(m[1] or 0), minutes=int(m[2] or 0))


def export(what: str) -> tuple[str, str]:
    result = relsite("export", what, "--at", SINCE.isoformat(), "--releases", str(FIXTURE))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


# --- the year the comparisons run over ----------------------------------------------------------


def test_the_compared_year_holds_both_clock_changes_and_a_year_end() -> None:
    offsets = {(SINCE + dt.timedelta(days=d)).utcoffset() for d in range(365)}
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    assert SINCE.year != UNTIL.year


def test_a_time_in_the_skipped_hour_takes_the_offset_before_the_gap_and_a_repeated_one_the_first() -> None:
    cfg = portfolio().config
    night = next(w for w in cfg.change_windows if w.name == "Night maintenance")
    spans = {iv.start: iv.end for iv in occurrences(night, cfg.tz, SINCE, UNTIL)}
    # 02:30 does not exist on 28 March: read as 02:30+01:00; it ends at 04:30 on the wall clock (+02:00), an hour later.
    assert spans[dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)] == dt.datetime(2027, 3, 28, 2, 30, tzinfo=UTC)
    # 02:30 happens twice on 31 October: the first (+02:00); it ends at 04:30 (+01:00), three hours later.
    assert spans[dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)] == dt.datetime(2027, 10, 31, 3, 30, tzinfo=UTC)


def test_a_freeze_across_a_clock_change_keeps_its_wall_clock_ends() -> None:
    cfg = portfolio().config
    night = next(f for f in cfg.freezes if f.name == "Clock change night")
    spans = occurrences(night, cfg.tz, SINCE, UNTIL)
    assert [
        (s.start.astimezone(BERLIN).strftime("%m-%d %H:%M"), s.end.astimezone(BERLIN).strftime("%m-%d %H:%M"))
        for s in spans
    ] == [("03-27 23:00", "03-28 04:00"), ("10-30 23:00", "10-31 04:00")]
    assert [s.end - s.start for s in spans] == [dt.timedelta(hours=4), dt.timedelta(hours=6)]


def test_a_yearly_freeze_on_29_february_occurs_only_in_leap_years() -> None:
    cfg = portfolio().config
    leap = next(f for f in cfg.freezes if f.name == "Leap day audit")
    spans = occurrences(leap, cfg.tz, dt.datetime(2028, 1, 1, tzinfo=UTC), dt.datetime(2034, 1, 1, tzinfo=UTC))
    assert [s.start.astimezone(BERLIN).date() for s in spans] == [dt.date(2028, 2, 29), dt.date(2032, 2, 29)]


def test_a_yearly_freeze_crosses_the_year_end_and_exdates_remove_whole_days() -> None:
    cfg = portfolio().config
    year_end = next(f for f in cfg.freezes if f.name == "Year-end")
    (span,) = occurrences(year_end, cfg.tz, SINCE, UNTIL)
    assert (span.start, span.end) == (dt.datetime(2026, 12, 19, tzinfo=BERLIN), dt.datetime(2027, 1, 4, tzinfo=BERLIN))
    windows = next(w for w in cfg.change_windows if w.name == "Production evenings")
    days = {s.start.astimezone(BERLIN).date() for s in occurrences(windows, cfg.tz, SINCE, UNTIL)}
    assert dt.date(2026, 12, 22) in days and dt.date(2026, 12, 24) not in days and dt.date(2026, 12, 31) not in days


# --- exports, expanded with croniter ------------------------------------------------------------


def test_argocd_sync_windows_expanded_by_croniter_equal_relsites_intervals() -> None:
    text, _ = export("argocd-sync-windows")
    entries = yaml.safe_load(text)
    deny, allow = [], []
    for e in entries:
        (deny if e["kind"] == "deny" else allow).extend(argo_intervals(e))
    cfg = portfolio().config
    assert merged(deny) == relsite_freezes(cfg)
    assert merged(allow) == relsite_windows(cfg)
    assert {e["kind"] for e in entries} == {"allow", "deny"}


def test_a_simple_endless_rule_becomes_one_repeating_argocd_window_that_croniter_expands_to_relsites_intervals() -> (
    None
):
    from relsite.plan.exports import argocd_sync_windows

    data = yaml.safe_load((FIXTURE / "portfolio.yaml").read_text())
    data["freezes"] = [
        {"name": "Friday afternoons", "start": "2026-01-02T14:00", "duration": "PT4H", "rrule": "FREQ=WEEKLY;BYDAY=FR"},
        {"name": "Weekends", "start": "2026-01-03", "duration": "P2D", "rrule": "FREQ=WEEKLY;BYDAY=SA"},
    ]
    data["change_windows"] = [
        {
            "name": "Weekday mornings",
            "environments": ["prod"],
            "start": "2026-01-05T07:00",
            "end": "2026-01-05T09:30",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        }
    ]
    cfg = PortfolioConfig.model_validate(data)
    entries = yaml.safe_load(argocd_sync_windows(cfg, "prod", SINCE).text)
    compact = [(e["kind"], e["schedule"], e["duration"]) for e in entries if "*" in e["schedule"].split()[2]]
    assert compact == [("allow", "0 7 * * 1,2,3,4,5", "2h30m"), ("deny", "0 14 * * 5", "4h")]
    # Weekends last 47 or 49 hours when the clocks change: no single duration, so one entry per weekend.
    assert sum("Weekends" in e["description"] for e in entries) == 52
    deny = [iv for e in entries if e["kind"] == "deny" for iv in argo_intervals(e)]
    allow = [iv for e in entries if e["kind"] == "allow" for iv in argo_intervals(e)]
    assert merged(deny) == relsite_freezes(cfg) and merged(allow) == relsite_windows(cfg)


def test_argocd_windows_name_the_mapped_applications_and_allow_manual_sync_for_break_glass() -> None:
    entries = yaml.safe_load(export("argocd-sync-windows")[0])
    black_friday = [e for e in entries if "Black Friday" in e["description"]]
    assert black_friday and all(e["applications"] == ["shop-prod", "shop-worker-prod"] for e in black_friday)
    assert all(e["manualSync"] is True for e in black_friday)
    monthly = [e for e in entries if "Monthly close" in e["description"]]
    assert monthly and all(e["manualSync"] is False and e["applications"] == ["*"] for e in monthly)


def test_argocd_export_says_on_stderr_what_it_widened() -> None:
    _, err = export("argocd-sync-windows")
    assert "'Monthly close': services billing have no Argo CD application" in err
    assert "manualSync: true" in err


def test_gitlab_freeze_periods_expanded_by_croniter_equal_relsites_frozen_time() -> None:
    text, _ = export("gitlab-freeze-periods")
    periods = json.loads(text)
    got = []
    for p in periods:
        (start,) = fires(p["freeze_start"], p["cron_timezone"], SINCE)
        end = (
            croniter(p["freeze_end"], start.astimezone(ZoneInfo(p["cron_timezone"])))
            .get_next(dt.datetime)
            .astimezone(UTC)
        )
        got.append(Interval(start, end))
    cfg = portfolio().config
    windows = relsite_windows(cfg)
    outside, cursor = [], SINCE.astimezone(UTC)
    for w in windows:
        if w.start > cursor:
            outside.append(Interval(cursor, w.start))
        cursor = max(cursor, w.end)
    outside.append(Interval(cursor, UNTIL.astimezone(UTC)))
    assert merged(got) == merged(relsite_freezes(cfg, ("hard",)) + outside)


def test_gitlab_export_says_a_soft_freeze_and_break_glass_cannot_be_expressed() -> None:
    _, err = export("gitlab-freeze-periods")
    assert "'Leap day audit' is soft: GitLab freeze periods have no soft kind, so it is not exported" in err
    assert "GitLab has no break-glass" in err
    assert "applies to services shop" in err


# --- the published iCalendar file, expanded with recurring-ical-events --------------------------


def test_freezes_ics_expanded_by_recurring_ical_events_equals_relsites_intervals() -> None:
    cfg = portfolio().config
    cal = icalendar.Calendar.from_ical(freezes_ics(cfg, dt.datetime(2026, 11, 27, tzinfo=UTC)))
    found: dict[str, set[tuple[dt.datetime, dt.datetime]]] = {}
    for ev in recurring_ical_events.of(cal).between(SINCE, UNTIL):
        if ev["DTSTART"].dt == ev["DTEND"].dt:
            continue  # an occurrence the clock change leaves without duration is no time at all (relsite drops it)
        found.setdefault(str(ev["SUMMARY"]), set()).add(
            (ev["DTSTART"].dt.astimezone(UTC), ev["DTEND"].dt.astimezone(UTC))
        )
    expected: dict[str, set[tuple[dt.datetime, dt.datetime]]] = {}
    for f in cfg.freezes:
        expected[f"{f.kind.capitalize()} freeze: {f.name}"] = {
            (s.start, s.end) for s in occurrences(f, cfg.tz, SINCE, UNTIL)
        }
    for w in cfg.change_windows:
        expected[f"Change window: {w.name}"] = {(s.start, s.end) for s in occurrences(w, cfg.tz, SINCE, UNTIL)}
    assert found == {k: v for k, v in expected.items() if v}


def test_freezes_ics_has_one_vevent_per_freeze_with_its_rrule_exdate_and_vtimezone() -> None:
    cfg = portfolio().config
    cal = icalendar.Calendar.from_ical(freezes_ics(cfg, dt.datetime(2026, 11, 27, tzinfo=UTC)))
    events = cal.walk("VEVENT")
    assert len(events) == len(cfg.freezes) + len(cfg.change_windows)
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    monthly = next(e for e in events if "Monthly close" in str(e["SUMMARY"]))
    assert monthly["RRULE"]["FREQ"] == ["MONTHLY"] and monthly["RRULE"]["BYDAY"] == ["-1FR"]
    assert monthly["RRULE"]["UNTIL"][0] == dt.datetime(2027, 12, 31, 22, 59, 59, tzinfo=UTC)
    assert monthly["EXDATE"].dts[0].dt == dt.datetime(2027, 4, 30, 18, 0, tzinfo=BERLIN)


# --- relsite gate -------------------------------------------------------------------------------


def gate(*args: str, portal: str | None = None) -> tuple[int, dict[str, Any]]:
    source = ["--portal", portal] if portal else ["--releases", str(FIXTURE)]
    result = relsite("gate", *args, "--format", "json", *source)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("release", "at", "rule"),
    [
        ("REL-100", "2026-12-22T20:00", "freeze"),
        ("REL-100", "2026-12-05T10:00", "change-window"),
        ("REL-101", "2026-12-08T20:00", "promotion-order"),
        ("REL-103", "2026-12-10T20:00", "sign-off"),
        ("REL-101", "2026-12-08T20:00", "cab-review"),
        ("REL-101", "2026-12-08T20:00", "handover-ready"),
        ("REL-101", "2026-12-08T20:00", "dependencies"),
    ],
)
def test_gate_denies_with_the_reason_and_its_catalog_rule(release: str, at: str, rule: str) -> None:
    from relsite.validate.catalog import all_checks

    code, out = gate(release, "prod", "--at", at)
    assert code == 1 and out["decision"] == "deny"
    assert rule in [r["rule"] for r in out["reasons"]]
    assert {r["rule"] for r in out["reasons"]} <= {c.id for c in all_checks()}


def test_gate_names_the_freeze_and_when_it_ends_and_the_next_allowed_time() -> None:
    _, out = gate("REL-100", "prod", "--at", "2026-12-22T20:00")
    [reason] = out["reasons"]
    assert "'Year-end'" in reason["message"] and reason["until"] == "2027-01-03T23:00:00Z"
    assert out["next_allowed"] == "2027-01-05T19:00:00Z"  # the first Tuesday evening after the freeze


def test_gate_outside_change_windows_names_the_next_window() -> None:
    _, out = gate("REL-100", "prod", "--at", "2026-12-05T10:00")
    assert out["reasons"][0]["until"] == out["next_allowed"] == "2026-12-08T19:00:00Z"


def test_gate_allows_a_ready_release_inside_a_change_window() -> None:
    code, out = gate("REL-100", "prod", "--at", "2026-12-03T21:00", "--runway", "30m")
    assert (code, out["decision"], out["reasons"]) == (0, "allow", [])


def test_gate_denies_a_runway_that_crosses_into_a_freeze() -> None:
    code, out = gate("REL-100", "prod", "--at", "2026-12-03T21:00", "--runway", "90m")
    assert code == 1
    assert out["reasons"][0]["rule"] == "freeze" and "would run into" in out["reasons"][0]["message"]
    assert out["next_allowed"] == "2026-12-08T19:00:00Z"


def test_gate_lets_break_glass_through_and_names_the_approval() -> None:
    code, out = gate("REL-102", "prod", "--at", "2026-12-22T20:00")
    assert (code, out["decision"]) == (0, "allow")
    assert "break-glass" in out["reasons"][0]["message"] and "Dana Lee (ECAB)" in out["reasons"][0]["message"]


def test_gate_exits_2_for_an_unknown_release() -> None:
    result = relsite("gate", "REL-999", "prod", "--releases", str(FIXTURE))
    assert result.exit_code == 2


def test_gate_denies_when_the_portfolio_has_errors(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "releases")
    (tmp_path / "releases" / "REL-100.yaml").write_text("id: REL-100\n", encoding="utf-8")
    result = relsite("gate", "REL-100", "prod", "--releases", str(tmp_path / "releases"))
    assert result.exit_code == 1 and result.stdout.startswith("deny:")


# --- the built site: published schedule, month grid, --portal ----------------------------------


@pytest.fixture(scope="module")
def schedule_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("schedule"), FIXTURE)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def served_schedule(schedule_site: Path) -> Iterator[str]:
    server, url = serve(schedule_site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_freezes_json_lists_twelve_months_of_intervals_and_matches_its_schema(schedule_site: Path) -> None:
    doc = json.loads((schedule_site / "api/v1/freezes.json").read_text())
    jsonschema.validate(doc, json.loads((schedule_site / "api/v1/freezes.schema.json").read_text()))
    assert doc["generated_at"] == "2026-11-27T00:00:00+00:00"
    cfg = portfolio().config
    for item, published in zip(
        [*cfg.freezes, *cfg.change_windows], [*doc["freezes"], *doc["change_windows"]], strict=True
    ):
        assert [(iv["start"], iv["end"]) for iv in published["intervals"]] == [
            (s.start.isoformat(), s.end.isoformat()) for s in occurrences(item, cfg.tz, SINCE, UNTIL)
        ]


def test_the_month_grid_and_agenda_show_change_windows(schedule_site: Path) -> None:
    month = soup(schedule_site / "calendar/2026-12/index.html")
    assert any("Production evenings" in e.get_text() for e in month.select(".rs-ev-change"))
    agenda = soup(schedule_site / "calendar/agenda/index.html")
    assert agenda.select(".rs-ev-change")
    assert month.select_one('a[href$="calendar/freezes.ics"]') is not None


@pytest.mark.parametrize(
    ("release", "at", "runway"),
    [
        ("REL-100", "2026-12-22T20:00", "0m"),
        ("REL-100", "2026-12-03T21:00", "90m"),
        ("REL-101", "2026-12-08T20:00", "0m"),
        ("REL-102", "2026-12-22T20:00", "0m"),
        ("REL-103", "2026-12-10T20:00", "0m"),
        ("REL-100", "2026-12-03T21:00", "30m"),
    ],
)
def test_gate_against_a_served_portal_decides_as_from_the_files(
    served_schedule: str, release: str, at: str, runway: str
) -> None:
    args = (release, "prod", "--at", at, "--runway", runway)
    assert gate(*args, portal=served_schedule) == gate(*args)


def test_the_gate_reads_the_documents_the_plan_publishes() -> None:
    from relsite.plan import urls
    from relsite.validate.published import API_FILES

    assert (urls.api("releases.json"), urls.api("environments.json"), urls.FREEZES_JSON) == API_FILES


def test_gate_exits_2_when_the_portal_cannot_be_read(served_schedule: str) -> None:
    result = relsite("gate", "REL-100", "prod", "--portal", served_schedule + "nothing-here/")
    assert result.exit_code == 2 and "cannot read" in result.stderr


# --- untrusted text stays data ------------------------------------------------------------------

HOSTILE = 'Evil\n::error::pwned\nBEGIN:VEVENT\n- kind: allow\n"}]<script>'


@pytest.fixture
def hostile_releases(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "releases"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "portfolio.yaml").read_text()
    text = text.replace(
        "  - name: Black Friday night\n", f"  - name: {json.dumps(HOSTILE)}\n    ticket: {json.dumps(HOSTILE)}\n"
    )
    text = text.replace("    reason: Trading peak and holidays.\n", f"    reason: {json.dumps(HOSTILE)}\n")
    (folder / "portfolio.yaml").write_text(text)
    return folder


def _starts_with_data(line: str) -> bool:
    return any(
        line.lstrip(" ").startswith(part) for part in ("::", "BEGIN:VEVENT\\", "- kind: allow\n", '"}]', "<script")
    )


def test_hostile_freeze_names_stay_data_in_every_export(hostile_releases: Path) -> None:
    argo = relsite("export", "argocd-sync-windows", "--at", SINCE.isoformat(), "--releases", str(hostile_releases))
    entries = yaml.safe_load(argo.stdout)
    assert any(e["description"] == f"relsite freeze: {HOSTILE} ({HOSTILE})" for e in entries)
    assert all(re.match(r"^(- kind: |  [a-zA-Z]+:|    - \")", line) for line in argo.stdout.splitlines())
    assert not any(_starts_with_data(line) for line in argo.stderr.splitlines())
    gitlab = relsite("export", "gitlab-freeze-periods", "--at", SINCE.isoformat(), "--releases", str(hostile_releases))
    assert json.loads(gitlab.stdout) and all(line.startswith("relsite: note: ") for line in gitlab.stderr.splitlines())


def test_hostile_freeze_names_stay_data_in_the_calendar_and_the_gate(hostile_releases: Path) -> None:
    result = check_folder(hostile_releases)
    assert result.portfolio is not None and not result.errors
    ics = freezes_ics(result.portfolio.config, dt.datetime(2026, 11, 27, tzinfo=UTC)).decode()
    lines = ics.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == len(result.portfolio.config.freezes) + len(
        result.portfolio.config.change_windows
    )
    assert all(line == "" or line.startswith(" ") or re.match(r"^[A-Z-]+[:;]", line) for line in lines)
    assert not any(line.startswith(("::", "- kind")) for line in lines)
    summaries = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    assert f"Hard freeze: {HOSTILE}" in summaries
    text = relsite(
        "gate", "REL-100", "prod", "--at", "2026-12-03T21:00", "--runway", "90m", "--releases", str(hostile_releases)
    )
    assert text.exit_code == 1
    assert all(re.match(r"^(deny: |allow: |  [a-z.-]+: |next allowed: )", line) for line in text.stdout.splitlines())
    assert "::error::" in text.stdout and "\\u000a::error::" in text.stdout


# --- the guide ----------------------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parent.parent / "content" / "guides" / "change-schedule.md"


@pytest.mark.slow
def test_the_guides_github_workflow_passes_the_actions_security_audit(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = GUIDE.read_text(encoding="utf-8")
    workflow = text.split("### GitHub Actions", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "${{ inputs.release }}" in workflow and 'run: relsite gate "$RELEASE"' in workflow
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "deploy.yml").write_text(workflow, encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "zizmor"), "--offline", "--persona=auditor", str(folder / "deploy.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ["calendar/2026-12/", "calendar/agenda/"])
def test_change_windows_on_the_calendar_raise_no_serious_accessibility_violation(
    page: Any, served_schedule: str, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(served_schedule + path)
    assert page.locator(".rs-ev-change").count() > 0
    violations = Axe().run(page).response["violations"]
    assert [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")
    ] == []
