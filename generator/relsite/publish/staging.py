"""A staging docs folder for engines that run no MkDocs plugins (Zensical).

The planned site is written out as files the engine builds like hand-written ones: every page as
Markdown whose body is one raw HTML block (so the engine's Markdown extensions, snippets, macros
and attribute lists never see contributor text: braces are entities and ``<`` is escaped), the
calendars, JSON and the feed as static files, the portal's CSS and script next to them. The
hand-written pages are copied in, with the home page's block filled. The project's own mkdocs.yml
is used as it is, with only ``docs_dir`` and ``site_dir`` pointed at the staging folder and the
output; the staging folder is removed afterwards.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from relsite.plan.site import Page, Site, url_of
from relsite.publish.output_folder import mark
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
    return (f'<link rel="stylesheet" href="{_relative(url, "assets/relsite.css")}">',
            f'<script src="{_relative(url, "assets/relsite.js")}"></script>')


def page_markdown(page: Page) -> str:
    meta: dict[str, object] = {"title": page.title}
    if page.hide:
        meta["hide"] = list(page.hide)
    if page.description:
        meta["description"] = " ".join(page.description.split())
    head, tail = _assets_tags(page.url)
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return f"---\n{front}---\n\n<div class=\"relsite-page\">\n{head}\n{_inert(page.render())}\n{tail}\n</div>\n"


def _relink(fragment: str, page_url: str) -> str:
    depth = page_url.count("/")
    return re.sub(r'href="(?![a-z][a-z0-9+.-]*:|#|/)', 'href="' + "../" * depth, fragment) if depth else fragment


def stage(site: Site, project: Path, docs_dir: Path, config_file: Path, out: Path) -> Path:
    """Write the staging folder and its config; returns the config to build with."""
    staging = project / STAGING
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(docs_dir, staging, ignore=shutil.ignore_patterns(".*"))
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
                text = text.replace(marker, f'<div class="relsite-{name}">\n{head}\n{_inert(_relink(fragment, url))}\n{tail}\n</div>', 1)
        md.write_text(text, encoding="utf-8")
    for page in site.pages:
        target = staging / page.src_uri
        if target.exists():
            raise FileExistsError(f"{docs_dir.name}/{page.src_uri} clashes with a generated page; rename or remove it")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_markdown(page), encoding="utf-8")
    clashes = generated_path_clashes([a.path for a in site.assets],
                                     {a.path: f"{docs_dir.name}/{a.path}" for a in site.assets if (staging / a.path).exists()})
    if clashes:
        raise FileExistsError("\n".join(clashes))
    for asset in site.assets:
        target = staging / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.render())
    shutil.copytree(THEME_ASSETS, staging / "assets", dirs_exist_ok=True)
    text = _TOP_LEVEL.sub("", config_file.read_text(encoding="utf-8"))
    staged = project / f"{STAGING}.yml"
    staged.write_text(text.rstrip("\n") + f"\n\n# written by relsite for this build\ndocs_dir: {json.dumps(STAGING)}\n"
                      f"site_dir: {json.dumps(str(out))}\n", encoding="utf-8")
    return staged


def unstage(project: Path) -> None:
    shutil.rmtree(project / STAGING, ignore_errors=True)
    (project / f"{STAGING}.yml").unlink(missing_ok=True)
