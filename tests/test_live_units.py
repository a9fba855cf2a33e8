"""The live preview's small parts without a site: what a change is, and what is added to a served page."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from relsite.publish import live_delta
from relsite.publish.live_server import EVENTS, OVERLAY_ID, LiveStatus, Snapshot, inject, make_server, resolve
from relsite.publish.live_watch import Change, Watcher, compare, listing, release_edits, snapshot

RELEASES = Path("/p/releases")


def _edited(*names: str) -> Change:
    return Change(frozenset(str(RELEASES / n) for n in names), frozenset(), frozenset())


def test_an_edit_of_release_files_only_is_a_release_edit() -> None:
    assert release_edits(_edited("REL-1.yaml", "2026/REL-2.yml"), RELEASES) == [
        RELEASES / "2026/REL-2.yml",
        RELEASES / "REL-1.yaml",
    ]


def test_an_edit_of_portfolio_yaml_needs_a_full_build() -> None:
    assert release_edits(_edited("REL-1.yaml", "portfolio.yaml"), RELEASES) is None


def test_an_edit_of_the_secrets_allowlist_needs_a_full_build() -> None:
    assert release_edits(_edited(".secrets-allowlist"), RELEASES) is None


def test_a_release_file_added_needs_a_full_build() -> None:
    assert release_edits(Change(frozenset(), frozenset({str(RELEASES / "REL-3.yaml")}), frozenset()), RELEASES) is None


def test_an_edit_outside_the_releases_folder_needs_a_full_build() -> None:
    assert release_edits(Change(frozenset({"/p/content/index.md"}), frozenset(), frozenset()), RELEASES) is None


def test_a_snapshot_sees_an_edit_and_ignores_an_editors_swap_file(tmp_path: Path) -> None:
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\n")
    before = snapshot([tmp_path])
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\ntitle: longer\n")
    (tmp_path / ".REL-1.yaml.swp").write_text("x")
    assert compare(before, snapshot([tmp_path])) == Change(
        frozenset({str(tmp_path / "REL-1.yaml")}), frozenset(), frozenset()
    )


def test_a_served_page_gets_the_script_before_its_body_ends() -> None:
    page = inject(b"<html><body><p>x</p></body></html>", Snapshot(1, 1, (), None)).decode()
    assert page.endswith("</script></body></html>") and EVENTS in page and OVERLAY_ID not in page.split("<script")[0]


def test_problems_are_shown_escaped_in_the_overlay_and_in_the_script() -> None:
    page = inject(
        b"<body></body>", Snapshot(2, 1, ("x.yaml:1:1: error: <img src=x onerror=alert(1)></script>",), None)
    ).decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page and page.count("</script>") == 1


def test_a_path_that_climbs_out_of_the_site_names_nothing(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    assert resolve(tmp_path / "site", "/", "/../secret.txt") == ("missing", None)
    assert resolve(tmp_path / "site", "/", "/%2e%2e/secret.txt") == ("missing", None)


def test_a_path_too_long_for_the_file_system_names_nothing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("home")
    assert resolve(tmp_path, "/", "/" + "a" * 300) == ("missing", None)


def test_an_absolute_form_request_is_read_by_its_path_alone(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("home")
    assert resolve(tmp_path, "/", "http://[x/index.html") == ("file", tmp_path / "index.html")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A live server over a folder with a page and a subfolder, on loopback."""
    (tmp_path / "index.html").write_text("<html><body>home</body></html>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index.html").write_text("<html><body>assets</body></html>")
    status = LiveStatus()
    status.built(tmp_path)
    server = make_server("127.0.0.1", 0, status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _raw(address: str, request: bytes) -> bytes:
    host, _, port = address.partition(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        return conn.recv(65536)


def test_a_request_naming_another_host_is_refused_on_loopback(served: str) -> None:
    answer = _raw(served, b"GET /.relsite/live/status HTTP/1.1\r\nHost: attacker.example\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403")


def test_a_request_naming_localhost_is_answered(served: str) -> None:
    port = served.partition(":")[2]
    answer = _raw(served, f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 200")


def test_a_folder_redirect_never_points_at_another_host(served: str) -> None:
    answer = _raw(served, b"GET //evil.example/../assets HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    location = next(line for line in answer.split(b"\r\n") if line.lower().startswith(b"location:"))
    assert location == b"Location: /assets/"


def test_a_large_replaced_file_is_freed_after_the_write_and_the_new_one_served(tmp_path: Path) -> None:
    site, freed = tmp_path / "site", tmp_path / "freed"
    (site / "api").mkdir(parents=True)
    old = b"o" * live_delta.FREED_LATER
    (site / "api" / "big.json").write_bytes(old)
    kept = os.stat(site / "api" / "big.json").st_ino
    live_delta._write(site, {"api/big.json": b"new", "small.txt": b"s"}, freed)
    assert (site / "api" / "big.json").read_bytes() == b"new"
    assert (site / "small.txt").read_bytes() == b"s"
    assert os.stat(site / "api" / "big.json").st_ino != kept
    for _ in range(200):  # the thread unlinks the old file's second name
        if not any(freed.iterdir()):
            break
        time.sleep(0.01)
    assert list(freed.iterdir()) == []
    assert sorted(p.name for p in site.rglob("*")) == ["api", "big.json", "small.txt"]


def test_a_small_replaced_file_is_not_set_aside(tmp_path: Path) -> None:
    site, freed = tmp_path / "site", tmp_path / "freed"
    site.mkdir()
    (site / "page.html").write_bytes(b"old")
    live_delta._write(site, {"page.html": b"new"}, freed)
    assert (site / "page.html").read_bytes() == b"new"
    assert not freed.exists()


def test_a_listing_names_the_files_a_snapshot_stamps(tmp_path: Path) -> None:
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "REL-1.yaml").write_text("id: REL-1\n")
    (tmp_path / "2026" / ".REL-1.yaml.swp").write_text("")
    (tmp_path / "portfolio.yaml").write_text("name: x\n")
    (tmp_path / "linked").symlink_to(tmp_path / "2026", target_is_directory=True)
    assert (
        listing([tmp_path])
        == snapshot([tmp_path]).keys()
        == {
            str(tmp_path / "2026" / "REL-1.yaml"),
            str(tmp_path / "portfolio.yaml"),
        }
    )


def test_a_file_written_again_while_a_change_settles_is_seen_again(tmp_path: Path) -> None:
    release = tmp_path / "REL-1.yaml"
    release.write_text("id: REL-1\n")
    watcher = Watcher([tmp_path])
    release.write_text("id: REL-1\ntitle: half\n")
    now = snapshot([tmp_path])
    release.write_text("id: REL-1\ntitle: half written, then whole\n")
    assert watcher._again(now) == snapshot([tmp_path]) != now


def test_a_file_added_while_a_change_settles_takes_a_whole_snapshot(tmp_path: Path) -> None:
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\n")
    watcher = Watcher([tmp_path])
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\ntitle: edited\n")
    now = snapshot([tmp_path])
    (tmp_path / "REL-2.yaml").write_text("id: REL-2\n")
    assert str(tmp_path / "REL-2.yaml") in watcher._again(now)


def test_a_settled_change_reads_as_itself(tmp_path: Path) -> None:
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\n")
    watcher = Watcher([tmp_path])
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\ntitle: edited\n")
    now = snapshot([tmp_path])
    assert watcher._again(now) == now
