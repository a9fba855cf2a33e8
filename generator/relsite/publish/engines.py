"""The site engines relsite builds with, each run through its own command line.

- ``mkdocs`` (the default) and ``properdocs`` (a maintained MkDocs 1.x fork) run the relsite plugin
  themselves: validation, pages, feeds and the secret gate happen inside them.
- ``zensical`` runs no MkDocs plugins. relsite plans the site itself and writes a staging docs
  folder (``staging.py``) that Zensical then builds like any hand-written site.

Running the documented command lines, never the engines' Python internals, keeps relsite working
across their versions; the price is one interpreter start per build (about 0.3 s).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENGINES = ("mkdocs", "properdocs", "zensical")
PLUGIN_ENGINES = ("mkdocs", "properdocs")
_LEVEL = re.compile(r"^(?:ERROR|WARNING|INFO|DEBUG)\s+-\s+")
_PROBLEM = re.compile(r"^\S+:\d+:\d+: (?:error|warning): |^relsite: |^\s+hint: ")
_NOISE = (
    "Aborted with a BuildError!",
    "Cleaning site directory",
    "Building documentation to directory",
    "Documentation built in",
    "The following pages exist in the docs directory",
)


class BuildFailed(Exception):
    """The engine could not build the site; what it said was already shown."""


class EngineMissing(Exception):
    """The chosen engine is not installed (environment trouble, exit 2)."""


def executable(engine: str) -> list[str]:
    if engine in PLUGIN_ENGINES:
        try:
            __import__(engine)
        except ImportError:
            raise EngineMissing(f"{engine} is not installed here; pip install {engine}") from None
        return [sys.executable, "-m", engine]
    found = shutil.which(engine, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        raise EngineMissing(f"{engine} is not installed here; pip install 'relsite[{engine}]' or pip install {engine}")
    return [found]


def build_command(engine: str, config_file: Path, site_dir: Path, strict: bool = False) -> list[str]:
    cmd = [*executable(engine), "build", "--config-file", str(config_file)]
    if engine in PLUGIN_ENGINES:
        cmd += ["--site-dir", str(site_dir)]  # Zensical takes it from the (staged) config
    return cmd + (["--strict"] if strict else [])


def serve_command(engine: str, config_file: Path, dev_addr: str) -> list[str]:
    cmd = [*executable(engine), "serve", "--config-file", str(config_file), "--dev-addr", dev_addr]
    return cmd + (["--livereload"] if engine in PLUGIN_ENGINES else [])


def relay(line: str) -> str | None:
    """One line of an engine's log as relsite shows it: problems keep their `file:line:col:` shape
    (the engine's level prefix is dropped), progress chatter is dropped, anything else is kept."""
    text = line.rstrip("\n")
    bare = _LEVEL.sub("", text)
    if not text.strip() or any(n in bare for n in _NOISE) or text.startswith("INFO"):
        return None
    return bare if _PROBLEM.match(bare) or bare != text and bare.startswith("relsite") else text


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # relsite's README says where the engines stand
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def die_with_parent() -> None:
    """In the child, before the engine starts: on Linux, ask to be killed when relsite dies, even by
    SIGKILL, so that no orphan goes on writing into a folder the next build cleans up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: Ctrl-C and SIGTERM still stop the child below
        pass


@contextmanager
def _running(cmd: list[str], cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """The engine as a child that never outlives relsite: interrupted, it is stopped too."""
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_child_env(),
        errors="replace",
        preexec_fn=die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _server_child() -> None:
    """In the live server's child: it dies with relsite (a killed relsite leaves no server holding
    the port), and Ctrl-C stops it even when relsite was started with SIGINT ignored (a background
    job of a script), since the SIGINT relsite sends it below is its only way to stop cleanly."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_foreground(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """An engine's live server, holding the terminal. Stopped (Ctrl-C, or SIGTERM to relsite), it
    is given time to stop by itself, as Ctrl-C stops it, so that it removes its temporary site;
    ``subprocess.call`` would kill it at once and leave that behind."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, preexec_fn=_server_child if sys.platform == "linux" else None)  # noqa: PLW1509
    try:
        return proc.wait()
    except KeyboardInterrupt:
        for nudge in (None, signal.SIGINT, signal.SIGKILL):
            if nudge is not None:
                proc.send_signal(nudge)
            try:
                proc.wait(timeout=3 if nudge is None else 10)
                break
            except subprocess.TimeoutExpired:
                continue
        raise


def run_build(engine: str, config_file: Path, site_dir: Path, strict: bool = False) -> None:
    config_file = Path(os.path.abspath(config_file))  # the engine runs in the config's folder
    cmd = build_command(engine, config_file, site_dir, strict)
    with _running(cmd, config_file.parent) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            shown = relay(line)
            if shown is not None:
                print(shown, file=sys.stderr, flush=True)
        code = proc.wait()
    if code != 0:
        raise BuildFailed(f"{engine} build exited with {code}")
