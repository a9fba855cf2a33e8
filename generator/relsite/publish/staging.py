"""A staging docs folder for engines that run no MkDocs plugins (Zensical).

The planned site is written out as files the engine builds like hand-written ones: every page as
Markdown whose body is one raw HTML block (so the engine's Markdown extensions, snippets, macros
and attribute lists never see contributor text: braces are entities and ``<`` is escaped), the
calendars, JSON and the feed as static files, the portal's CSS and script next to them. The
hand-written pages are copied in, with the home page's block filled. The project's own mkdocs.yml
is used as it is, with only ``docs_dir`` and ``site_dir`` pointed at the staging folder and the
output; the staging folder (one per build) is removed afterwards.
"""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from relsite.plan.site import Page, Site, url_of
from relsite.publish.output_folder import BUILDING_MARKER, mark
from relsite.publish.secret_gate import generated_path_clashes

STAGING = ".relsite-staging"
THEME_ASSETS = Path(__file__).resolve().parent / "theme" / "assets"
MARKER = '<div class="relsite-{name}"></div>'
_TOP_LEVEL = re.compile(r"^(docs_dir|site_dir)\s*:.*$\n?", re.MULTILINE)


class _Staged:
    """The files one staging writes, written only where their bytes change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[Path] = set()

    def keep(self, target: Path) -> None:
        self.written.add(target)

    def put(self, target: Path, data: bytes) -> None:
        self.written.add(target)
        try:
            if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                return
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # a folder an earlier staging had where a file now goes
        elif target.is_symlink():
            target.unlink()
        target.write_bytes(data)

    def copy_docs(self, docs_dir: Path, site: Site) -> set[Path]:
        """The site's own pages and files (dot-files left out), the home page's block filled."""
        copied: set[Path] = set()
        seen: set[tuple[int, int]] = set()
        for folder, dirs, names in os.walk(docs_dir, followlinks=True):  # as copytree copied linked folders
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:  # a link back up the tree: each folder is copied once
                dirs[:] = []
                continue
            seen.add((info.st_dev, info.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(f for f in names if not f.startswith(".")):
                source = Path(folder) / name
                target = self.root / source.relative_to(docs_dir)
                data = source.read_bytes()
                if name.endswith(".md") and b"relsite-" in data:
                    data = _filled(data.decode("utf-8"), target, self.root, site).encode("utf-8")
                self.put(target, data)
                copied.add(target)
        return copied

    def remove_the_rest(self) -> None:
        """Files an earlier staging wrote that this one did not, then the folders left empty."""
        for folder, dirs, files in os.walk(self.root, topdown=False):
            for name in files:
                path = Path(folder) / name
                if path not in self.written:
                    path.unlink()
            for name in dirs:
                path = Path(folder) / name
                if path.is_symlink():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()


def _filled(text: str, target: Path, staging: Path, site: Site) -> str:
    url = url_of(target.relative_to(staging).as_posix())
    for name, fragment in site.fragments.items():
        marker = MARKER.format(name=name)
        if marker in text:
            head, tail = _assets_tags(url)
            text = text.replace(
                marker, f'<div class="relsite-{name}">\n{head}\n{_inert(_relink(fragment, url))}\n{tail}\n</div>', 1
            )
    return text


def _relative(url: str, to: str) -> str:
    return "../" * url.count("/") + to


def _inert(html: str) -> str:
    """The page body as an HTML block no Markdown preprocessor acts on: braces (macros, attribute
    lists) become entities; ``<`` in text is already ``&lt;``, which also breaks snippet markers."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _assets_tags(url: str) -> tuple[str, str]:
    return (
        f'<link rel="stylesheet" href="{_relative(url, "assets/relsite.css")}">',
        f'<script src="{_relative(url, "assets/relsite.js")}"></script>',
    )


def page_markdown(page: Page) -> str:
    """A generated page as Markdown. Zensical's templates, like MkDocs', print the front matter's
    title and description without escaping (the title in ``<title>``, the header, ``<h1>`` and the
    navigation, the description in ``<meta content="...">``), so both are handed over as escaped
    text, never as markup. The title appears in no attribute, and Zensical's search shows ``&quot;``
    and ``&#x27;`` as they are spelt, so its quotes stay quotes."""
    meta: dict[str, object] = {"title": html.escape(page.title, quote=False)}
    if page.hide:
        meta["hide"] = list(page.hide)
    if page.description:
        meta["description"] = html.escape(" ".join(page.description.split()), quote=True)
    body = page.render()
    if not page.searchable or _longest_section_words(body) > SEARCH_SECTION_WORDS:
        meta["search"] = {"exclude": True}
    head, tail = _assets_tags(page.url)
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return f'---\n{front}---\n\n<div class="relsite-page">\n{head}\n{_inert(body)}\n{tail}\n</div>\n'


SEARCH_SECTION_WORDS = 3000
"""Zensical refuses to build a site whose search index holds a section longer than 4,096 token
positions (0.0.73): at 10,000 releases a month's grid and the environments matrix were. Listings
are kept out of search (as with MkDocs), and so is any page with a section longer than this."""
_HEADING = re.compile(r"<h[1-6][\s>]")
_TAG = re.compile(r"<[^>]*>")


def _longest_section_words(body: str) -> int:
    return max((len(_TAG.sub(" ", part).split()) for part in _HEADING.split(body)), default=0)


def _relink(fragment: str, page_url: str) -> str:
    depth = page_url.count("/")
    return re.sub(r'href="(?![a-z][a-z0-9+.-]*:|#|/)', 'href="' + "../" * depth, fragment) if depth else fragment


@contextmanager
def staging_folder(project: Path) -> Iterator[Path]:
    """A staging folder of this build's own in the project (Zensical resolves the site's relative
    paths from there), so that two builds at once never stage into one folder. It is locked while
    in use; folders of builds that were killed are unlocked, and removed here."""
    for leftover in project.glob(f"{STAGING}-*"):
        if leftover.is_dir() and not leftover.is_symlink() and (leftover / BUILDING_MARKER).is_file():
            with _locked(leftover, wait=False) as free:
                if free:
                    _remove(leftover)
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGING}-", dir=project))
    mark(folder, building=True)
    with _locked(folder, wait=True):
        try:
            yield folder
        finally:
            _remove(folder)


@contextmanager
def _locked(folder: Path, wait: bool) -> Iterator[bool]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    config_of(folder).unlink(missing_ok=True)


def config_of(staging: Path) -> Path:
    """The staged copy of mkdocs.yml, beside its staging folder."""
    return staging.parent / f"{staging.name}.yml"


def stage(site: Site, staging: Path, docs_dir: Path, config_file: Path, out: Path) -> Path:
    """Fill ``staging`` (see staging_folder) and write its config; returns the config to build with.

    A restage (``relsite serve``) updates the folder in place: a file is written only when its
    bytes change and removed only when it no longer belongs, and folders stay. Emptying the folder
    and filling it again made the engine's watcher lose changes under load (a folder deleted and
    made again drops its watch; a file written in it before the watch is back raises no event)."""
    files = _Staged(staging)
    docs = files.copy_docs(docs_dir, site)
    mark(staging, building=True)
    files.keep(staging / BUILDING_MARKER)
    for page in site.pages:
        target = staging / page.src_uri
        if target in docs:
            if page.yields_to_host:
                continue  # the site's own guide wins
            raise FileExistsError(f"{docs_dir.name}/{page.src_uri} clashes with a generated page; rename or remove it")
        files.put(target, page_markdown(page).encode("utf-8"))
    clashes = generated_path_clashes(
        [a.path for a in site.assets],
        {a.path: f"{docs_dir.name}/{a.path}" for a in site.assets if (staging / a.path) in docs},
    )
    if clashes:
        raise FileExistsError("\n".join(clashes))
    for asset in site.assets:
        files.put(staging / asset.path, asset.render())
    for theme_file in sorted(THEME_ASSETS.rglob("*")):
        if theme_file.is_file():
            files.put(staging / "assets" / theme_file.relative_to(THEME_ASSETS), theme_file.read_bytes())
    files.remove_the_rest()
    text = _TOP_LEVEL.sub("", config_file.read_text(encoding="utf-8"))
    staged = config_of(staging)
    staged.write_text(
        text.rstrip("\n") + f"\n\n# written by relsite for this build\ndocs_dir: {json.dumps(staging.name)}\n"
        f"site_dir: {json.dumps(str(out))}\n",
        encoding="utf-8",
    )
    return staged
