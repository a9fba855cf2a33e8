"""The secret gate (publish/secret_gate.py and validate/secrets.py): what relsite publishes from release
data is refused with any credential in it, however it was spelled; the host site's own pages are
judged by unmistakable formats only, against their Markdown source; placeholders are never findings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort

from relsite.publish.secret_gate import SecretGate, SecretsFound, visible_text
from relsite.validate.secrets import scan_text

from .conftest import CASES, PORTAL, build, clean_env, copy_case, free_port, make_project, relsite
from .test_plugin_in_process import load_config

TOKEN = "ghp_" + "Q7" * 18
RELEASE = (CASES / "valid-minimal" / "releases" / "REL-1.yaml").read_text()


def _with_summary(releases: Path, summary_line: str) -> None:
    (releases / "REL-1.yaml").write_text(RELEASE.replace("summary: A base release.", summary_line))


# --- the source scan reads decoded values ---------------------------------------------------------


@pytest.mark.parametrize(
    "summary_line",
    [
        r'summary: "Log in with pass\x77ord: hunter2hunter2"',
        r'summary: "Log in with pass\u0077ord: hunter2hunter2"',
        r'summary: "Deploy key \u0067hp_' + "Q7" * 18 + '"',
        r'summary: "Key \x41KIAIOSFODNN7EXAMPLE for uploads"',
        'summary: "Deploy key gh\\\n  p_' + "Q7" * 18 + '"',
    ],
    ids=[
        "hex-escape-in-word",
        "unicode-escape-in-word",
        "escape-in-token-prefix",
        "escape-in-aws-prefix",
        "escaped-line-break",
    ],
)
def test_a_secret_spelled_with_yaml_escapes_is_refused(in_tmp: Path, summary_line: str) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    _with_summary(releases, summary_line)
    result = relsite("validate")
    assert result.exit_code == 1, result.output
    assert "releases/REL-1.yaml:7:10: error: summary contains what looks like" in result.output


def test_a_secret_spelled_with_escapes_in_the_portfolio_is_refused(in_tmp: Path) -> None:
    releases = copy_case("valid-minimal", in_tmp)
    portfolio = releases / "portfolio.yaml"
    portfolio.write_text(
        portfolio.read_text().replace("name: Test Org", r'name: "Test Org \x41KIAIOSFODNN7EXAMPLE"', 1)
    )
    result = relsite("validate")
    assert result.exit_code == 1, result.output
    assert "releases/portfolio.yaml:1:7: error: name contains what looks like an AWS access key id" in result.output


def test_a_letter_that_only_matches_case_insensitively_is_still_seen() -> None:
    assert [f.kind for f in scan_text("\u017fecret: hunter2hunter2")] == ["a password"]


# --- placeholders ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://user:password@localhost/db",
        "http://username:password@localhost:8030",
        "https://deploy:S3cretPass@wiki.example.com/runbook",
        "https://deploy:S3cretPass@host.example.org/x",
        "ftp://a:S3cretPass@mirror.invalid/",
        "https://a:S3cretPass@ci.test/",
        "Authorization: token <token>",
        "password: ${DB_PASSWORD}",
        "password: changeme",
        "The default password `changeme` must be changed.",
        "(password: changeme)",
        "password: xxxxxxxx",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "AKIAXXXXXXXXXXXXXXXX",
        "https://admin:...@db.acme.internal/",
    ],
)
def test_an_obvious_placeholder_is_not_a_finding(text: str) -> None:
    assert list(scan_text(text)) == []


@pytest.mark.parametrize("text", [TOKEN, "https://deploy:Tr0ub4dor3@db.acme.internal/", "password: hunter2hunter2"])
def test_a_real_looking_value_next_to_the_placeholders_is_still_a_finding(text: str) -> None:
    assert len(list(scan_text(text))) == 1


# --- the output scan sees what Markdown renders ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<p><strong>pass</strong>word: hunter2hunter2</p>",
        "<p><code>pass</code>word: hunter2hunter2</p>",
        "<p>pass&#119;ord: hunter2hunter2</p>",
        '<p><a href="https://x.acme.internal/">pass</a>word: hunter2hunter2</p>',
        f"<p>gh<em>p_</em>{TOKEN[4:]}</p>",
        '<p><a href="https://deploy:Tr0ub4dor3&#64;db.acme.internal/">runbook</a></p>',
    ],
    ids=["emphasis", "code-span", "entity", "link", "emphasis-in-token", "entity-in-link"],
)
def test_markup_that_renders_to_a_secret_on_a_relsite_page_is_refused(body: str, tmp_path: Path) -> None:
    gate = SecretGate()
    gate.own(["releases/REL-1/index.html"])
    page = f"<html><body><article>{body}</article></body></html>"
    gate.scan_page("releases/REL-1/index.html", page, body=body)
    (tmp_path / "releases" / "REL-1").mkdir(parents=True)
    (tmp_path / "releases" / "REL-1" / "index.html").write_text(page)
    with pytest.raises(
        SecretsFound, match=r"releases/REL-1/index.html:1:\d+: error: the built site contains what looks like"
    ):
        gate.finish(tmp_path)


def test_visible_text_joins_inline_markup_as_a_reader_sees_it() -> None:
    assert visible_text("<strong>pass</strong>w&#111;rd") == "password"


@pytest.mark.site
def test_a_release_summary_whose_markdown_renders_a_password_fails_the_build(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _with_summary(foreign_site / "releases", 'summary: "Log in with **pass**word: hunter2hunter2"')
    with pytest.raises(Abort):
        mkdocs_build(load_config(foreign_site))
    assert "releases/REL-1/index.html:" in caplog.text and "looks like a password (h… (14 characters))" in caplog.text
    assert "hunter2hunter2" not in caplog.text


# --- hand-written files at generated paths --------------------------------------------------------


@pytest.mark.site
@pytest.mark.parametrize("path", ["feed.xml", "calendar/releases.ics", "api/v1/releases.json"])
def test_a_docs_file_at_a_generated_path_is_an_error_naming_both(
    foreign_site: Path, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    target = foreign_site / "docs" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("hand-written\n")
    with pytest.raises(Abort):
        mkdocs_build(load_config(foreign_site))
    assert f"docs/{path} clashes with a generated file: relsite also publishes {path}" in caplog.text


def test_a_generated_file_replaced_after_it_was_scanned_is_scanned_again(tmp_path: Path) -> None:
    gate = SecretGate()
    clean = b"BEGIN:VCALENDAR\nEND:VCALENDAR\n"
    gate.scan_asset("calendar/releases.ics", clean)
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "releases.ics").write_bytes(b"DESCRIPTION:key " + TOKEN.encode() + b"\n")
    with pytest.raises(SecretsFound, match=r"calendar/releases.ics:1:17: error: .* a GitHub token"):
        gate.finish(tmp_path)


# --- the host's own pages -------------------------------------------------------------------------

EXAMPLES = """# Proxies

Connect to the database with:

    postgresql://user:password@localhost/db

Behind a proxy, set `HTTP_PROXY=http://username:password@localhost:8030`.
"""

HEURISTIC = """# Runbook

The staging database is at https://deploy:Tr0ub4dor3@db.acme.internal/app.
"""


@pytest.mark.site
def test_documentation_examples_on_a_host_page_build_without_a_finding(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "proxies.md").write_text(EXAMPLES)
    mkdocs_build(load_config(foreign_site))
    assert (foreign_site / "public" / "proxies" / "index.html").exists()
    assert "looks like" not in caplog.text


@pytest.mark.site
def test_a_heuristic_finding_on_a_host_page_is_a_warning_naming_the_markdown_source(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "runbook.md").write_text(HEURISTIC)
    mkdocs_build(load_config(foreign_site))
    assert (foreign_site / "public" / "runbook" / "index.html").exists()
    assert (
        "docs/runbook.md:3:43: warning: this page contains what looks like a URL with a password (T… (10 characters)); "
        "it is published in runbook/index.html"
    ) in caplog.text
    assert "relsite secret-hash" in caplog.text and "site_pages" in caplog.text


@pytest.mark.site
def test_a_real_token_on_a_host_page_fails_the_build_naming_the_markdown_source(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "setup.md").write_text(f"# Setup\n\nexport GITHUB_TOKEN={TOKEN}\n")
    with pytest.raises(Abort):
        mkdocs_build(load_config(foreign_site))
    assert (
        "docs/setup.md:3:21: error: this page contains what looks like a GitHub token (ghp_… (40 characters))"
        in caplog.text
    )
    assert TOKEN[4:] not in caplog.text


def _plugins(site_pages: str) -> list[object]:
    return [
        "search",
        {"relsite": {"releases": "releases", "today": "2026-11-27", "secrets": {"site_pages": site_pages}}},
    ]


@pytest.mark.site
def test_site_pages_error_makes_a_heuristic_on_a_host_page_fail(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "runbook.md").write_text(HEURISTIC)
    with pytest.raises(Abort):
        mkdocs_build(load_config(foreign_site, plugins=_plugins("error")))
    assert "docs/runbook.md:3:43: error: this page contains what looks like a URL with a password" in caplog.text


@pytest.mark.site
def test_site_pages_warn_makes_a_token_on_a_host_page_a_warning(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "setup.md").write_text(f"# Setup\n\nexport GITHUB_TOKEN={TOKEN}\n")
    mkdocs_build(load_config(foreign_site, plugins=_plugins("warn")))
    assert (foreign_site / "public" / "setup" / "index.html").exists()
    assert "docs/setup.md:3:21: warning: this page contains what looks like a GitHub token" in caplog.text


@pytest.mark.site
def test_site_pages_off_leaves_host_pages_unjudged_but_not_release_data(
    foreign_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (foreign_site / "docs" / "setup.md").write_text(f"# Setup\n\nexport GITHUB_TOKEN={TOKEN}\n")
    mkdocs_build(load_config(foreign_site, plugins=_plugins("off")))
    assert "looks like" not in caplog.text
    _with_summary(foreign_site / "releases", 'summary: "Log in with **pass**word: hunter2hunter2"')
    with pytest.raises(Abort):
        mkdocs_build(load_config(foreign_site, plugins=_plugins("off")))


@pytest.mark.site
def test_relsite_build_of_a_site_with_documentation_examples_succeeds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (project / "content" / "guides" / "proxies.md").write_text(EXAMPLES + "\n" + HEURISTIC.split("\n", 1)[1])
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert (
        "content/guides/proxies.md:10:43: warning: this page contains what looks like a URL with a password"
        in result.stderr
    )
    assert (project / "site" / "guides" / "proxies" / "index.html").exists()


@pytest.mark.site
def test_mkdocs_serve_starts_on_a_site_with_a_heuristic_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", CASES / "valid-minimal" / "releases")
    (project / "content" / "guides" / "proxies.md").write_text(EXAMPLES + "\n" + HEURISTIC.split("\n", 1)[1])
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(RELSITE_TODAY="2026-11-27", NO_MKDOCS_2_WARNING="1"),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        served = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    served = True
                    break
            except OSError:
                time.sleep(0.5)
        assert served, "mkdocs serve did not start"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "proxies.md:10:43: warning:" in out


# --- the Zensical path uses the same gate -----------------------------------------------------------


@pytest.mark.site
def test_zensical_builds_judge_host_pages_by_their_markdown_source(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", CASES / "valid-minimal" / "releases")
    (project / "content" / "guides" / "proxies.md").write_text(EXAMPLES + "\n" + HEURISTIC.split("\n", 1)[1])
    result = build(project, "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    assert (
        "content/guides/proxies.md:10:43: warning: this page contains what looks like a URL with a password"
        in result.stderr
    )
    assert (project / "site" / "guides" / "proxies" / "index.html").exists()


@pytest.mark.site
def test_zensical_builds_refuse_a_docs_file_at_a_generated_path(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", CASES / "valid-minimal" / "releases")
    (project / "content" / "feed.xml").write_text("<feed/>\n")
    result = build(project, "--engine", "zensical")
    assert result.returncode == 1
    assert (
        "content/feed.xml:1:1: error: this file would be published at feed.xml, where relsite writes the Atom feed"
        in result.stderr
    )
