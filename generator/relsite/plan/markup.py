"""Contributor text to safe HTML, and the Jinja environment that lays pages out.

Text from YAML is Markdown with raw HTML switched off (``<`` becomes text), rendered by a private
Markdown instance with no extensions, so the site's own extensions (snippets, includes) never see
contributor text; the HTML is then cleaned by nh3 with an allow-list, and links keep only http,
https and mailto. Templates autoescape everything else.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from relsite.plan import urls
from relsite.plan.formatting import label

ALLOWED_TAGS = {
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "br",
    "hr",
    "del",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=[], output_format="html")
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.md = md
    return md


# Text in which Markdown has nothing to do: no inline markup characters, no block constructs at a
# line start, a single paragraph. Most release-note items are such sentences; for them the result
# is the escaped text in a paragraph, without the (slow) Markdown pipeline. Equivalence with the full
# path is checked by a property test.
_NEEDS_MARKDOWN = re.compile(
    r"[\\`*_\[\]<>&#!|~:\r\t\x0b\x0c]|^\s*(?:[-+*=]|\d+[.)])|^ {4}|\n\s*\n|  \n|^\s*$|\n\s", re.MULTILINE
)


def _plain_paragraph(text: str) -> str | None:
    body = text.rstrip("\n")  # block scalars end in a newline, which Markdown drops
    if not body or body != body.strip() or _NEEDS_MARKDOWN.search(body):
        return None
    return f"<p>{body}</p>"


@lru_cache(maxsize=65536)
def _markdown_html(text: str) -> str:
    fast = _plain_paragraph(text)
    if fast is not None:
        return fast
    md = _markdown()
    html = md.reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def md_block(text: str | None) -> Markup:
    """Markdown text from a contributor as a safe HTML block."""
    return Markup(_markdown_html(text)) if text else Markup("")


def md_inline(text: str | None) -> Markup:
    """The same, without the wrapping paragraph, for table cells and list items."""
    html = _markdown_html(text) if text else ""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def link(url: str | None) -> str:
    """A URL from YAML usable as href: only http(s) and mailto, anything else becomes nothing."""
    if url and url.split(":", 1)[0].lower() in URL_SCHEMES:
        return url
    return ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("relsite.plan", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(md=md_block, mdi=md_inline, link=link, label=label)
    env.globals["urls"] = urls  # every path a template links to comes from the portal's map
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
