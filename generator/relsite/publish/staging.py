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
    """Fill ``staging`` (see staging_folder) and write its config; returns the config to build with."""
    for child in staging.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    shutil.copytree(docs_dir, staging, ignore=shutil.ignore_patterns(".*"), dirs_exist_ok=True)
    mark(staging, building=True)
    for md in staging.rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        if "relsite-" not in text:
            continue
        url = url_of(md.relative_to(staging).as_posix())
        for name, fragment in site.fragments.items():
            marker = MARKER.format(name=name)
            if marker in text:
                head, tail = _assets_tags(url)
                text = text.replace(
                    marker, f'<div class="relsite-{name}">\n{head}\n{_inert(_relink(fragment, url))}\n{tail}\n</div>', 1
                )
        md.write_text(text, encoding="utf-8")
    for page in site.pages:
        target = staging / page.src_uri
        if target.exists():
            if page.yields_to_host:
                continue  # the site's own guide wins
            raise FileExistsError(f"{docs_dir.name}/{page.src_uri} clashes with a generated page; rename or remove it")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_markdown(page), encoding="utf-8")
    clashes = generated_path_clashes(
        [a.path for a in site.assets],
        {a.path: f"{docs_dir.name}/{a.path}" for a in site.assets if (staging / a.path).exists()},
    )
    if clashes:
        raise FileExistsError("\n".join(clashes))
    for asset in site.assets:
        target = staging / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.render())
    shutil.copytree(THEME_ASSETS, staging / "assets", dirs_exist_ok=True)
    text = _TOP_LEVEL.sub("", config_file.read_text(encoding="utf-8"))
    staged = config_of(staging)
    staged.write_text(
        text.rstrip("\n") + f"\n\n# written by relsite for this build\ndocs_dir: {json.dumps(staging.name)}\n"
        f"site_dir: {json.dumps(str(out))}\n",
        encoding="utf-8",
    )
    return staged
