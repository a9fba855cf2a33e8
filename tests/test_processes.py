"""Child processes relsite starts: a writer that dies fails the build within seconds, and the
engines' own serve and build commands behave for Zensical as for MkDocs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from relsite.plan.site import Asset
from relsite.publish.asset_writer import ForkedWriter, WriterFailed

from .conftest import PORTAL, TODAY, clean_env, make_project

pytestmark = pytest.mark.site


def _slow() -> bytes:
    time.sleep(60)
    return b""


def test_a_writer_that_dies_fails_the_build_within_seconds(tmp_path: Path) -> None:
    writer = ForkedWriter([Asset(path="slow.txt", render=_slow)], str(tmp_path), frozenset())
    os.kill(writer._process.pid, signal.SIGKILL)
    started = time.monotonic()
    with pytest.raises(WriterFailed, match="stopped without finishing"):
        writer.finish(timeout=60)  # the same message after the timeout: the time taken tells them apart
    assert time.monotonic() - started < 30


def _tick() -> bytes:
    time.sleep(0.1)
    return b"x"


def _engine(pids: object, out: str) -> None:
    """Stands in for the engine process: it forks the writer, then waits to be stopped."""
    writer = ForkedWriter([Asset(path=f"a{i}.txt", render=_tick) for i in range(600)], out, frozenset())
    pids.send(writer._process.pid)  # type: ignore[attr-defined]
    time.sleep(60)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the writer asks Linux to end it with its parent")
def test_the_writer_stops_when_the_engine_that_forked_it_is_terminated(tmp_path: Path) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    engine = ctx.Process(target=_engine, args=(send, str(tmp_path)))
    engine.start()
    writer = 0
    try:  # every wait bounded, and nothing forked here outlives the test (see tests/support/workers.py)
        assert receive.poll(60), "the engine did not start its writer"
        writer = receive.recv()
        assert _running(writer)
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGTERM)  # no exit handlers run, as when relsite stops mkdocs
        engine.join(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _running(writer):
            time.sleep(0.05)
        assert not _running(writer)
        written = len(list(tmp_path.iterdir()))
        time.sleep(0.5)
        assert len(list(tmp_path.iterdir())) == written < 600
    finally:
        if engine.is_alive():
            engine.kill()
        engine.join(30)
        if writer and _running(writer):
            os.kill(writer, signal.SIGKILL)


def test_a_writer_that_finishes_returns_its_findings(tmp_path: Path) -> None:
    writer = ForkedWriter([Asset(path="ok.txt", render=lambda: b"fine")], str(tmp_path), frozenset())
    assert writer.finish() == ({"ok.txt": 4}, [])  # the size it was scanned in, and no findings
    assert (tmp_path / "ok.txt").read_bytes() == b"fine"


def test_zensical_refuses_to_finish_a_site_with_a_secret(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (project / "content" / "guides" / "reading.md").write_text("# Reading\n\nDeploy key: " + "ghp_" + "d" * 36 + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "relsite", "build", "--today", TODAY, "--engine", "zensical"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert result.returncode == 1 and "a GitHub token" in result.stderr and "d" * 36 not in result.stderr
    assert not (project / "site").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_zensical_shows_release_pages_and_follows_a_changed_release(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "--engine", "zensical", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/releases/REL-2026-014/"

    def fetch() -> str:
        return _fetch(url)

    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and "Payments gateway 4.2" not in fetch():
            time.sleep(0.5)
        assert "Payments gateway 4.2" in fetch()
        release = project / "releases" / "REL-2026-014.yaml"
        release.write_text(
            release.read_text().replace("title: Payments gateway 4.2", "title: Payments gateway 4.2 renamed")
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and "4.2 renamed" not in fetch():
            time.sleep(0.5)
        assert "4.2 renamed" in fetch()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert not [p.name for p in project.iterdir() if p.name.startswith(".relsite")]


def test_two_zensical_builds_at_once_into_different_folders_each_publish_their_own_whole_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    days = {"a/site": "2026-11-27", "b/site": "2026-11-28", "c/site": "2026-11-29"}  # apart: no lock shared
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "relsite", "build", "--today", day, "--engine", "zensical", "--site-dir", name],
            cwd=project,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, day in days.items()
    }
    errors = {name: proc.communicate(timeout=300)[1] for name, proc in procs.items()}
    for name, day in days.items():
        assert procs[name].returncode == 0, errors[name]
        for page in ("index.html", "releases/index.html", "releases/REL-2026-014/index.html"):
            assert f'data-rs-built="{day}"' in (project / name / page).read_text(), (name, page)
    assert not [p.name for p in project.iterdir() if p.name.startswith(".relsite")]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return str(resp.read().decode())
    except urllib.error.HTTPError as exc:  # not built yet: the error holds the open response
        exc.close()
        return ""
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _fetch(url):
            return True
        time.sleep(0.5)
    return False


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_keeps_rebuilding_after_the_releases_folder_is_removed_and_restored(tmp_path: Path, engine: str) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (tmp_path / "tmp").mkdir()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "--engine", engine, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=clean_env(TMPDIR=str(tmp_path / "tmp")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/releases/REL-2026-014/"
    try:
        assert _wait_for(url, "Payments gateway 4.2")
        releases = project / "releases"
        releases.rename(tmp_path / "away")
        time.sleep(3)  # the server notices the folder is gone (and says so) before it comes back
        (tmp_path / "away").rename(releases)
        release = releases / "REL-2026-014.yaml"
        release.write_text(
            release.read_text().replace("title: Payments gateway 4.2", "title: Payments gateway 4.2 restored")
        )
        assert _wait_for(url, "4.2 restored")
        release.write_text(release.read_text().replace("4.2 restored", "4.2 edited after"))
        assert _wait_for(url, "4.2 edited after")
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        proc.wait(timeout=30)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not [p.name for p in project.iterdir() if p.name.startswith(".relsite")]


def _serve_in_background(project: Path, port: int, tmp: Path) -> subprocess.Popen[bytes]:
    """`relsite serve` as a script's background job starts it: with SIGINT ignored."""
    return subprocess.Popen(
        [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=clean_env(TMPDIR=str(tmp)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509
    )


def _port_free(port: int, seconds: float) -> bool:
    """Nothing listens on the port any more (connections refused)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="the server is asked to end with relsite on Linux")
def test_serve_started_in_the_background_stops_on_sigterm_within_seconds_and_leaves_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (tmp_path / "tmp").mkdir()
    port = _free_port()
    proc = _serve_in_background(project, port, tmp_path / "tmp")
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/releases/", "REL-2026-014")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # to relsite alone, as a service manager or `kill PID` does
        proc.wait(timeout=30)
        assert time.monotonic() - started < 8
    finally:
        proc.kill()
    assert _port_free(port, 5)
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="the server is asked to end with relsite on Linux")
def test_serve_killed_leaves_no_server_holding_the_port(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    (tmp_path / "tmp").mkdir()
    port = _free_port()
    proc = _serve_in_background(project, port, tmp_path / "tmp")
    server = None
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/releases/", "REL-2026-014")
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        server = int(children[0]) if children else None  # MkDocs is served in relsite's own process
        proc.kill()
        proc.wait(timeout=30)
        assert _port_free(port, 5)
    finally:
        proc.kill()
        if server is not None and _running(server):
            os.kill(server, signal.SIGKILL)  # so that a failure here leaves no server behind either


def _port_a_server_just_closed() -> int:
    """A port whose server answered a request and stopped: its side of the connection waits in
    TIME_WAIT for a minute, as after stopping `relsite serve` and reading a page from it."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server and the engines bind
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = int(listener.getsockname()[1])
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = listener.accept()
            accepted.close()  # the server closes first
            time.sleep(0.1)
    return port


def test_serve_starts_again_at_once_on_the_port_of_a_server_that_just_stopped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", PORTAL)
    port = _port_a_server_just_closed()
    proc = subprocess.Popen(
        [sys.executable, "-m", "relsite", "serve", "--today", TODAY, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while (
            proc.poll() is None
            and time.monotonic() < deadline
            and "REL-2026-014" not in _fetch(f"http://127.0.0.1:{port}/releases/")
        ):
            time.sleep(0.5)
        assert proc.poll() is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        _, errors = proc.communicate(timeout=30)
    assert b"already in use" not in errors
