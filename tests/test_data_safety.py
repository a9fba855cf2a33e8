"""What a careless or hostile user cannot do to relsite: destroy what it did not make, hang it,
crash it, or smuggle control characters and markup through it. One class per section; the golden
cases under tests/cases/ (hostile-*, reserved-names, time-*, bounded-*) show the exact messages."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from relsite.load.reader import BAD_CHARS, load_text
from relsite.plan.change_summary import md_text
from relsite.problems import error, printable
from relsite.publish.output_folder import MARKER

from .conftest import CASES, PORTAL, TODAY, build, clean_env, commit_all, copy_case, make_project, relsite

pytestmark = pytest.mark.site

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
        if ".git" not in p.parts
    }


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", CASES / "valid-minimal" / "releases")


# --- 1. output folders --------------------------------------------------------------------------


@pytest.mark.parametrize("site_dir", ["releases", ".", "content", "content/site", "releases/site", ".."])
def test_a_site_folder_that_is_or_holds_the_project_or_its_sources_is_refused(
    small_project: Path, site_dir: str
) -> None:
    before = _fingerprint(small_project)
    result = build(small_project, "--site-dir", site_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "relsite: the site folder" in result.stderr and "Traceback" not in result.stderr
    assert _fingerprint(small_project) == before


def test_a_folder_of_someone_elses_files_is_never_replaced(small_project: Path, tmp_path: Path) -> None:
    documents = tmp_path / "my documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("five years of work")
    result = build(small_project, "--site-dir", str(documents))
    assert result.returncode == 2 and "not empty and was not built by relsite" in result.stderr
    assert [p.name for p in documents.iterdir()] == ["thesis.txt"]


def test_site_dir_in_mkdocs_yml_is_checked_by_mkdocs_build_too(small_project: Path) -> None:
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_dir: site", "site_dir: releases"))
    before = _fingerprint(small_project / "releases")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=small_project,
        capture_output=True,
        text=True,
        env=clean_env(RELSITE_TODAY=TODAY),
        timeout=300,
    )
    assert result.returncode != 0 and "is, or contains, the releases folder" in result.stderr
    assert _fingerprint(small_project / "releases") == before


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_site_dir_in_mkdocs_yml_is_checked_by_gh_deploy_too(small_project: Path, engine: str) -> None:
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_dir: site", "site_dir: releases"))
    before = _fingerprint(small_project / "releases")
    result = subprocess.run(
        [sys.executable, "-m", engine, "gh-deploy", "--remote-name", "no-such-remote"],
        cwd=small_project,
        capture_output=True,
        text=True,
        env=clean_env(RELSITE_TODAY=TODAY),
        timeout=300,
    )
    assert result.returncode != 0 and "is, or contains, the releases folder" in result.stderr
    assert _fingerprint(small_project / "releases") == before


def test_every_site_relsite_builds_carries_its_mark(small_project: Path) -> None:
    assert build(small_project).returncode == 0
    assert (small_project / "site" / MARKER).is_file()
    assert build(small_project).returncode == 0  # and so it may replace it next time


def test_leftovers_of_an_interrupted_build_are_cleaned_but_foreign_folders_are_not(small_project: Path) -> None:
    ours = small_project / ".site-building-abc123"
    ours.mkdir()
    (ours / ".relsite-building").write_text("")
    (ours / "half.html").write_text("half")
    theirs = small_project / ".site-building-notours"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("keep")
    assert build(small_project).returncode == 0
    assert not ours.exists() and (theirs / "keep.txt").read_text() == "keep"


def test_a_build_killed_while_swapping_gets_its_previous_site_back(small_project: Path) -> None:
    assert build(small_project).returncode == 0
    (small_project / "site").rename(small_project / ".site-previous")  # killed between the two renames
    assert build(small_project).returncode == 0
    assert (small_project / "site" / "index.html").is_file() and not (small_project / ".site-previous").exists()


@pytest.fixture(scope="module")
def built_a_day_later(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The fingerprint of the portal's site built as of the day after TODAY (what an interrupted build was writing)."""
    reference = make_project(tmp_path_factory.mktemp("reference"), PORTAL)
    assert build(reference, today="2026-11-28").returncode == 0
    return _fingerprint(reference / "site")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_build_leaves_a_whole_site_never_a_mix(
    tmp_path: Path, sig: signal.Signals, portal_site: Path, built_a_day_later: dict[str, str]
) -> None:
    newer = built_a_day_later
    project = tmp_path / "p"
    shutil.copytree(
        portal_site.parent, project, symlinks=True
    )  # the portal as built as of TODAY, in a folder of its own
    before = _fingerprint(project / "site")
    proc = subprocess.Popen(
        [sys.executable, "-m", "relsite", "build", "--today", "2026-11-28"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(project.glob(".site-building-*/*.html")):
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    after = _fingerprint(project / "site")
    assert after == before or after == newer  # interrupted: the old site; finished just in time: the new one
    assert build(project).returncode == 0  # the next build cleans whatever was left
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


def test_two_builds_into_one_folder_at_once_both_finish_with_a_whole_site(small_project: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "relsite", "build", "--today", TODAY],
            cwd=small_project,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0]
    assert (small_project / "site" / "releases" / "REL-1" / "index.html").is_file()
    assert sorted(p.name for p in small_project.iterdir() if p.name.startswith(".")) == []


def _plain_mkdocs_build(project: Path) -> None:
    """What a site had before relsite: the same mkdocs.yml without the plugin, built by MkDocs."""
    config = project / "mkdocs.yml"
    plain = project / "plain.yml"
    plain.write_text(config.read_text().replace("  - relsite:\n      releases: releases\n", ""))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    plain.unlink()


def test_relsite_build_writes_the_site_where_mkdocs_yml_says(small_project: Path) -> None:
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_dir: site", "site_dir: public"))
    result = build(small_project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "built public/\n"
    assert (small_project / "public" / "releases" / "REL-1" / "index.html").is_file() and not (
        small_project / "site"
    ).exists()


def test_a_config_in_another_folder_given_by_a_relative_path_builds_beside_that_config(small_project: Path) -> None:
    result = build(small_project.parent, "-f", f"{small_project.name}/mkdocs.yml")
    assert result.returncode == 0, result.stderr
    assert (small_project / "site" / "releases" / "REL-1" / "index.html").is_file()
    assert sorted(p.name for p in small_project.parent.iterdir()) == [small_project.name]


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_site_folder_honours_the_umask_as_mkdocs_build_does(small_project: Path, umask: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY],
        cwd=small_project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
        preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == 0, result.stderr
    assert (small_project / "site").stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_linked_site_folder_is_built_through_and_stays_a_link(small_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "www" / "portal"
    target.mkdir(parents=True)
    (small_project / "site").symlink_to(target)
    for _ in range(2):
        result = build(small_project)
        assert result.returncode == 0, result.stderr
        assert (small_project / "site").is_symlink() and (target / "releases" / "REL-1" / "index.html").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["portal"]


def test_a_site_folder_from_a_plain_mkdocs_build_is_kept_and_the_refusal_names_the_command(small_project: Path) -> None:
    _plain_mkdocs_build(small_project)
    before = _fingerprint(small_project / "site")
    result = build(small_project)
    assert result.returncode == 2 and "`relsite build --adopt-site-dir`" in result.stderr
    assert _fingerprint(small_project / "site") == before


def test_the_adopt_command_named_keeps_the_options_it_was_typed_with(small_project: Path) -> None:
    _plain_mkdocs_build(small_project.parent / small_project.name)
    (small_project / "site").rename(small_project / "my site")
    result = build(
        small_project.parent, "-f", f"{small_project.name}/mkdocs.yml", "--site-dir", f"{small_project.name}/my site"
    )
    assert result.returncode == 2
    assert (
        f"`relsite build -f {small_project.name}/mkdocs.yml --site-dir '{small_project.name}/my site' --adopt-site-dir`"
        in result.stderr
    )


def test_adopting_takes_over_a_plain_mkdocs_build_of_the_same_site(small_project: Path) -> None:
    _plain_mkdocs_build(small_project)
    result = build(small_project, "--adopt-site-dir")
    assert result.returncode == 0, result.stderr
    assert (small_project / "site" / MARKER).is_file() and (
        small_project / "site" / "releases" / "REL-1" / "index.html"
    ).is_file()
    assert build(small_project).returncode == 0  # from now on, an ordinary build


def test_adopting_refuses_a_folder_that_holds_anything_a_build_does_not_write(small_project: Path) -> None:
    _plain_mkdocs_build(small_project)
    (small_project / "site" / "thesis.txt").write_text("five years of work")
    before = _fingerprint(small_project / "site")
    result = build(small_project, "--adopt-site-dir")
    assert result.returncode == 2 and "(thesis.txt)" in result.stderr
    assert _fingerprint(small_project / "site") == before
    assert sorted(p.name for p in small_project.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("site_name: x\nplugins:\n  - relsite: {releases: [\n", "mkdocs.yml:4:1: error: not valid YAML"),
        ("site_name: x\n  nav: y\n", "mkdocs.yml:2:6: error: not valid YAML"),
        ("- site_name\n", "mkdocs.yml:1:1: error: a site's configuration is a mapping"),
        ("site_name: x\nsite_dir: [a, b]\n", "mkdocs.yml:2:11: error: site_dir must be a folder name"),
    ],
)
def test_an_unreadable_mkdocs_yml_is_one_line_with_its_position_and_exit_1(
    small_project: Path, text: str, where: str
) -> None:
    (small_project / "mkdocs.yml").write_text(text)
    for command in (["build"], ["serve", "-a", "127.0.0.1:0"]):
        result = subprocess.run(
            [sys.executable, "-m", "relsite", *command],
            cwd=small_project,
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(where) and result.stderr.count("\n") == 1, result.stderr


# --- 2. characters ------------------------------------------------------------------------------

REFUSED = st.characters(codec="utf-8", categories=["Cc", "Cf", "Cs", "Cn"]).filter(lambda c: bool(BAD_CHARS.match(c)))


@FAST
@given(REFUSED)
def test_a_refused_character_written_as_an_escape_is_refused_like_a_raw_one(ch: str) -> None:
    escape = f"\\U{ord(ch):08X}"
    doc, problems = load_text(f'title: "before{escape}after"\n', "releases/X.yaml")
    assert doc is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(1, 8, "load.characters")]


@FAST
@given(st.text())
def test_no_problem_message_prints_a_control_character(text: str) -> None:
    shown = error(text, 1, 1, f"bad value '{text}'", hint=text).format()
    assert not any(c in shown for c in "\x1b\x07\x08\r\u202e\u2066\x00")
    assert shown.count("\n") == (1 if text else 0)  # format() breaks before a hint; a line break in the data never does
    assert all(printable(line) == line for line in shown.split("\n"))


def test_escaped_characters_never_reach_the_feed_or_the_pages(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", CASES / "hostile-escaped-characters" / "releases")
    result = build(project)
    assert result.returncode == 1 and "U+202E" in result.stderr and "\x1b" not in result.stderr + result.stdout
    assert not (project / "site").exists()


# --- 3. files -----------------------------------------------------------------------------------


def test_only_regular_files_are_read_and_the_rest_is_still_checked(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    (releases / "REL-2.yaml").write_text("id: [\n")
    os.mkfifo(releases / "pipe.yaml")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(releases / "socket.yaml"))
        os.symlink("loop-b.yaml", releases / "loop-a.yaml")
        os.symlink("loop-a.yaml", releases / "loop-b.yaml")
        os.symlink("pipe.yaml", releases / "to-pipe.yaml")
        os.symlink("gone.yaml", releases / "dangling.yaml")
        started = time.monotonic()
        result = relsite("validate")
    assert time.monotonic() - started < 30
    out = result.output
    assert result.exit_code == 1 and "Traceback" not in out
    assert "releases/pipe.yaml:1:1: error: this is a named pipe (FIFO), not a regular file" in out
    assert "releases/to-pipe.yaml:1:1: error: this is a named pipe (FIFO), not a regular file" in out
    assert "releases/socket.yaml:1:1: error: this is a socket, not a regular file" in out
    assert "releases/loop-a.yaml:1:1: error: this link cannot be followed (the links form a loop)" in out
    assert "releases/dangling.yaml:1:1: error: this link cannot be followed" in out
    assert "releases/REL-2.yaml:2:1: error: invalid YAML" in out


# --- 4. time ------------------------------------------------------------------------------------


def _vevents(path: Path) -> list[Calendar]:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_html_json_and_icalendar_agree_on_each_instant_and_no_event_ends_before_it_starts(tmp_path: Path) -> None:
    import json

    project = make_project(tmp_path / "p", PORTAL)
    assert build(project).returncode == 0
    site = project / "site"
    data = json.loads((site / "api/v1/releases/REL-2026-014.json").read_text())
    prod = dt.datetime.fromisoformat(data["environments"]["prod"]["window"]["start"])
    events = {str(e["UID"]): e for e in _vevents(site / "releases/REL-2026-014/release.ics")}
    assert events["REL-2026-014.prod.window@relsite"].decoded("DTSTART") == prod.astimezone(dt.UTC)
    html = (site / "releases/REL-2026-014/index.html").read_text()
    local = prod.astimezone(dt.timezone(dt.timedelta(hours=1)))  # Europe/Berlin in December
    assert f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}" in html
    for event in _vevents(site / "calendar/releases.ics"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert end > start, event["UID"]


def test_a_window_across_the_night_the_clocks_go_back_keeps_its_real_length(tmp_path: Path) -> None:
    from relsite.validate.checker import check_folder

    releases = copy_case("valid-minimal", tmp_path)
    release = releases / "REL-1.yaml"
    release.write_text(
        release.read_text().replace(
            "start: 2026-12-03T20:00:00Z, end: 2026-12-03T21:00:00Z", "start: 2026-10-25T01:30, end: 2026-10-25T03:30"
        )
    )
    result = check_folder(releases)
    assert result.errors == [] and result.portfolio is not None
    window = result.portfolio.releases[0].environments["prod"].window
    assert window is not None
    assert window.end.astimezone(dt.UTC) - window.start.astimezone(dt.UTC) == dt.timedelta(hours=3)


# --- 5. names and paths -------------------------------------------------------------------------

FIXED = {
    "releases/index.md",
    "releases/unscheduled/index.md",
    "calendar/index.md",
    "calendar/agenda/index.md",
    "environments/index.md",
    "services/index.md",
    "calendar/releases.ics",
}


@FAST
@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True))
def test_no_release_id_that_validates_can_take_the_path_of_an_archive_or_a_fixed_page(rid: str) -> None:
    from relsite.validate.rules.one_release import _reserved_ids  # the rule itself, with a stand-in release

    class Stub:
        id = rid
        source = __import__("relsite.load.reader", fromlist=["SourceMap"]).SourceMap("x.yaml")

    refused = list(_reserved_ids(Stub, None))  # type: ignore[arg-type]
    paths = {f"releases/{rid}/index.md", f"releases/{rid}/handover.md"}
    year_like = rid.isdigit()
    assert bool(refused) == (year_like or rid.lower() == "unscheduled")
    if not refused:
        assert not paths & FIXED and not year_like


# --- 6. bounded work ----------------------------------------------------------------------------


def test_deeply_nested_text_is_refused_before_any_renderer_sees_it(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    release = releases / "REL-1.yaml"
    release.write_text(release.read_text() + 'notes:\n  highlights: ["' + ">" * 4000 + ' deep"]\n')
    result = relsite("validate")
    assert result.exit_code == 1 and "nests quotes or lists 4000 levels deep" in result.output


@pytest.mark.parametrize("today", ["1969-12-31", "2201-01-01", "9999-12-31"])
def test_a_date_to_build_for_outside_the_sane_range_is_refused(small_project: Path, today: str) -> None:
    result = build(small_project, today=today)
    assert result.returncode == 2 and "outside the years 1970 to 2200" in result.stderr


# --- 7. text written for other programs ---------------------------------------------------------


@FAST
@given(st.text())
def test_contributor_text_in_a_pull_request_comment_stays_inert(text: str) -> None:
    out = md_text(text)
    assert "\n" not in out and "<" not in out and "@" not in out
    assert all(out[i - 1] == "\\" for i, c in enumerate(out) if c in "*_`[]|~" and i > 0) and not (
        out and out[0] in "*_`[]|~"
    )


def test_a_base_revision_with_links_under_releases_is_reported_not_a_crash(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_case("valid-minimal", repo)
    os.symlink("/etc/passwd", repo / "releases" / "evil.yaml")
    commit_all(repo, "base")
    (repo / "releases" / "evil.yaml").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "diff", "HEAD"], cwd=repo, capture_output=True, text=True, env=clean_env()
    )
    assert result.returncode == 0, result.stderr
    assert "links under releases/ that were not read: releases/evil.yaml" in result.stdout


# --- 8. environment trouble ---------------------------------------------------------------------


def test_a_port_in_use_is_a_clear_message_and_exit_2(small_project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "-a", f"127.0.0.1:{port}"],
            cwd=small_project,
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=120,
        )
    assert result.returncode == 2, result.stderr
    assert "Address already in use" in result.stderr and "Traceback" not in result.stderr


def test_a_site_folder_that_cannot_be_written_is_a_clear_message_and_exit_2(small_project: Path) -> None:
    # /proc refuses new folders even to root, who may write anywhere else
    result = build(small_project, "--site-dir", "/proc/relsite-site")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("relsite: ") and "Traceback" not in result.stderr


def test_git_missing_is_a_clear_message_and_exit_2(tmp_path: Path) -> None:
    copy_case("valid-minimal", tmp_path)
    env = clean_env(PATH=str(tmp_path / "no-such-bin"))
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "diff", "HEAD"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 2 and "git is not installed" in result.stderr
