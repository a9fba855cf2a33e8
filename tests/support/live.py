"""A `relsite serve` session run inside the test process: the session builds and refreshes when the
test says (``refresh``), its HTTP server answers on a free loopback port in a thread."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from relsite.publish.live_server import STATUS, LiveServer, make_server
from relsite.publish.live_session import LiveSession
from tests.support.projects import PORTAL, TODAY, make_project


@dataclass
class Live:
    project: Path
    session: LiveSession
    server: LiveServer
    url: str
    """The site's root URL, ending in a slash."""

    def get(self, path: str) -> str:
        """The body of ``path`` as served (404 and other errors too)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:  # loopback
                return str(r.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            return str(exc.read().decode("utf-8"))

    def status(self) -> dict[str, object]:
        return dict(json.loads(self.get(STATUS.lstrip("/"))))

    def edit(self, release: str, old: str, new: str) -> None:
        path = self.project / "releases" / f"{release}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def save(self, release: str, old: str, new: str) -> None:
        """Edit a release file and let the session act on it, as a save while serving does."""
        self.edit(release, old, new)
        assert self.session.refresh()


def epoch(today: str) -> str:
    """SOURCE_DATE_EPOCH as the plugin sets it for ``today`` (kept out of the test process's environment)."""
    return str(int(dt.datetime.combine(dt.date.fromisoformat(today), dt.time(), dt.UTC).timestamp()))


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """The fixture portal, served by a live session as of TODAY."""
    project = make_project(tmp_path / "p", PORTAL)
    monkeypatch.chdir(project)
    monkeypatch.setenv("RELSITE_TODAY", TODAY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    (tmp_path / "work").mkdir()
    session = LiveSession(project / "mkdocs.yml", workdir=tmp_path / "work")
    session.start()
    server = make_server("127.0.0.1", 0, session.status, session.mount())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Live(project, session, server, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        session.close()
        server.shutdown()
        server.server_close()
