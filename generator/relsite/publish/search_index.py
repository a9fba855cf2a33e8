"""Search entries for generated pages, cut from the HTML relsite rendered instead of re-parsed.

The theme's search plugin feeds every page through ``html.parser`` to split it into sections; for
release and handover pages that was a third of a large build. relsite wrote those bodies itself:
their sections start at headings with an ``id`` that only its templates produce (contributor
Markdown can make h4-h6 headings, never with an id), so one regular expression finds them. The
entries have the shape the search client reads from ``search/search_index.json``
(``location``, ``title``, ``text``), with the same conventions as mkdocs-material's own indexer:
text is HTML-escaped, and only a few structural tags (paragraphs, lists, code) survive.

Generated pages are excluded from the theme's indexer (``search: exclude`` in their page meta)
and their entries are appended to its index after it was written.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from html import escape
from pathlib import Path
from typing import IO

KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
"""Tags the search client shows in a result (the same list mkdocs-material keeps)."""
INLINE = frozenset({"a", "abbr", "b", "del", "em", "i", "kbd", "mark", "small", "span", "strong", "time", "u"})
"""Tags dropped without a space, so that "<strong>27 Nov</strong>." stays "27 Nov."."""

_HEADING = re.compile(r'<h([1-6]) id="([^"<>]*)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--.*?-->", re.DOTALL)
"""A tag, its one group the name with the slash of a closing tag (``/p``); a comment has no group."""
_EMPTY = re.compile(r"\x02(p|li|ul|ol|code|pre|sub|sup)\x03 ?\x02/\1\x03")
# Kept tags travel as \x02name\x03 while everything else is escaped; the loader refuses control
# characters in YAML and templates contain none, so these cannot come from a page.
_ENTITIES = (
    ("<", "&lt;"),
    (">", "&gt;"),
    ("&#39;", "'"),
    ("&#34;", '"'),
    ("&quot;", '"'),
    ("&#x27;", "'"),
    ("\x02", "<"),
    ("\x03", ">"),
)


def _replacement(key: str | None) -> str:
    """What a tag becomes: a kept tag its bare lower-case copy, an inline tag nothing, any other tag
    (and a comment, ``key`` None) a space."""
    if key is None:
        return " "
    slash = "/" if key.startswith("/") else ""
    name = key[len(slash) :].lower()
    if name in KEEP:
        return f"\x02{slash}{name}\x03"
    return "" if name in INLINE else " "


_REPLACEMENTS: dict[str | None, str] = {None: " "}
"""``_replacement`` by tag key, filled as tags are met: a large site has millions of tags but a few
dozen kinds, and a dictionary look-up in one list comprehension costs a fraction of a call per tag."""


def _learn(key: str | None) -> str:
    return _REPLACEMENTS.setdefault(key, _replacement(key))


def _text(fragment: str) -> str:
    """Visible text of relsite's HTML with bare copies of the ``KEEP`` tags, for the search client.

    Text keeps its entities (``&amp;``, ``&lt;``) except quotes, which the client should match as
    typed. Any ``<`` or ``>`` that is not one of the kept tags (one that stood inside an attribute
    value, say) comes out escaped. Runs of white space become one space: ``str.split`` splits at
    exactly the characters the regular expression ``\\s`` matches, and is several times faster.
    """
    parts = _TAG.split(fragment)  # text, tag key, text, tag key, ..., text
    known = _REPLACEMENTS
    parts[1::2] = [r if (r := known.get(k)) is not None else _learn(k) for k in parts[1::2]]
    text = _EMPTY.sub("", " ".join("".join(parts).split()))
    for old, new in _ENTITIES:
        if old in text:
            text = text.replace(old, new)
    return text.strip()


def entries(url: str, title: str, body: str) -> list[dict[str, str]]:
    """One entry for the text before the first heading, then one per heading with an id."""
    found: list[dict[str, str]] = []
    pos, location, heading = 0, url, escape(title, quote=False)
    for m in _HEADING.finditer(body):
        found.append({"location": location, "title": heading, "text": _text(body[pos : m.start()])})
        location, heading, pos = f"{url}#{m.group(2)}", _text(m.group(3)), m.end()
    found.append({"location": location, "title": heading, "text": _text(body[pos:])})
    return found


class Collector:
    """Entries gathered page by page into a spill file (tens of megabytes at 10,000 releases), then
    appended to the theme's index once it exists."""

    def __init__(self) -> None:
        self._spill: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self._count = 0

    def add(self, url: str, title: str, body: str) -> None:
        found = entries(url, title, body)
        if not found:
            return
        # One dumps for the page: a list's JSON is its items' JSON joined by the separator.
        self._spill.write(("," if self._count else "") + json.dumps(found, separators=(",", ":"))[1:-1])
        self._count += len(found)

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
