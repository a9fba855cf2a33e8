"""Search entries for generated pages, cut from the HTML relsite rendered instead of re-parsed.

The theme's search plugin feeds every page through ``html.parser`` to split it into sections; for
release and handover pages that was a third of a large build. relsite wrote those bodies itself:
their sections start at headings with an ``id`` that only its templates produce (contributor
Markdown can make h4-h6 headings, never with an id), so one regular expression finds them. The
entries have the shape the search client reads from ``search/search_index.json``
(``location``, ``title``, ``text``), with the same conventions as mkdocs-material's own indexer:
text is HTML-escaped, and only a few structural tags (paragraphs, lists, code) survive.

Generated pages are excluded from the theme's indexer (``search: exclude`` in their front matter)
and their entries are appended to its index after it was written.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from html import escape, unescape
from pathlib import Path
from typing import IO

KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""Tags the search client shows in a result (the same list mkdocs-material keeps)."""

INLINE = frozenset({"a", "abbr", "b", "del", "em", "i", "kbd", "mark", "small", "span", "strong", "time", "u"})
"""Tags dropped without a space, so that "<strong>27 Nov</strong>." stays "27 Nov."."""

_HEADING = re.compile(r'<h([1-6]) id="([^"<>]*)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--.*?-->", re.S)
_SPACE = re.compile(r"\s+")
_EMPTY = re.compile(r"<(p|li|ul|ol|code|pre|sub|sup)>\s*</\1>")


def _text(fragment: str) -> str:
    """Visible text of trusted, well-formed HTML, escaped, keeping bare copies of the ``KEEP`` tags.

    Text between tags is unescaped and escaped again, so a stray ``<`` (say, one that stood inside an
    attribute value) can only ever come out as ``&lt;``.
    """
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(fragment):
        out.append(escape(unescape(fragment[pos:m.start()]), quote=False))
        name = (m.group(2) or "").lower()
        out.append(f"<{m.group(1)}{name}>" if name in KEEP else "" if name in INLINE else " ")
        pos = m.end()
    out.append(escape(unescape(fragment[pos:]), quote=False))
    text = _SPACE.sub(" ", "".join(out))
    return _EMPTY.sub("", text).strip()


def entries(url: str, title: str, body: str) -> list[dict[str, str]]:
    """One entry for the text before the first heading, then one per heading with an id."""
    found: list[dict[str, str]] = []
    pos, location, heading = 0, url, escape(title, quote=False)
    for m in _HEADING.finditer(body):
        found.append({"location": location, "title": heading, "text": _text(body[pos:m.start()])})
        location, heading, pos = f"{url}#{m.group(2)}", _text(m.group(3)), m.end()
    found.append({"location": location, "title": heading, "text": _text(body[pos:])})
    return found


class Collector:
    """Entries gathered page by page into a spill file (tens of megabytes at 10,000 releases), then
    appended to the theme's index once it exists."""

    def __init__(self) -> None:
        self._spill: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._count = 0

    def add(self, url: str, title: str, body: str) -> None:
        for entry in entries(url, title, body):
            self._spill.write(("," if self._count else "") + json.dumps(entry, separators=(",", ":")))
            self._count += 1

    def merge_into(self, index_file: Path) -> bool:
        """Append the entries to a written ``search_index.json``; False when there is none to extend
        (no search plugin, or one with another format), in which case nothing is written."""
        try:
            index = json.loads(index_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
            return False
        docs = index.pop("docs")
        head = json.dumps({**index, "docs": []}, separators=(",", ":"))
        assert head.endswith("[]}")
        tmp = index_file.with_name(index_file.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            out.write(head[:-2])
            out.write(",".join(json.dumps(d, separators=(",", ":")) for d in docs))
            if docs and self._count:
                out.write(",")
            self._spill.seek(0)
            shutil.copyfileobj(self._spill, out)
            out.write("]}")
        tmp.replace(index_file)
        return True

    def close(self) -> None:
        self._spill.close()
