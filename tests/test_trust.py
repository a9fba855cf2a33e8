"""Trust: credentials are never published, and hostile input is refused within bounded time and memory."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CASES, PORTAL, build, clean_env, copy_case, make_project, relsite

pytestmark = pytest.mark.site

SECRETS = [
    "AKIA" + "IOSFODNN7EXAMPLE",
    "S3cretPass",
    "ghp_" + "a" * 36,
    "hunter2hunter2",
    "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "xoxb-" + "123456789012-abcdefghijkl",
]


def test_messages_never_show_a_secret_in_full(in_tmp: Path) -> None:
    copy_case("secrets-token-shapes", in_tmp)
    for fmt in ("text", "github", "json"):
        out = relsite("validate", "--format", fmt).output
        assert out.count("looks like") == 7
        for secret in SECRETS:
            assert secret not in out and secret[:8] not in out, (fmt, secret)


def test_secret_hash_reads_the_value_from_standard_input() -> None:
    from click.testing import CliRunner

    from relsite.cli import main

    result = CliRunner().invoke(main, ["secret-hash"], input="AKIA" + "IOSFODNN7EXAMPLE\n")
    assert result.exit_code == 0
    allowlist = (CASES / "secrets-allowlisted/releases/secrets-allowlist.yaml").read_text()
    assert result.output.splitlines()[0].split()[-1] in allowlist


def test_a_secret_that_reaches_the_built_site_stops_publication(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    assert build(project).returncode == 0
    (project / "site" / "marker.txt").write_text("previous")
    (project / "content" / "guides" / "policy.md").write_text("# Policy\n\nDeploy key: " + "ghp_" + "b" * 36 + "\n")
    result = build(project)
    assert result.returncode == 1
    assert "the built site contains what looks like credentials; it was not finished" in result.stderr
    assert (
        "content/guides/policy.md:3:13: error: this page contains what looks like a GitHub token "
        "(ghp_… (40 characters)); it is published in guides/policy/index.html"
    ) in result.stderr
    assert "b" * 36 not in result.stderr
    assert (project / "site" / "marker.txt").read_text() == "previous"


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_engines_own_build_command_refuses_to_finish_a_site_with_a_secret(tmp_path: Path, engine: str) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (project / "content" / "guides" / "reading.md").write_text("# Reading\n\nDeploy key: " + "ghp_" + "c" * 36 + "\n")
    result = subprocess.run(
        [sys.executable, "-m", engine, "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(RELSITE_TODAY="2026-11-27", NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )
    assert result.returncode == 1
    assert "content/guides/reading.md:3:13: error: this page contains what looks like a GitHub token" in result.stderr
    assert not (project / "site" / "guides" / "reading" / "index.html").exists()
    assert "c" * 36 not in result.stderr


# --- hostile input under resource limits ----------------------------------------------------------

LIMIT_BYTES = 512 * 1024 * 1024
LIMIT_SECONDS = 20


def _hostile(kind: str, releases: Path) -> str:
    base = (CASES / "valid-minimal/releases/REL-1.yaml").read_text()
    path = releases / "REL-1.yaml"
    if kind == "billion-laughs":
        lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
        path.write_text("\n".join(lines) + "\n")
        return "anchors (&a0) are not allowed"
    if kind == "deep-nesting":
        path.write_text("notes:\n  highlights: " + "[" * 100_000 + "]" * 100_000 + "\n")
        return "invalid YAML: exceeded maximum nesting depth"
    if kind == "50-mb-file":
        with path.open("wb") as fh:
            fh.write(base.encode())
            for _ in range(50):
                fh.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")
        return "the file is 52,429,"
    if kind == "10k-character-title":
        path.write_text(base.replace("title: Base release", "title: " + "T" * 10_000))
        return "title is 10,000 characters long; the limit is 200"
    if kind == "100k-list-items":
        path.write_text(base + "changes:\n" + "".join(f"- C{i}\n" for i in range(100_000)))
        return "changes has 100,000 entries; the limit is 200"
    raise AssertionError(kind)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def run_limited(cmd: list[str], cwd: Path) -> tuple[int, bytes, bytes, float, int]:
    """Run under the memory limit and a kill timer; report exit code, output, seconds and the child's own peak RSS."""
    import tempfile
    import threading

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=clean_env(), stdout=out, stderr=err, preexec_fn=_limited)  # noqa: PLW1509 - no threads yet
        timer = threading.Timer(LIMIT_SECONDS, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss * 1024


HOSTILE = ["billion-laughs", "deep-nesting", "50-mb-file", "10k-character-title", "100k-list-items"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_fails_cleanly_within_limits(kind: str, tmp_path: Path) -> None:
    releases = copy_case("valid-minimal", tmp_path)
    expected = _hostile(kind, releases)
    code, out, err, seconds, peak = run_limited(
        [sys.executable, "-m", "relsite", "validate", "--format", "json", "releases"], tmp_path
    )
    assert code == 1, (code, err.decode()[-2000:])
    assert b"Traceback" not in err and b"MemoryError" not in err
    problems = json.loads(out)["problems"]
    assert any(expected in p["message"] for p in problems), problems
    assert all(p["file"] == "releases/REL-1.yaml" and p["line"] >= 1 for p in problems)
    assert seconds < LIMIT_SECONDS and peak < LIMIT_BYTES
    if os.environ.get("RELSITE_REPORT_HOSTILE"):
        with open(os.environ["RELSITE_REPORT_HOSTILE"], "a") as fh:
            fh.write(f"{kind}: {seconds:.2f} s, peak {peak / 2**20:.0f} MiB\n")
