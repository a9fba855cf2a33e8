"""Atomic publication of a built site.

A failed or interrupted build must leave the previous site untouched: the engine builds into a fresh
folder next to the target, which replaces the old site only after the build succeeded. Which
folders may be replaced at all is ``output_folder``'s to say.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from relsite.pipeline import plan_site, resolve_today
from relsite.plan.urls import normalise_prefix
from relsite.problems import summary
from relsite.publish.engines import BuildFailed, run_build
from relsite.publish.output_folder import (
    ADOPT,
    BUILDING_MARKER,
    UnsafeSiteDir,
    check_site_dir,
    is_relsite_output,
    mark,
    shown_path,
    unexpected_files,
)
from relsite.publish.secret_gate import SecretGate, SecretsFound, scan_folder
from relsite.publish.site_config import FILE_URLS, SiteConfig, read_site_config
from relsite.publish.staging import stage, staging_folder
from relsite.validate.allowlist import load_allowlist


@contextlib.contextmanager
def _exclusive(site_dir: Path) -> Iterator[None]:
    """One build at a time beside a site folder: a second build waits for the first instead of
    interleaving with it. The lock is taken on the folder that holds the site, so that nothing is
    left behind and no lock file appears in the project."""
    fd = os.open(site_dir.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"relsite: another build is writing beside {site_dir}; waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _tidy_leftovers(site_dir: Path, previous: Path) -> None:
    """What an interrupted build left beside the site, cleaned up (only folders relsite marked).

    A build killed between moving the old site aside and moving the new one in leaves no site
    but a previous one: it is put back first."""
    if previous.is_dir() and is_relsite_output(previous):
        if not site_dir.exists():
            previous.rename(site_dir)
        else:
            shutil.rmtree(previous)
    for leftover in site_dir.parent.glob(f".{site_dir.name}-building-*"):
        if leftover.is_dir() and not leftover.is_symlink() and is_relsite_output(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def _remove(tmp: Path, attempts: int = 5) -> None:
    """Remove the unfinished build, again if a dying writer was still adding to it: a half-removed
    folder would have lost its marker, and then nothing could tell it is relsite's to clean."""
    for _ in range(attempts):
        if not tmp.exists():
            return
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp.exists():
            time.sleep(0.2)


def _build_with_zensical(config_file: Path, conf: SiteConfig, out: Path, strict: bool) -> None:
    """Plan the site here, stage it as plain files, let Zensical build them, then apply the
    secret gate the plugin applies for the other engines."""
    if not conf.directory_urls:
        print(f"relsite: {FILE_URLS}", file=sys.stderr)
        raise BuildFailed(FILE_URLS)
    try:
        prefix = normalise_prefix(conf.path)
    except ValueError as exc:
        print(f"relsite: {exc}", file=sys.stderr)
        raise BuildFailed(str(exc)) from None
    site, problems, count = plan_site(conf.releases, resolve_today(conf.today), "", 1, prefix)
    for p in problems:
        print(p.format(), file=sys.stderr)
    if site is None:
        print(f"relsite: {summary(count, problems)} in {os.path.relpath(conf.releases)}", file=sys.stderr)
        raise BuildFailed("the release files have errors")
    with staging_folder(conf.project) as staging:
        try:
            staged = stage(site, staging, conf.docs_dir, config_file, out)
        except FileExistsError as exc:
            print(exc, file=sys.stderr)  # BuildFailed's message is not shown: what it says must be printed first
            raise BuildFailed(str(exc)) from None
        run_build("zensical", staged, out, strict)
    gate = SecretGate(load_allowlist(conf.releases, "")[0], conf.site_pages)  # type: ignore[arg-type]  # checked when read
    gate.own(
        _dest(page.url) for page in site.pages if not (page.yields_to_host and (conf.docs_dir / page.src_uri).exists())
    )
    gate.own(asset.path for asset in site.assets)
    scan_folder(gate, out, conf.docs_dir, os.path.relpath(conf.docs_dir))
    try:
        for problem in gate.finish(out):
            print(problem.format(), file=sys.stderr)
    except SecretsFound as exc:
        print(exc, file=sys.stderr)
        raise BuildFailed("secrets in the built site") from None


def _dest(url: str) -> str:
    """The file a page URL is served from (``a/b/`` → ``a/b/index.html``)."""
    return url + "index.html" if url.endswith("/") or not url else url


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def build_atomically(
    config_file: Path,
    site_dir: Path | None = None,
    strict: bool = False,
    engine: str = "mkdocs",
    adopt: str | None = None,
    adopting: bool = False,
) -> Path:
    """Build with ``engine`` into a temporary sibling of ``site_dir`` and swap it in on success;
    returns the folder written.

    ``site_dir`` defaults to mkdocs.yml's ``site_dir``, relative to that file. A link is built
    through: its target is replaced, the link stays. Refuses (UnsafeSiteDir) before touching
    anything when the folder is not relsite's to replace (``adopt`` names the command that takes
    over an earlier MkDocs build's folder; ``adopting`` is that command: the folder is replaced
    only if it holds nothing this build does not write). Waits while another build writes beside
    it. Raises BuildFailed when the engine fails; the previous site is untouched then, and so it
    is when the process is interrupted or killed.
    """
    config_file = Path(os.path.abspath(config_file))
    conf = read_site_config(config_file)
    site_dir = Path(os.path.realpath(site_dir if site_dir is not None else conf.site_dir))
    check_site_dir(site_dir, conf.project, conf.docs_dir, conf.releases, adopt=None if adopting else (adopt or ADOPT))
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = site_dir.parent / f".{site_dir.name}-previous"
    with _exclusive(site_dir):
        _tidy_leftovers(site_dir, previous)
        tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
        try:
            mark(tmp, building=True)
            if engine == "zensical":
                _build_with_zensical(config_file, conf, tmp, strict)
            else:
                run_build(engine, config_file, tmp, strict)
            (tmp / BUILDING_MARKER).unlink(missing_ok=True)
            mark(tmp)
            os.chmod(tmp, 0o777 & ~_umask())  # as an engine creates folders: readable by a web server, not 0700
            if adopting and site_dir.is_dir() and not is_relsite_output(site_dir):
                extra = unexpected_files(site_dir, tmp)
                if extra:
                    raise UnsafeSiteDir(
                        f"the site folder {shown_path(site_dir)} holds what a build of {config_file.name} "
                        f"does not write ({', '.join(extra)}); relsite left it as it was. Move those files away, "
                        "or empty the folder yourself"
                    )
            if site_dir.exists():
                site_dir.rename(previous)
            try:
                tmp.rename(site_dir)
            except BaseException:
                if previous.exists() and not site_dir.exists():
                    previous.rename(site_dir)
                raise
            shutil.rmtree(previous, ignore_errors=True)
        finally:
            _remove(tmp)
    return site_dir
