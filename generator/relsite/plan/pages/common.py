"""How a page builder hands its view model to its template."""

from __future__ import annotations

from relsite.plan import markup
from relsite.plan.site import Page, relative, url_of


def page(src_uri: str, title: str, template: str, view: object, toc: tuple[tuple[str, str], ...] = (),
         description: str = "", hide: tuple[str, ...] = ("navigation",), searchable: bool = True, yields_to_host: bool = False) -> Page:
    """A planned page whose body is ``template`` laid out over ``view`` (as ``v``); ``u(path)``
    turns a site-relative link into one relative to this page. The left menu is hidden on desktop
    by default (its one link left the tables 688 px, clipping columns); phones keep it in the drawer."""
    url = url_of(src_uri)

    def body() -> str:
        return markup.render(template, v=view, u=lambda to: relative(url, to))

    return Page(src_uri=src_uri, url=url, title=title, render=body, toc=toc, description=description, hide=hide,
                searchable=searchable, yields_to_host=yields_to_host, template=template, view=view)
