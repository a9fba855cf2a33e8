"""One `relsite serve` session for the plugin engines (MkDocs, ProperDocs): builds in this process,
serves the result itself, and after a saved change shows the new site in about the time the change
takes to publish, not the time a site takes to build.

Why not the engine's own ``serve``: it rebuilds the whole site on every change (9-12 s at 1,000
releases), and it can only say that a build failed in the terminal. Here:

- A full build is the engine's own ``build`` (``load_config`` and ``commands.build.build``, with the
  plugins started as ``serve`` starts them) into a fresh private folder, which replaces the served one
  only when it succeeded: a broken save leaves the last good site in the browser, with the problems
  shown over it (``live_server.py``). Its files are those ``relsite build`` writes, byte for byte
  (the served site is not given the server's address as its ``site_url``, and drafts stay out).
- A change that only edited release files is published from the plan's delta when the plan and the
  plugin can give one (``live_delta.py``); anything else, or any doubt, is a full build.
- Nothing that goes wrong in a rebuild ends the session: it is logged and shown in the browser.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from relsite.publish import live_delta
from relsite.publish.engines import relay
from relsite.publish.live_server import LiveServer, LiveStatus, make_server
from relsite.publish.live_watch import Change, Watcher, release_edits, snapshot
from relsite.publish.site_config import read_site_config

log = logging.getLogger("relsite.serve")


class _Relay(logging.Handler):
    """The engine's log during a build: shown on stderr as ``relsite build`` shows it, and its errors
    kept as the problems the browser shows."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001  # a log call with bad arguments must not end the session
            text = str(record.msg)
        lines = [line for line in text.splitlines() if line.strip()]
        if record.levelno >= logging.ERROR:
            self.errors += lines
        for i, line in enumerate(lines):  # as the engine's log shows it: the level on the first line only
            shown = relay(f"{record.levelname} - {line}" if i == 0 else line)
            if shown is not None:
                print(shown, file=sys.stderr, flush=True)


class LiveSession:
    """Build, watch and serve one project; ``start``, then ``refresh`` (or ``run``), then ``close``."""

    def __init__(self, config_file: Path, engine: str = "mkdocs", workdir: Path | None = None) -> None:
        self.config_file = Path(os.path.abspath(config_file))
        self.engine = engine
        conf = read_site_config(self.config_file)
        self.releases = conf.releases
        self.site_url = conf.site_url
        self.watched = [self.releases, self.config_file, conf.docs_dir]
        self.status = LiveStatus()
        self.workdir = Path(tempfile.mkdtemp(prefix="relsite-serve-", dir=workdir))
        self.builds = 0
        self.watcher: Watcher | None = None
        self.delta: live_delta.Incremental | None = None
        self._config: Any = None
        self._started = False
        self._modules = _engine_modules(engine)

    @property
    def site_dir(self) -> Path | None:
        """The folder served now (None before the first good build)."""
        return self.status.now().site_dir

    def start(self) -> None:
        """The first build (its failure is shown, not raised), then watching begins."""
        self.watcher = Watcher(self.watched)
        self.full_build()

    def refresh(self) -> bool:
        """Act on whatever changed since the last look; False when nothing did."""
        assert self.watcher is not None, "start() first"
        change = self.watcher.poll()
        if not change:
            return False
        self.apply(change)
        return True

    def run(self, stop: threading.Event | None = None) -> None:
        """Watch and rebuild until ``stop`` is set (or the process is interrupted)."""
        assert self.watcher is not None, "start() first"
        while stop is None or not stop.is_set():
            change = self.watcher.wait(stop=time.monotonic() + 0.5)
            if change:
                self.apply(change)

    def apply(self, change: Change) -> None:
        """One settled change, published; nothing raised but an interruption."""
        started = time.monotonic()
        try:
            edits = release_edits(change, self.releases)
            how = "full build" if edits is not None else "full build (not only release files edited)"
            if edits is not None and self.delta is not None:
                done = self.delta.apply(edits, self.status)
                if done is not None:
                    how = f"{done} file(s) updated" if done else "problems shown"
                    self._say(f"{how} in {time.monotonic() - started:.2f} s")
                    return
                how = f"full build ({self.delta.why})"
            if not self.full_build():
                how = "full build failed"
            self._say(f"{how} in {time.monotonic() - started:.2f} s")
        except Exception as exc:  # noqa: BLE001  # shown in the browser; the session goes on
            traceback.print_exc(file=sys.stderr)
            self.delta = None
            self.status.failed([f"relsite serve: the rebuild failed: {type(exc).__name__}: {exc}"])

    def full_build(self) -> bool:
        """Build the whole site into a new folder; on success it is served, else its problems are shown."""
        out = Path(tempfile.mkdtemp(prefix="site-", dir=self.workdir))
        self.delta = None
        self.status.prepared(False)
        gc.unfreeze()  # what the last build kept may go now
        handler = _Relay()
        try:
            with _capturing(handler, self.engine):
                config = self._load(out)
                self._modules["build"].build(config)
        except KeyboardInterrupt as exc:  # the engine tells its plugins of errors only: stop the writer process too
            if self._config is not None:
                with contextlib.suppress(Exception):
                    self._config.plugins.on_build_error(error=exc)
            raise
        except Exception as exc:  # noqa: BLE001  # the engine's own errors were logged; the rest is shown as it is
            shutil.rmtree(out, ignore_errors=True)
            problems = handler.errors or [f"relsite serve: {type(exc).__name__}: {exc}"]
            for line in problems if not handler.errors else ():
                print(line, file=sys.stderr, flush=True)
            self.status.failed(problems)
            return False
        old = self.site_dir
        self.builds += 1
        self.status.built(out)
        if old is not None:
            _remove_later(old)
        self.delta = live_delta.prepare(config, out, self.releases, self.workdir)
        # What the session keeps until the next full build (the plan, the portfolio, the skeletons)
        # is moved out of the cyclic collector's sight: otherwise every full collection during an
        # edit walks all of it again (a third of a second at 1,000 releases).
        gc.collect()
        gc.freeze()
        self.status.prepared(self.delta is not None)
        return True

    def _load(self, out: Path) -> Any:
        """A fresh configuration per build, as ``mkdocs serve`` makes one; the plugins are started once."""
        config = self._modules["config"].load_config(config_file=str(self.config_file), site_dir=str(out))
        if not self._started:
            config.plugins.on_startup(command="serve", dirty=False)
            self._started = True
        self._config = config
        if (
            self.watcher is not None
        ):  # the theme's own folder and mkdocs.yml's watch: list, as mkdocs serve watches them
            extra = [Path(p) for p in [config.theme.custom_dir, *config.watch] if p]
            roots = list(dict.fromkeys([*self.watched, *extra]))
            new = [r for r in roots if r not in self.watcher.roots]
            self.watcher.roots = roots
            self.watcher.seen.update(snapshot(new))  # watched from now on, not a change
        return config

    def mount(self) -> str:
        """The path the site is served under: that of its site_url, as ``mkdocs serve`` does."""
        return urlsplit(self.site_url or "/").path or "/"

    def _say(self, text: str) -> None:
        print(f"relsite serve: {text}", file=sys.stderr, flush=True)

    def close(self) -> None:
        """Stop the event streams, end the plugins' session and remove every folder this session made."""
        self.status.stop()
        if self._config is not None and self._started:
            with contextlib.suppress(Exception):
                self._config.plugins.on_shutdown()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _engine_modules(engine: str) -> dict[str, ModuleType]:
    """The engine's configuration loader and build command (MkDocs and its fork ProperDocs have the same)."""
    return {
        "config": importlib.import_module(f"{engine}.config"),
        "build": importlib.import_module(f"{engine}.commands.build"),
    }


@contextlib.contextmanager
def _capturing(handler: logging.Handler, engine: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in dict.fromkeys(("mkdocs", engine))]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _remove_later(folder: Path) -> None:
    """The previous build, removed once requests that were reading it have had time to finish."""
    timer = threading.Timer(5.0, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True})
    timer.daemon = True
    timer.start()


def serve_live(config_file: Path, host: str, port: int, engine: str) -> None:
    """`relsite serve` for the plugin engines: build, serve on ``host:port``, rebuild on change,
    until Ctrl-C or SIGTERM (raised here as KeyboardInterrupt); every temporary folder is removed."""
    session = LiveSession(config_file, engine)
    server: LiveServer | None = None
    try:
        # Serving starts before the first build: a browser opened at once sees a page that waits
        # for that build and reloads when it is there.
        server = make_server(host, port, session.status, session.mount())
        threading.Thread(target=server.serve_forever, name="relsite-serve-http", daemon=True).start()
        shown = f"[{host}]" if ":" in host else host
        session._say(f"serving on http://{shown}:{server.server_address[1]}{session.mount()} (Ctrl-C to stop)")
        session.start()
        session.run()
    except KeyboardInterrupt:
        session._say("stopping")
    finally:
        session.close()
        if server is not None:
            server.shutdown()
            server.server_close()
