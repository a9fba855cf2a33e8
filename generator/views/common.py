"""What every view passes to its template: the facts, a relative-link maker and the date formatters."""

from __future__ import annotations

from typing import Any

from .. import render
from ..facts import Facts
from ..site import Page, relative, url_of


def page(f: Facts, src_uri: str, title: str, template: str, toc: tuple[tuple[str, str], ...] = (),
         description: str = "", hide: tuple[str, ...] = (), searchable: bool = True, **context: Any) -> Page:
    url = url_of(src_uri)

    def body() -> str:
        return render.render(template, f=f, u=lambda to: relative(url, to), **context)

    return Page(src_uri=src_uri, url=url, title=title, render=body, toc=toc, description=description, hide=hide,
                searchable=searchable)
