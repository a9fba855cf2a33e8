"""`relsite serve --engine zensical`: Zensical's live server over a staged folder that relsite
restages whenever a release file or a hand-written page changes (Zensical then reloads)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

from relsite.pipeline import plan_site, resolve_today
from relsite.plan.urls import normalise_prefix
from relsite.publish.engines import serve_command
from relsite.publish.output_folder import is_relsite_output, mark
from relsite.publish.site_config import read_site_config
from relsite.publish.staging import STAGING, stage, unstage

SERVED = ".relsite-serve-site"


def _snapshot(*folders: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if STAGING not in path.parts and SERVED not in path.parts and path.is_file():
                out[str(path)] = path.stat().st_mtime
    return out


def serve_staged(config_file: Path, dev_addr: str, poll: float = 1.0) -> None:
    conf = read_site_config(config_file)
    out = conf.project / SERVED  # Zensical wants its site folder inside the project
    if out.exists() and is_relsite_output(out):
        shutil.rmtree(out)
    out.mkdir(exist_ok=True)
    mark(out, building=True)
    try:
        prefix = normalise_prefix(conf.path)
    except ValueError as exc:
        raise SystemExit(f"relsite: {exc}") from None

    def restage() -> Path | None:
        site, problems, _ = plan_site(conf.releases, resolve_today(conf.today), prefix=prefix)
        for p in problems:
            print(p.format(), flush=True)
        return stage(site, conf.project, conf.docs_dir, config_file, out) if site is not None else None

    staged = restage()
    if staged is None:
        raise SystemExit(1)
    stop = threading.Event()

    def watch() -> None:
        seen = _snapshot(conf.releases, conf.docs_dir)
        while not stop.wait(poll):
            now = _snapshot(conf.releases, conf.docs_dir)
            if now != seen:
                seen = now
                restage()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        subprocess.call(serve_command("zensical", staged, dev_addr), cwd=conf.project, env=dict(os.environ))
    finally:
        stop.set()
        unstage(conf.project)
        shutil.rmtree(out, ignore_errors=True)
