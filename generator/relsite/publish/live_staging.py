"""`relsite serve --engine zensical`: Zensical's live server over a staged folder that relsite
restages whenever a release file or a hand-written page changes (Zensical then reloads)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from relsite.pipeline import plan_site, resolve_today
from relsite.plan.urls import normalise_prefix
from relsite.publish.engines import run_foreground, serve_command
from relsite.publish.output_folder import mark
from relsite.publish.site_config import FILE_URLS, SiteConfig, read_site_config
from relsite.publish.staging import STAGING, stage, staging_folder

SERVED = ".relsite-serve-site"


def _snapshot(*folders: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if not any(part.startswith((STAGING, SERVED)) for part in path.parts) and path.is_file():
                out[str(path)] = path.stat().st_mtime
    return out


def serve_staged(config_file: Path, dev_addr: str, poll: float = 1.0) -> None:
    conf = read_site_config(config_file)
    if not conf.directory_urls:
        raise SystemExit(f"relsite: {FILE_URLS}")
    try:
        prefix = normalise_prefix(conf.path)
    except ValueError as exc:
        raise SystemExit(f"relsite: {exc}") from None
    # Zensical wants its site folder inside the project; one of this server's own, so that two
    # servers never share one and nothing relsite did not make is touched.
    out = Path(tempfile.mkdtemp(prefix=f"{SERVED}-", dir=conf.project))
    mark(out, building=True)
    try:
        with staging_folder(conf.project) as staging:
            _serve(conf, config_file, staging, out, dev_addr, poll, prefix)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _serve(
    conf: SiteConfig, config_file: Path, staging: Path, out: Path, dev_addr: str, poll: float, prefix: str
) -> None:
    def restage() -> Path | None:
        site, problems, _ = plan_site(conf.releases, resolve_today(conf.today), prefix=prefix)
        for p in problems:
            print(p.format(), flush=True)
        if site is None:
            return None
        try:
            return stage(site, staging, conf.docs_dir, config_file, out)
        except FileExistsError as exc:
            print(f"relsite: {exc}", flush=True)
            return None

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
        run_foreground(serve_command("zensical", staged, dev_addr), conf.project, dict(os.environ))
    finally:
        stop.set()
