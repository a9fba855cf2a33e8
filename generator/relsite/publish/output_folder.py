"""Which folders relsite may write a site into, and how it recognises its own sites.

relsite deletes or replaces only what a previous relsite build created: every site it builds
carries a marker file, and a folder without one is refused unless it is empty. A site folder may
never be, or contain, the project, the docs folder or the releases folder, nor lie inside the docs
or the releases folder, whatever the command line or ``site_dir`` in mkdocs.yml says. A folder an
earlier MkDocs build wrote is taken over only on request (``--adopt-site-dir``), after a build of
the same configuration showed it holds nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".relsite-site"
MARKER_TEXT = "This folder was built by relsite. The next build replaces it; do not keep other files here.\n"
BUILDING_MARKER = ".relsite-building"


class UnsafeSiteDir(Exception):
    """The site folder is one relsite must not write into; nothing was touched."""


def is_relsite_output(folder: Path) -> bool:
    """Built by relsite (a finished site, or a build that was interrupted)."""
    return (folder / MARKER).is_file() or (folder / BUILDING_MARKER).is_file()


def shown_path(path: Path) -> str:
    """A folder as a message names it: relative to the working folder when it lies inside it."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else os.fspath(path)


def mark(folder: Path, building: bool = False) -> None:
    (folder / (BUILDING_MARKER if building else MARKER)).write_text(MARKER_TEXT, encoding="utf-8")


ADOPT = "relsite build --adopt-site-dir"


def check_site_dir(
    site_dir: Path, project: Path, docs: Path | None, releases: Path | None, adopt: str | None = ADOPT
) -> None:
    """Raise UnsafeSiteDir when building into ``site_dir`` could destroy something relsite did not make.

    ``adopt`` is the command that takes over a folder an earlier MkDocs build wrote (named in the
    refusal); None when that command is running, which then compares the folder with its own
    build (``unexpected_files``) before replacing it."""
    site = site_dir.resolve()
    shown = shown_path(site_dir)
    protected = [("the project folder", project.resolve(), False)]
    protected += [
        (what, p.resolve(), True) for what, p in (("the docs folder", docs), ("the releases folder", releases)) if p
    ]
    for what, folder, no_inside in protected:
        if site == folder or folder.is_relative_to(site):
            raise UnsafeSiteDir(
                f"the site folder {shown} is, or contains, {what} ({folder}); choose a folder of its own, such as site/"
            )
        if no_inside and site.is_relative_to(folder):
            raise UnsafeSiteDir(
                f"the site folder {shown} lies inside {what} ({folder}); choose a folder outside it, such as site/"
            )
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        raise UnsafeSiteDir(f"the site folder {shown} exists and is not a folder; relsite does not replace it")
    if adopt is not None and site.is_dir() and not is_relsite_output(site) and any(site.iterdir()):
        raise UnsafeSiteDir(
            f"the site folder {shown} is not empty and was not built by relsite (it has no {MARKER} file); "
            f"relsite replaces only sites it built. If an MkDocs build of this site wrote it, run `{adopt}` "
            "once (it checks the folder holds nothing else first); otherwise empty it or choose another folder"
        )


def unexpected_files(existing: Path, built: Path, shown: int = 5) -> list[str]:
    """What ``existing`` holds that ``built`` (a fresh build of the same configuration) does not:
    anything but the same files and folders, by path and kind; links are never expected."""
    extra: list[str] = []
    for folder, dirs, files in os.walk(existing):
        here = Path(folder)
        for name in sorted(dirs) + sorted(files):
            path = here / name
            twin = built / path.relative_to(existing)
            same_kind = twin.is_dir() if name in dirs else twin.is_file()
            if path.is_symlink() or not same_kind or not (path.is_dir() or path.is_file()):
                extra.append(path.relative_to(existing).as_posix() + ("/" if name in dirs else ""))
                if len(extra) >= shown:
                    return extra
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return extra
