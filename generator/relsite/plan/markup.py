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
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup, escape

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


# The next most common kind: such a sentence with words in bold and plain web links, as in "now
# **twice** as fast, see [the report](https://wiki.example.com/perf)". Each construct is recognised
# only in a narrow form (letters, digits and spaces inside; a URL of unreserved characters), and
# the text around them must pass _plain_paragraph; anything else takes the Markdown pipeline.
# Equivalence with the full path is checked by a property test (tests/test_markdown_fast_path.py).
_WORDS = r"[A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?"
_INLINE = re.compile(rf"\*\*({_WORDS})\*\*|\[({_WORDS})\]\((https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9./-]*)?)\)")
_LINK_REL = "noopener noreferrer nofollow"


def _bold_and_links_paragraph(text: str) -> str | None:
    body = text.rstrip("\n")
    if "\n" in body or "**" not in body and "](" not in body:
        return None
    if _plain_paragraph(_INLINE.sub("x", body)) is None:
        return None
    html = _INLINE.sub(
        lambda m: f"<strong>{m[1]}</strong>" if m[1] else f'<a href="{m[3]}" rel="{_LINK_REL}">{m[2]}</a>', body
    )
    return f"<p>{html}</p>"


@lru_cache(maxsize=65536)
def _markdown_html(text: str) -> str:
    fast = _plain_paragraph(text)
    if fast is None:
        fast = _bold_and_links_paragraph(text)
    if fast is not None:
        return fast
    md = _markdown()
    html = md.reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=_LINK_REL,
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


def _escape_inner_fallback(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    )


try:  # MarkupSafe's own C escaping, without wrapping the result in a Markup object
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - MarkupSafe without its C extension
    _escape_inner = _escape_inner_fallback


def escape_output(value: object) -> str:
    """What ``{{ value }}`` writes, as ``markupsafe.escape`` writes it; a plain string comes back as
    a ``str`` rather than a ``Markup``. Autoescaping templates call the escape function for every
    value they print, millions of times in a large site, and joins its results right away, so the
    Markup wrapper (most of the cost of a call) was thrown away unused."""
    cls = value.__class__
    if cls is str:
        return _escape_inner(value)  # type: ignore[arg-type]
    if cls is Markup:
        return value  # type: ignore[return-value]  # already safe: escape() would copy it unchanged
    return escape(value)


class _Template(Template):
    """A template whose printed values are escaped by ``escape_output``. Jinja's generated code
    names the escape function as a global of the template's own namespace; it is swapped only when
    it is MarkupSafe's, so a Jinja that compiles differently renders exactly as before."""

    @classmethod
    def from_code(cls, environment: Environment, code: Any, globals: Any, uptodate: Any = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is escape:
            namespace["escape"] = escape_output
        return template


# --- the smallest, most called macros, as functions -------------------------------------------
# A Jinja macro call costs several Python calls of bookkeeping (a Macro object, a new frame, the
# caller's context) around a few lines of output; a release page calls these dozens of times. Their
# output is exactly the macros' (tests/test_template_helpers.py renders both). _macros.html.j2
# exports them under the macros' names, so templates import them as before.


def _attr(obj: object, name: str) -> object:
    return environment().getattr(obj, name)  # as a template reads ``obj.name``


def badge(kind: object, value: object, text: object = None) -> Markup:
    k, v = escape_output(kind), escape_output(value)
    shown = text or label(value)  # type: ignore[arg-type]
    return Markup(f'<span class="rs-badge rs-{k} rs-{k}-{v}">{escape_output(shown)}</span>')


def as_of(a: object) -> Markup:
    iso, text = escape_output(_attr(a, "iso")), escape_output(_attr(a, "text"))
    return Markup(f'<p class="rs-asof" data-rs-built="{iso}">Status as of <strong>{text}</strong>.</p>\n')


def table_open(kind: object = "", attrs: object = "") -> Markup:
    marked = f' data-rs="{escape_output(kind)}"' if kind else ""
    return Markup(
        f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table rs-table"><table{marked}'
        f"{escape_output(attrs)}>"
    )


def table_close() -> Markup:
    return Markup("</table></div></div>")


def html_link(link: object, u: Any) -> Markup:
    href, text = escape_output(u(_attr(link, "href"))), escape_output(_attr(link, "text"))
    return Markup(f'<a href="{href}">{text}</a>')


def calendar_entry(e: Any, u: Any) -> Markup:
    """An event in the calendar grid or the agenda (the most called macro of calendar pages)."""
    get = environment().getattr
    time, env_label, env = get(e, "time"), get(e, "env_label"), get(e, "env")
    body = (f'<span class="rs-time">{escape_output(time)}</span> ' if time else "") + (
        f'<span class="rs-envtag">{escape_output(env_label)}:</span> ' if env_label else ""
    )
    body += escape_output(get(e, "text"))
    css, tip, kind = escape_output(get(e, "css")), escape_output(get(e, "tip")), escape_output(get(e, "kind"))
    data_env = f' data-env="{escape_output(env)}"' if env else ""
    href = get(e, "href")
    if href:
        colour = get(e, "colour")
        html = (
            f'<a class="{css}" href="{escape_output(u(href))}" title="{tip}" data-kind="{kind}"{data_env}'
            f' data-service="{escape_output(get(e, "service"))}"'
            + (f' style="--rs-ev: {escape_output(colour)}"' if colour else "")
            + f">{body}</a>\n"
        )
    else:
        html = f'<span class="{css}" title="{tip}" data-kind="{kind}">{body}</span>'
    conflicts = get(e, "conflicts")
    if conflicts:
        html += (
            f'<span class="rs-conflicts"{data_env}><span class="rs-chip rs-chip-clash">⚠ clash</span>\n'
            f"{escape_output(conflicts)}</span>"
        )
    return Markup(html)


def release_rows(rows: Any, u: Any) -> Markup:
    """The rows of a release table (a year page lists thousands). A row whose model keeps its HTML
    (``ReleaseRow.shown``, by the link prefix ``u("")``: links depend on the page's depth alone) is
    written once per depth, and a re-planned index keeps the rows of the releases an edit did not
    touch (view_parts.keep_rows)."""
    base = u("")
    return Markup("".join(_kept_html(r, base, u, _release_row) for r in rows))


def _kept_html(item: Any, base: str, u: Any, write: Any) -> str:
    """``write(item, u)``, kept in ``item.shown`` by link prefix when the item has that dict: the
    HTML of a view-model part reads the part and the page's depth alone."""
    shown = getattr(item, "shown", None)
    html = shown.get(base) if shown is not None else None
    if html is None:
        html = write(item, u)
        if shown is not None:
            shown[base] = html
    assert isinstance(html, str)
    return html


def _release_row(r: Any, u: Any) -> str:
    get = environment().getattr
    readiness = get(r, "readiness")
    tag = ""
    if readiness:
        missing = " rs-readiness-missing" if get(r, "readiness_missing") else ""
        tag = f'<br><span class="rs-readiness-tag{missing}">handover {escape_output(readiness)}</span>'
    return (
        f'<tr data-service="{escape_output(get(r, "service_name"))}" data-status="{escape_output(get(r, "status"))}"'
        f' data-text="{escape_output(get(r, "search_text"))}">\n'
        f'<td class="rs-id" data-label="Release">{html_link(get(r, "release"), u)} {escape_output(get(r, "title"))}'
        f" {badge('type', get(r, 'type'))}</td>\n"
        f'<td class="rs-prod" data-label="Production" data-sort="{escape_output(get(r, "production_sort"))}">'
        f"<strong>{escape_output(get(r, 'production'))}</strong></td>\n"
        f'<td data-label="Service">{html_link(get(r, "service"), u)} {escape_output(get(r, "version"))}</td>\n'
        f'<td data-label="Status">{badge("status", get(r, "status"))}{tag}</td>\n'
        f'<td data-label="Risk">{badge("risk", get(r, "risk"))}</td>\n'
        "</tr>\n"
    )


def live_version(c: Any, u: Any) -> Markup:
    """What is live in one cell: the version, since when, how its line stands. A cell that keeps its
    HTML (``LiveCell.shown``, by link prefix) is written once per depth; a re-planned index keeps
    the cells of the lines an edit did not touch."""
    return Markup(_kept_html(c, u(""), u, _live_version))


def _live_version(c: Any, u: Any) -> str:
    get = environment().getattr
    release = get(c, "release")
    if not release:
        return '<span class="rs-empty">nothing recorded</span>'
    ended, support = get(c, "ended"), get(c, "support")
    mark = f" {badge('phase', 'end_of_life', 'past end of life')}" if ended else ""
    note = f"; {escape_output(support)}" if support and not ended else ""
    return (
        f'<a href="{escape_output(u(get(release, "href")))}">{escape_output(get(c, "version"))}</a>{mark}'
        f"<br><small>since {escape_output(get(c, 'since'))}{note}</small>"
    )


def live_rows(rows: Any, environments: Any, u: Any) -> Markup:
    """The rows of the environments page's "Live now" table: a service (or line) per row, a cell per
    environment (thousands of cells at 10,000 releases, each written once: ``live_version``)."""
    get = environment().getattr
    labels = [escape_output(get(e, "text")) for e in environments]
    out = []
    for row in rows:
        line = get(row, "line")
        out.append(
            f'<tr><th scope="row">{html_link(get(row, "service"), u)}'
            + (f"<br><small>{escape_output(line)}</small>" if line else "")
            + "</th>\n"
        )
        for i, c in enumerate(get(row, "cells")):
            ended = " data-ended" if get(c, "ended") else ""
            out.append(
                f'<td data-env="{escape_output(get(c, "env"))}" data-service="{escape_output(get(c, "service"))}"'
                f' data-label="{labels[i]}"{ended}>{live_version(c, u)}</td>\n'
            )
        out.append("</tr>\n")
    return Markup("".join(out))


def live_version_rows(versions: Any, u: Any) -> Markup:
    """The rows of an environment page's "Live versions" table, each written once per depth when it
    keeps its HTML (``LiveVersion.shown``: a re-planned index keeps those of untouched lines)."""
    base = u("")
    return Markup("".join(_kept_html(lv, base, u, _live_version_row) for lv in versions))


def _live_version_row(lv: Any, u: Any) -> str:
    get = environment().getattr
    c = get(lv, "cell")
    ended, line, support = get(c, "ended"), get(c, "line"), get(c, "support")
    return (
        f"<tr{' data-ended' if ended else ''}>\n"
        f'<td data-label="Service">{html_link(get(lv, "service"), u)}'
        + (f"<br><small>{escape_output(line)}</small>" if line else "")
        + f'</td>\n<td data-label="Version">{escape_output(get(c, "version"))}'
        + (f" {badge('phase', 'end_of_life', 'past end of life')}" if ended else "")
        + f'</td>\n<td data-label="Release">{html_link(get(c, "release"), u)}</td>\n'
        f'<td data-label="Since">{escape_output(get(c, "since"))}'
        + (f"<br><small>{escape_output(support)}</small>" if support and not ended else "")
        + "</td></tr>"
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("relsite.plan", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # packaged templates do not change while a build runs: no stat per render
    )
    env.template_class = _Template
    env.filters.update(md=md_block, mdi=md_inline, link=link, label=label)
    env.globals["urls"] = urls  # every path a template links to comes from the portal's map
    env.globals.update(
        rs_badge=badge,
        rs_as_of=as_of,
        rs_table_open=table_open,
        rs_table_close=table_close,
        rs_link=html_link,
        rs_calendar_entry=calendar_entry,
        rs_release_rows=release_rows,
        rs_live_version=live_version,
        rs_live_rows=live_rows,
        rs_live_version_rows=live_version_rows,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
