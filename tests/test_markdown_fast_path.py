"""Contributor text that needs no Markdown skips the Markdown pipeline; the HTML must be identical."""

from __future__ import annotations

import string

import nh3
from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.plan import markup as render


def _full(text: str) -> str:
    html = render._markdown().reset().convert(text)
    return nh3.clean(
        html,
        tags=render.ALLOWED_TAGS,
        attributes=render.ALLOWED_ATTRIBUTES,
        url_schemes=render.URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=string.printable + "äéß€“”’—", max_size=120))
def test_the_fast_path_gives_what_markdown_gives(text: str) -> None:
    fast = render._plain_paragraph(text)
    if fast is not None:
        assert fast == _full(text)


def test_ordinary_sentences_take_the_fast_path() -> None:
    assert (
        render._plain_paragraph("Checkout with a card is about two seconds faster.")
        == "<p>Checkout with a card is about two seconds faster.</p>"
    )
    assert render._plain_paragraph("Checkout is **faster**.") is None
    assert render._plain_paragraph("<script>alert(1)</script>") is None


_PIECES = st.sampled_from(
    [
        "word",
        "Two words",
        " ",
        "  ",
        ".",
        ",",
        "(",
        ")",
        "-",
        "'",
        '"',
        "1.",
        "2)",
        "**",
        "*",
        "**bold**",
        "**two words**",
        "**x**",
        "***",
        "[",
        "]",
        "[link](https://wiki.example.com/content/498)",
        "[a b](http://x.example/a-b/c.html)",
        "[l](https://x.example)",
        "(https://x.example/)",
        "https://x.example/a",
        "_",
        "`",
        "<",
        "&",
        "#",
        "\n",
        ":",
        "é",
        "\t",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_the_bold_and_links_fast_path_gives_what_markdown_gives(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = render._bold_and_links_paragraph(text)
    if fast is not None:
        assert fast == _full(text)


def test_sentences_with_bold_words_and_web_links_take_the_second_fast_path() -> None:
    text = "Faster checkout with **bold** text and a [link](https://wiki.example.com/content/498)."
    assert render._bold_and_links_paragraph(text) == _full(text)
    assert render._bold_and_links_paragraph("Checkout is **faster** than `before`.") is None
