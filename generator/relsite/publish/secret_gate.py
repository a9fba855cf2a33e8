"""The secret gate of one build: every file of the output is judged once, by who wrote it.

relsite fails a build for what it publishes from release data: its own pages, calendars, feeds,
JSON and search entries. Those were scanned as YAML values already (``validate/secrets.py``);
here the output is scanned again for what only rendering shows: Markdown that joins a word
(``**pass**word: X``, ``pass&#119;ord``, a link or code span in the middle of a token) and
entities in links. A host site's own pages are the host's documentation, full of examples: only
an issuer's unmistakable format (``ghp_...``, ``AKIA...``, a private key block) fails the build
there, heuristics (a URL with a password, "password: X") are warnings naming the ``.md`` source,
and the plugin option ``secrets: {site_pages: error|warn|off}`` chooses otherwise.

Every engine uses the same gate: the MkDocs plugin page by page as pages are written, the Zensical
path over the finished folder (``scan_folder``). A file counts as scanned only in the exact size
it had when it was scanned, so a file that something else replaced afterwards is scanned again.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from relsite.problems import Problem, error, warning
from relsite.publish.changed_part import changed_part
from relsite.validate.secrets import ALLOWLIST_FILE, PATTERNS, Finding, Pattern, redact, scan_text

SitePages = Literal["error", "warn", "off"] | None
"""How the host site's own pages are judged; None: unmistakable formats fail, heuristics warn."""

SITE_SUFFIXES = {".html", ".json", ".ics", ".xml", ".txt", ".js", ".css"}
CERTAIN = [p for p in PATTERNS if p.certain]
IN_MARKUP = [p for p in PATTERNS if p.name != "a password"]
"""Patterns for a whole file as written (attributes, scripts, JSON): generated pages legitimately
say things like "password reset" outside the text a person reads, so the phrase is judged only
in visible text."""
NEEDLES = frozenset(n for p in IN_MARKUP for n in p.needles)
REACH = max(map(len, NEEDLES)) - 1
"""How far a needle that overlaps an inserted value can reach beyond it."""
assert all(p.needles for p in IN_MARKUP), "Composed relies on every markup pattern having needles"


@dataclass(frozen=True)
class Composed:
    """A page joined from fixed text and inserted values (page_chrome.py). Every pattern of
    ``IN_MARKUP`` runs only where one of its needles occurs; a needle occurs in such a page either
    within the fixed text (``fixed``: the needles found there, once per skeleton) or overlapping an
    inserted value, so within ``windows`` (each value with ``REACH`` characters either side, joined
    by NULs, which no needle holds). Which patterns can match is then known without searching the
    whole page for every needle, and the patterns that can are run on the whole page as before."""

    fixed: frozenset[str]
    windows: str

    def patterns(self) -> list[Pattern]:
        return [p for p in IN_MARKUP if any(n in self.fixed or n in self.windows for n in p.needles)]


_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;|quot;|#3[49];|#x2[27];)")
"""An entity other than those escaping itself writes: in an attribute, only a contributor's text can
hold one (``href="https://u:p&#64;host"``), and it reads decoded."""
ALLOWLIST_HINT = (
    f"remove it and rotate the credential; if it is an example, write a placeholder (user:password@example.com, "
    f"<token>, ${{TOKEN}}) or add the output of `relsite secret-hash` for it to releases/{ALLOWLIST_FILE}"
)
SITE_PAGES_HINT = "; the plugin option `secrets: {site_pages: error|warn|off}` says how the site's own pages are judged"


class SecretsFound(Exception):
    """The built site holds what looks like credentials; the message lists every finding once."""


def visible_text(markup: str) -> str:
    """What a reader sees of ``markup``: tags dropped without a gap (``<strong>pass</strong>word``
    reads "password"), entities decoded."""
    text = _TAG.sub("", markup)
    return html.unescape(text) if "&" in text else text


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _locate(text: str, value: str) -> tuple[int, int] | None:
    at = text.find(value)
    return None if at < 0 else _position(text, at)


def _file_findings(text: str, allowed: frozenset[str], patterns: list[Pattern]) -> list[Finding]:
    """Findings in a file as written and, where entities are used, as decoded (``&#64;`` in a link)."""
    found = list(scan_text(text, allowed, patterns))
    if "&" in text:
        decoded = html.unescape(text)
        if decoded != text:
            seen = {f.value for f in found}
            found += [f for f in scan_text(decoded, allowed, patterns) if f.value not in seen]
    return found


def relsite_findings(
    name: str, text: str, allowed: frozenset[str], body: str | None = None, composed: Composed | None = None
) -> list[str]:
    """Findings in a file relsite wrote from release data, as "name:line:col: error: ..." lines:
    every pattern but the phrase in the file as written, every pattern in the text a reader sees of
    ``body`` (a page's own HTML, without the theme around it). Picklable for the writer process."""
    if body is None:  # calendars and JSON hold no entities; a feed's are its own escaping
        found = (
            _file_findings(text, allowed, IN_MARKUP)
            if name.endswith(".html")
            else list(scan_text(text, allowed, IN_MARKUP))
        )
    else:  # entities are decoded in the page's own part only: the theme around it holds no release data
        found = list(scan_text(text, allowed, IN_MARKUP if composed is None else composed.patterns()))
        more = list(scan_text(visible_text(body), allowed))
        if _ENTITY.search(body):
            more += scan_text(html.unescape(body), allowed, IN_MARKUP)
        found += [f for f in more if f.value not in {g.value for g in found}]
    out = []
    for f in found:
        line, col = _locate(text, f.value) or _locate(text, f.value[:4]) or (1, 1)
        out.append(f"{name}:{line}:{col}: error: the built site contains what looks like {f.kind} ({redact(f.value)})")
    return out


def findings_since(name: str, data: bytes, previous: bytes | None, allowed: frozenset[str]) -> list[str]:
    """``relsite_findings`` of a calendar, feed or JSON file that replaces ``previous``, a version of
    it that passed the gate with the same allowlist: only the part that changed is searched
    (``changed_part``), the findings reported where they are in the whole file."""
    if previous is None:
        return relsite_findings(name, data.decode("utf-8", errors="replace"), allowed)
    start, end = changed_part(previous, data)
    part = data[start:end].decode("utf-8", errors="replace")
    if name.endswith(".html"):
        found = _file_findings(part, allowed, IN_MARKUP)
    else:
        found = list(scan_text(part, allowed, IN_MARKUP))
    if not found:
        return []
    return relsite_findings(name, data.decode("utf-8", errors="replace"), allowed)


@dataclass(frozen=True)
class HostSource:
    """A host page's source file: where a finding on the page is reported."""

    display: str
    """As messages show it, e.g. ``docs/setup/proxies.md``."""
    text: str


@dataclass
class SecretGate:
    """The gate of one build. Scan each file as it is written (``scan_page``, ``scan_asset``, or
    ``add`` for what a writer process found), then ``finish`` sweeps the rest of the site folder."""

    allowed: frozenset[str] = frozenset()
    site_pages: SitePages = None
    owned: set[str] = field(default_factory=set)
    """Paths of files relsite writes from release data: judged strictly wherever they are met."""
    scanned: dict[str, int] = field(default_factory=dict)
    """Path → size in bytes when it was scanned; a file of another size is scanned again."""
    errors: list[str] = field(default_factory=list)
    """Findings that fail the build, formatted; those about a built file start with its path."""
    warnings: list[Problem] = field(default_factory=list)
    holding: set[str] = field(default_factory=set)
    """Built files a host page's error was found in (reported against the page's source)."""

    def own(self, paths: Iterable[str]) -> None:
        self.owned.update(paths)

    def scan_page(
        self,
        dest_uri: str,
        output: str,
        source: HostSource | None = None,
        body: str | None = None,
        composed: Composed | None = None,
    ) -> None:
        """One page as written. Without ``source`` it is relsite's (``body``: its planned HTML,
        whose visible text is judged too; ``composed``: how it was joined, when it was); with it,
        a host page judged as ``site_pages`` says."""
        self.scanned[dest_uri] = len(output.encode("utf-8", errors="xmlcharrefreplace"))
        if source is None and dest_uri in self.owned:
            self.errors += relsite_findings(dest_uri, output, self.allowed, body, composed)
        else:
            self._judge_host(dest_uri, output, source)

    def scan_asset(self, path: str, data: bytes) -> None:
        self.scanned[path] = len(data)
        self.owned.add(path)
        self.errors += relsite_findings(path, data.decode("utf-8", errors="replace"), self.allowed)

    def add(self, sizes: Mapping[str, int], findings: Iterable[str]) -> None:
        """What another process found in the files it wrote (``asset_writer``)."""
        self.scanned.update(sizes)
        self.owned.update(sizes)
        self.errors += findings

    def _judge_host(self, name: str, text: str, source: HostSource | None) -> None:
        if self.site_pages == "off":
            return
        # Heuristics need a source to be reported against; a file without one (the search index,
        # a theme's file) is judged by unmistakable formats only.
        patterns = PATTERNS if source is not None else CERTAIN
        in_markup = [p for p in patterns if p.name != "a password"]
        # Entities are decoded in pages only: a search index holds every page's text, and a copy
        # of it decoded would be the build's largest allocation.
        found = (
            _file_findings(text, self.allowed, in_markup)
            if name.endswith(".html")
            else list(scan_text(text, self.allowed, in_markup))
        )
        if source is not None:
            seen = {f.value for f in found}
            found += [f for f in scan_text(visible_text(text), self.allowed, patterns) if f.value not in seen]
        for f in found:
            fails = self.site_pages == "error" or (self.site_pages is None and f.certain)
            where = _locate(source.text, f.value) if source is not None else None
            if source is not None and where is not None:
                file, (line, col), built = source.display, where, f"; it is published in {name}"
            else:
                file, (line, col), built = name, _locate(text, f.value) or (1, 1), ""
            problem = (error if fails else warning)(
                file,
                line,
                col,
                f"this page contains what looks like {f.kind} ({redact(f.value)}){built}",
                ALLOWLIST_HINT + SITE_PAGES_HINT,
                "secrets",
            )
            if fails:
                self.errors.append(problem.format())
                self.holding.add(name)
            else:
                self.warnings.append(problem)

    def sweep(self, site_dir: Path) -> None:
        """Every text file of the folder not scanned as it was written, or changed since (the
        order does not matter: ``finish`` sorts what was found)."""
        for name, path, size in _text_files(site_dir):
            if self.scanned.get(name) == size:
                continue
            self.scanned[name] = size
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            if name in self.owned:
                self.errors += relsite_findings(name, text, self.allowed)
            else:
                self._judge_host(name, text, None)

    def finish(self, site_dir: Path) -> list[Problem]:
        """Sweep the rest of the folder; raise SecretsFound if anything fails the build (the files
        that hold an error are removed: a site with a credential in it is not finished). Returns
        the warnings, for the caller to show; a warning never removes anything."""
        self.sweep(site_dir)
        errors = sorted(set(self.errors))
        if errors:
            built = {e.split(":", 1)[0] for e in errors} & self.scanned.keys()
            for name in built | self.holding:
                (site_dir / name).unlink(missing_ok=True)
            raise SecretsFound(
                "relsite: the built site contains what looks like credentials; it was not finished:\n"
                + "\n".join(f"{site_dir.name}/{e}" if e.split(":", 1)[0] in built else e for e in errors)
            )
        return sorted(set(self.warnings))


def _text_files(site_dir: Path) -> Iterator[tuple[str, str, int]]:
    """(site path, file path, size) of every file with a text suffix under ``site_dir``, symbolic
    links followed as ``Path.is_file`` follows them. One ``scandir`` per folder and one ``stat`` per
    file: 42,000 files at 10,000 releases, where ``sorted(rglob)`` and two stats each took seconds."""
    stack = [(os.fspath(site_dir), "")]
    root = os.stat(site_dir)
    seen = {(root.st_dev, root.st_ino)}
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir():
                    st = entry.stat()  # a linked folder is followed once: a loop of links ends
                    if (st.st_dev, st.st_ino) not in seen:
                        seen.add((st.st_dev, st.st_ino))
                        stack.append((entry.path, name + "/"))
                elif os.path.splitext(entry.name)[1] in SITE_SUFFIXES and entry.is_file():
                    yield name, entry.path, entry.stat().st_size


def _article(page: str) -> str:
    """A built page's own content, without the theme's navigation around it."""
    start = page.find("<article")
    end = page.rfind("</article>")
    return page[start:end] if 0 <= start < end else page


def scan_folder(gate: SecretGate, site_dir: Path, docs_dir: Path, docs_display: str) -> None:
    """Every page of a site an engine built without the plugin (Zensical), judged as the plugin
    judges them: relsite's pages strictly, the site's own against their Markdown source."""
    for path in sorted(site_dir.rglob("*.html")):
        name = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if name in gate.owned:
            gate.scan_page(name, text, body=_article(text))
        else:
            gate.scan_page(name, text, source=source_of(name, docs_dir, docs_display))


def source_of(dest_uri: str, docs_dir: Path, docs_display: str) -> HostSource | None:
    """The Markdown file a host page was built from, by MkDocs' URL rules (``a/index.html`` from
    ``a.md``, ``a/index.md`` or ``a/README.md``), for engines that do not say (Zensical)."""
    if not dest_uri.endswith(".html"):
        return None
    stem = dest_uri[: -len("index.html")].rstrip("/") if dest_uri.endswith("index.html") else dest_uri[:-5]
    candidates = [f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"] if stem else ["index.md", "README.md"]
    for rel in candidates:
        path = docs_dir / rel
        if path.is_file():
            return HostSource(f"{docs_display}/{rel}", path.read_text(encoding="utf-8", errors="replace"))
    return None


_KINDS = {".ics": "a calendar", ".json": "a JSON API file", ".xml": "the Atom feed", ".html": "a page"}


def generated_path_clashes(generated: Iterable[str], docs_files: Mapping[str, str]) -> list[str]:
    """Hand-written files at a path relsite generates (``feed.xml``, ``calendar/releases.ics``,
    ``api/v1/*.json``): one of the two would silently replace the other (which one is a race with
    the writer process), so each is an error naming both, as a page at a generated page's path is.
    ``docs_files``: output path → the hand-written source as messages show it."""
    return [
        f"{docs_files[path]}:1:1: error: this file would be published at {path}, where relsite writes "
        f"{_KINDS.get(Path(path).suffix, 'a generated file')} from the release files\n"
        f"  hint: rename or remove {docs_files[path]}; relsite's {path} replaces it"
        for path in sorted(generated)
        if path in docs_files
    ]
