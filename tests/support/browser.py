"""Debian's Chromium driven by Playwright (no browser download), and a built portal served on loopback."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A static server for ``folder`` on a free loopback port, in a thread; the caller shuts it down."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def served_portal(portal_site: Path) -> Iterator[str]:
    server, url = serve(portal_site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Missing Chromium is a failure, not a skip."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium); .ci/run does"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    pg = context.new_page()
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def sized(browser: Any) -> Iterator[Any]:
    """Pages at a chosen viewport: ``sized({"width": 390, "height": 844})``; their contexts close after the test."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for c in contexts:
        c.close()
