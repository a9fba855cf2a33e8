"""Building and serving for the CLI: the chosen engine, atomically, with its output relayed.

The CLI stays free of engine imports; it calls these and maps BuildFailed to exit 1 and
CannotBuildHere to exit 2.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from relsite.publish.atomic import build_atomically
from relsite.publish.engines import ENGINES, BuildFailed, EngineMissing, executable, run_foreground, serve_command
from relsite.publish.output_folder import UnsafeSiteDir
from relsite.publish.site_config import InvalidSiteConfig, read_site_config

__all__ = ["ENGINES", "BuildFailed", "CannotBuildHere", "InvalidSiteConfig", "build_site", "serve_site"]


class CannotBuildHere(Exception):
    """The environment does not allow the build (the site folder is not relsite's to replace, or the
    engine is missing); exit 2."""


def build_site(
    config_file: Path,
    site_dir: Path | None = None,
    strict: bool = False,
    engine: str = "mkdocs",
    adopt: str | None = None,
    adopting: bool = False,
) -> Path:
    """Build and publish; returns the site folder (``site_dir``, or mkdocs.yml's beside that file).
    An unreadable mkdocs.yml raises InvalidSiteConfig (exit 1)."""
    try:
        return build_atomically(config_file, site_dir, strict=strict, engine=engine, adopt=adopt, adopting=adopting)
    except (UnsafeSiteDir, EngineMissing) as exc:
        raise CannotBuildHere(str(exc)) from None


def _check_free(dev_addr: str) -> None:
    """Engines answer a taken port with a traceback; find out first and say it in one line."""
    host, _, port = dev_addr.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        raise CannotBuildHere(f"{dev_addr!r} is not an address as IP:PORT") from None
    try:
        with socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET) as probe:
            # As the engines' servers bind: a port whose last server just stopped (connections in
            # TIME_WAIT) is free for them, and refusing it would make a restart wait a minute.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]") or "127.0.0.1", number))
    except OSError as exc:
        raise CannotBuildHere(
            f"cannot serve on {dev_addr}: {exc.strerror or exc}; choose another port with -a"
        ) from None


def serve_site(config_file: Path, dev_addr: str, engine: str = "mkdocs") -> None:
    """The live preview: for MkDocs relsite's own (``live_session.py``: builds in this process,
    publishes an edited release without a full build, shows problems in the browser); for ProperDocs
    its own server with the relsite plugin; for Zensical the engine's server over a staged folder
    that is kept up to date while it runs."""
    _check_free(dev_addr)
    config_file = Path(os.path.abspath(config_file))  # the engine runs in the config's folder
    read_site_config(config_file)  # an unreadable mkdocs.yml is one clear line, not the engine's traceback
    if engine == "zensical":
        from relsite.publish.live_staging import serve_staged

        serve_staged(config_file, dev_addr)
        return
    if engine != "mkdocs":
        # ProperDocs checks plugins against its own base class, which Material's plugins only pass
        # in a process its command line started: its own live server runs the relsite plugin.
        _serve_with_engine(config_file, dev_addr, engine)
        return
    try:
        executable(engine)  # installed?
    except EngineMissing as exc:
        raise CannotBuildHere(str(exc)) from None
    from relsite.publish.live_session import serve_live

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(config_file.parent)  # as the engine ran: messages name files relative to the project
    host, _, port = dev_addr.rpartition(":")
    serve_live(config_file, host.strip("[]") or "127.0.0.1", int(port), engine)


def _serve_with_engine(config_file: Path, dev_addr: str, engine: str) -> None:
    """Hand the terminal to the engine's own live server (every save rebuilds the whole site)."""
    try:
        cmd = serve_command(engine, config_file, dev_addr)
    except EngineMissing as exc:
        raise CannotBuildHere(str(exc)) from None
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    code = run_foreground(cmd, config_file.resolve().parent, env)
    if code != 0:
        sys.exit(2 if code == 1 else code)
