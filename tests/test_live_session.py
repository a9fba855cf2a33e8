"""`relsite serve`'s live session (publish/live_session.py, live_server.py): a saved change is served,
a broken save shows its problems over the last good site and the next good save recovers, and what
is served carries the reload script while the files on disk are those a build writes."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from types import SimpleNamespace

import pytest

from relsite.publish.live_server import EVENTS, HEADLINE, OVERLAY_ID
from tests.support.live import Live, live

__all__ = ["live"]

pytestmark = pytest.mark.site

TITLE = "title: Payments gateway 4.2"
PAGE = "releases/REL-2026-014/"


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        (TITLE, "title: Payments gateway 4.3 preview", "Payments gateway 4.3 preview"),
        ("status: in_test", "status: on_hold", 'on_hold">on hold'),
        (
            "2026-12-02T21:00:00Z, end: 2026-12-02T23:00:00Z",
            "2027-01-12T21:00:00Z, end: 2027-01-12T23:00:00Z",
            "12 Jan 2027",
        ),
    ],
    ids=["title", "status", "date"],
)
def test_a_saved_release_edit_is_served_on_the_release_page(live: Live, old: str, new: str, shown: str) -> None:
    assert shown not in live.get(PAGE)
    live.save("REL-2026-014", old, new)
    assert shown in live.get(PAGE)


def test_a_save_bumps_the_build_number_the_reload_script_watches(live: Live) -> None:
    before = live.status()["build"]
    live.save("REL-2026-014", TITLE, "title: Payments gateway 4.2.1")
    assert live.status() == {"build": before + 1, "state": "ok", "problems": [], "incremental": True}  # type: ignore[operator]


def test_a_yaml_error_keeps_the_last_good_page_and_shows_the_problem_over_it(live: Live) -> None:
    live.save("REL-2026-014", TITLE, "title: [Payments gateway 4.2")
    page = live.get(PAGE)
    assert "Payments gateway 4.2" in page and OVERLAY_ID in page and HEADLINE in page
    assert "releases/REL-2026-014.yaml:4:8:" in page and ": error: " in page


def test_a_yaml_error_is_reported_in_the_status_with_its_position(live: Live) -> None:
    live.save("REL-2026-014", TITLE, "title: [Payments gateway 4.2")
    problems = live.status()["problems"]
    assert isinstance(problems, list) and problems[0].startswith("releases/REL-2026-014.yaml:4:8:")


def test_the_next_good_save_removes_the_problems_and_serves_the_new_page(live: Live) -> None:
    live.save("REL-2026-014", TITLE, "title: [Payments gateway 4.2")
    live.save("REL-2026-014", "title: [Payments gateway 4.2", "title: Payments gateway 4.2 fixed")
    page = live.get(PAGE)
    assert "Payments gateway 4.2 fixed" in page and f'<div id="{OVERLAY_ID}"' not in page
    assert live.status()["problems"] == []


def test_the_served_page_has_the_reload_script_and_the_file_on_disk_does_not(live: Live) -> None:
    assert live.session.site_dir is not None
    on_disk = (live.session.site_dir / PAGE / "index.html").read_text(encoding="utf-8")
    served = live.get(PAGE)
    assert EVENTS in served and EVENTS not in on_disk
    assert (
        served.replace(
            served[
                served.index('<script id="relsite-live">') : served.index(
                    "</script>", served.index('<script id="relsite-live">')
                )
                + len("</script>")
            ],
            "",
        )
        == on_disk
    )


def test_a_build_that_raises_is_shown_and_the_last_good_site_stays(live: Live) -> None:
    def boom(config: object) -> None:
        raise RuntimeError("the engine fell over")

    live.session._modules = {**live.session._modules, "build": SimpleNamespace(build=boom)}
    home = live.project / "content" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")  # a page: a full build
    assert live.session.refresh()
    assert "the engine fell over" in live.get(PAGE) and "Payments gateway 4.2" in live.get(PAGE)


def test_the_event_stream_sends_the_state_and_then_each_new_build(live: Live) -> None:
    lines: list[str] = []

    def listen() -> None:
        with urllib.request.urlopen(live.url + EVENTS.lstrip("/"), timeout=30) as stream:  # loopback
            for raw in stream:
                if raw.startswith(b"data: "):
                    lines.append(raw.decode().strip())
                if len(lines) == 2:
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(0.5)
    live.save("REL-2026-014", TITLE, "title: Payments gateway 4.2.3")
    listener.join(timeout=30)
    state = ', "state": "ok", "problems": [], "incremental": true}'
    assert lines == ['data: {"build": 1' + state, 'data: {"build": 2' + state]


def test_a_folder_url_without_its_slash_redirects_and_a_missing_page_is_a_404(live: Live) -> None:
    assert "Payments gateway 4.2" in live.get(PAGE.rstrip("/"))
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(live.url + "no/such/page/", timeout=10)  # loopback
    assert missing.value.code == 404


def test_a_path_that_climbs_out_of_the_site_is_not_served(live: Live) -> None:
    with socket.create_connection(("127.0.0.1", live.server.server_address[1])) as s:
        s.sendall(b"GET /../../mkdocs.yml HTTP/1.0\r\n\r\n")
        answer = s.recv(65536)
    assert b" 404 " in answer.split(b"\r\n")[0] and b"site_name" not in answer


def test_closing_the_session_removes_its_temporary_folder(live: Live) -> None:
    live.session.close()
    assert not live.session.workdir.exists()
