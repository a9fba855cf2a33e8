"""The live preview's HTTP side: a built site folder served as it is, plus a reload script.

The files on disk stay byte-identical to ``relsite build``: the script (and, while the release files
have errors, an overlay listing the problems) is added to HTML responses only, as they are served.
The script listens on a Server-Sent Events stream (``EVENTS``) and reloads the page when the build
number changes; it shows or hides the problems overlay when only the problems change. Nothing is
loaded from anywhere but this server.

Which folder is served, the build number and the problems live in one ``LiveStatus``, which the
session (``live_session.py``) updates and every request reads.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import os
import posixpath
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

EVENTS = "/.relsite/live/events"
STATUS = "/.relsite/live/status"
"""``{"build": N, "state": "ok" | "error", "problems": [...], "incremental": bool}``: what the event
stream sends, for scripts and benchmarks."""
OVERLAY_ID = "relsite-live-problems"
HEADLINE = "relsite serve: the site has problems; showing the last good build"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so that a closed tab's thread notices and ends."""

_STYLE = (
    "position:fixed;z-index:2147483647;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;"
    "padding:1em 1.5em;background:#fff3f3;color:#5c0000;border-top:3px solid #c00;font:14px/1.4 monospace;"
    "box-shadow:0 -2px 8px rgba(0,0,0,.2)"
)
_SCRIPT = """<script id="relsite-live">(function () {
  var state = %(state)s;
  function show(problems) {
    var box = document.getElementById("%(overlay)s");
    if (!problems.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "%(overlay)s";
      box.setAttribute("role", "alert");
      box.setAttribute("style", "%(style)s");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "%(headline)s";
    var list = document.createElement("pre");
    list.setAttribute("style", "white-space:pre-wrap;margin:.5em 0 0");
    list.textContent = problems.join("\\n");
    box.appendChild(head);
    box.appendChild(list);
  }
  var source = new EventSource("%(events)s");
  source.onmessage = function (event) {
    var now = JSON.parse(event.data);
    if (now.build !== state.build) { source.close(); location.reload(); return; }
    show(now.problems);
  };
})();</script>"""
_NO_SITE = (
    b'<!doctype html><html><head><meta charset="utf-8"><title>relsite serve</title></head><body>'
    b"<p>relsite serve: building the site; this page reloads when it is ready.</p></body></html>"
)


@dataclass(frozen=True)
class Snapshot:
    """One moment of the session: what is served and what is shown."""

    version: int
    """Changes with every update, so that an event stream knows when to speak."""
    build: int
    """Changes when the served site changed: the page reloads."""
    problems: tuple[str, ...]
    site_dir: Path | None
    incremental: bool = False
    """The next edit of a release file is published without a full build (set once that is prepared)."""

    def as_json(self) -> str:
        state = "error" if self.problems else "ok"
        return json.dumps(
            {"build": self.build, "state": state, "problems": list(self.problems), "incremental": self.incremental},
            ensure_ascii=True,
        )


class LiveStatus:
    """What the session publishes and the server reads, behind one condition variable."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._now = Snapshot(0, 0, (), None)
        self._stopped = False

    def now(self) -> Snapshot:
        with self._cond:
            return self._now

    def built(self, site_dir: Path | None = None) -> None:
        """A new site is served (``site_dir``, or the same folder rewritten in place); problems are gone."""
        with self._cond:
            old = self._now
            self._now = Snapshot(old.version + 1, old.build + 1, (), site_dir or old.site_dir, old.incremental)
            self._cond.notify_all()

    def prepared(self, incremental: bool) -> None:
        """Whether the next edit of a release is published without a full build (for scripts and benchmarks)."""
        with self._cond:
            old = self._now
            self._now = Snapshot(old.version + 1, old.build, old.problems, old.site_dir, incremental)
            self._cond.notify_all()

    def failed(self, problems: list[str]) -> None:
        """The last good site stays; ``problems`` are shown over it."""
        with self._cond:
            old = self._now
            self._now = Snapshot(old.version + 1, old.build, tuple(problems), old.site_dir, old.incremental)
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def changes(self, timeout: float = KEEPALIVE) -> Iterator[Snapshot | None]:
        """The current snapshot, then each new one (None after ``timeout`` of quiet), until stopped."""
        seen = -1
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda seen=seen: self._stopped or self._now.version != seen, timeout):  # type: ignore[misc]
                    now: Snapshot | None = None
                elif self._stopped:
                    return
                else:
                    now = self._now
                    seen = now.version
            yield now


def inject(page: bytes, now: Snapshot) -> bytes:
    """The page with the reload script (and the problems, escaped, when there are any) before ``</body>``."""
    script = _SCRIPT % {
        "state": now.as_json().replace("<", "\\u003c"),
        "overlay": OVERLAY_ID,
        "style": _STYLE,
        "headline": HEADLINE,
        "events": EVENTS,
    }
    overlay = ""
    if now.problems:
        overlay = (
            f'<div id="{OVERLAY_ID}" role="alert" style="{_STYLE}"><strong>{html.escape(HEADLINE)}</strong>'
            f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{html.escape(chr(10).join(now.problems))}</pre></div>'
        )
    added = (overlay + script).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + added if at < 0 else page[:at] + added + page[at:]


def resolve(site_dir: Path, mount: str, raw_path: str) -> tuple[str, Path | None]:
    """What a request path names: ("file", path), ("redirect", None) for a folder without its
    slash, or ("missing", None). Nothing outside ``site_dir`` is ever named."""
    path = unquote(_path_of(raw_path))
    if not path.startswith(mount):
        return "missing", None
    inner = path[len(mount) :]
    clean = posixpath.normpath("/" + inner).lstrip("/")
    if clean.startswith("..") or "\x00" in clean:
        return "missing", None
    target = site_dir / clean if clean not in ("", ".") else site_dir
    if os.path.isdir(target):  # os.path's answers swallow every OSError (a name too long, say): Path's do not
        if not path.endswith("/"):
            return "redirect", None
        target = target / "index.html"
    return ("file", target) if os.path.isfile(target) else ("missing", None)


def _path_of(raw_path: str) -> str:
    """The path of a request target (origin form, or absolute form whose host is ignored)."""
    path = raw_path.partition("?")[0].partition("#")[0]
    if "://" in path:  # absolute form (a proxy's way): the path after the authority
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    return path


def _clean(path: str) -> str:
    """A path fit for a Location header: normalised, no control characters, never ``//host``."""
    return "/" + quote(posixpath.normpath("/" + unquote(path)).lstrip("/"), safe="/-._~")


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class LiveHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD for a site folder, the event stream and the status (see the module's docstring)."""

    status: LiveStatus
    mount: str = "/"
    protocol_version = "HTTP/1.1"
    timeout = 60
    """Seconds a connection may stay silent (longer than the event stream's keep-alive): a client that
    never finishes its request or never reads does not keep its thread for good."""
    hosts: frozenset[str] = frozenset()
    """Host names the server answers to (loopback names when it listens on loopback: a page
    elsewhere that rebinds its own name to 127.0.0.1 gets nothing); empty: any."""

    def log_message(self, format: str, *args: object) -> None:  # the base class names it so
        pass

    def do_HEAD(self) -> None:  # http.server's naming
        if not self._host_allowed():
            self._send(403, "text/plain; charset=utf-8", b"", head=True)
            return
        self._answer(head=True)

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send(403, "text/plain; charset=utf-8", b"relsite serve answers to its own address only\n")
            return
        path = _path_of(self.path)
        if path == EVENTS:
            self._events()
        elif path == STATUS:
            self._send(200, "application/json", self.status.now().as_json().encode("ascii"))
        else:
            self._answer(head=False)

    def _answer(self, head: bool) -> None:
        now = self.status.now()
        if now.site_dir is None:
            self._send(404, "text/html; charset=utf-8", inject(_NO_SITE, now), head)
            return
        if _path_of(self.path) == "/" and self.mount != "/":
            self._redirect(self.mount)
            return
        kind, target = resolve(now.site_dir, self.mount, self.path)
        if kind == "redirect":
            self._redirect(_clean(_path_of(self.path)) + "/")
            return
        code = 200
        if target is None:
            code, target = 404, now.site_dir / "404.html"
        try:
            body = target.read_bytes()
        except OSError:  # a rebuild replaced the folder between the two steps, or there is no 404 page
            code, target, body = 404, Path("404.html"), _NO_SITE
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body, kind = inject(body, now), "text/html; charset=utf-8"
        self._send(code, kind, body, head)

    def _host_allowed(self) -> bool:
        if not self.hosts:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:  # HTTP/1.0 without one: not a browser, so not a page rebinding its name
            return True
        name = host[1:].partition("]")[0] if host.startswith("[") else host.rpartition(":")[0] if ":" in host else host
        return name in self.hosts

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, kind: str, body: bytes, head: bool = False) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for now in self.status.changes():
                self.wfile.write(b": idle\n\n" if now is None else f"data: {now.as_json()}\n\n".encode("ascii"))
                self.wfile.flush()
        except OSError:  # the tab was closed or reloaded
            return


class LiveServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # as MkDocs' server: a port whose last server just stopped is free

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A tab closed or reloaded mid-answer is no news; anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            print(
                f"relsite serve: a request from {client_address[0]} failed: {type(error).__name__}: {error}",
                file=sys.stderr,
                flush=True,
            )


def make_server(host: str, port: int, status: LiveStatus, mount: str = "/") -> LiveServer:
    """A server for ``status`` on ``host:port`` (not started; ``serve_forever`` in a thread)."""
    loopback = host.strip("[]") in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")
    handler = type(
        "BoundLiveHandler",
        (LiveHandler,),
        {
            "status": status,
            "mount": mount if mount.endswith("/") else mount + "/",
            "hosts": LOOPBACK_NAMES | {host.strip("[]").lower()} if loopback else frozenset(),
        },
    )
    family = LiveServer.address_family
    if ":" in host:
        import socket

        family = socket.AF_INET6
    server_class = type("FamilyLiveServer", (LiveServer,), {"address_family": family})
    return server_class((host, port), handler)
