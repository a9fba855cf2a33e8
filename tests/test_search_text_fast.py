"""The search text of a section is cut without a call per tag; it must equal the straightforward cut."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.publish import search_index
from relsite.publish.search_index import INLINE, KEEP

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"\s+")


def _tag(m: re.Match[str]) -> str:
    name = (m.group(2) or "").lower()
    if name in KEEP:
        return f"\x02{m.group(1)}{name}\x03"
    return "" if name in INLINE else " "


def _reference(fragment: str) -> str:
    """The cut as first written: one callback per tag, white space collapsed by a regular expression."""
    text = _SPACE.sub(" ", _TAG.sub(_tag, fragment))
    text = search_index._EMPTY.sub("", text)
    for old, new in search_index._ENTITIES:
        text = text.replace(old, new)
    return text.strip()


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<P class='x'>",
        "</LI>",
        "<li>",
        "<ul>",
        "</ul>",
        "<code>",
        "</code>",
        "<strong>",
        "</strong>",
        "<Em>",
        '<a href="https://x.example/" title="a>b">',
        "</a>",
        '<td data-label="W">',
        "</td>",
        "<br>",
        "<!-- c <p> -->",
        "<h4>",
        "</h4>",
        "&amp;",
        "&#39;",
        "&quot;",
        "&lt;",
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        "\u2003",
        "\x1c",
        "\u3000",
        "word",
        "Wörd",
        "<",
        ">",
        "x<y",
        "<1>",
        "\x85",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_the_fast_cut_equals_the_callback_cut(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    assert search_index._text(fragment) == _reference(fragment)


def test_str_split_and_the_regex_agree_on_what_white_space_is() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if _SPACE.fullmatch(chr(c))]
    assert spaces == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(len(f"a{s}b".split()) == 2 for s in spaces)
