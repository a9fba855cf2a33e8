"""The portal's URL map (plan/urls.py): one place for every path, and a prefix that moves them all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from relsite.pipeline import plan_site
from relsite.plan import urls
from relsite.validate.rules import one_release, portfolio_yaml

from .conftest import SITES, TODAY

SUPPORT = SITES / "support" / "releases"


def test_the_reserved_release_ids_of_validate_are_the_archive_names_of_the_url_map() -> None:
    assert frozenset(urls.RESERVED_RELEASE_IDS) == one_release.RESERVED_RELEASE_IDS


def test_the_reserved_environment_names_of_validate_are_the_portfolio_calendars_of_the_url_map() -> None:
    assert portfolio_yaml.RESERVED_ENVIRONMENT_NAMES | {"support"} == frozenset(urls.PORTFOLIO_CALENDARS)


@pytest.mark.parametrize("text", ["portal", "/portal/", "portal/", " portal "])
def test_a_prefix_is_one_folder_spelling(text: str) -> None:
    assert urls.normalise_prefix(text) == "portal/"


@pytest.mark.parametrize("text", ["../up", "a/../b", "http://x/", "a b", "./"])
def test_a_prefix_outside_the_site_or_not_a_folder_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="path must be a folder inside the site"):
        urls.normalise_prefix(text)


def _plan(prefix: str, site_url: str = ""):  # type: ignore[no-untyped-def]
    site, problems, _ = plan_site(SUPPORT, dt.date.fromisoformat(TODAY), site_url, prefix=prefix)
    assert site is not None, problems
    return site


def test_a_prefix_moves_every_page_and_file_and_keeps_every_body() -> None:
    plain, moved = _plan(""), _plan("portal/")
    assert [p.src_uri for p in moved.pages] == ["portal/" + p.src_uri for p in plain.pages]
    assert [p.url for p in moved.pages] == ["portal/" + p.url for p in plain.pages]
    assert [a.path for a in moved.assets] == ["portal/" + a.path for a in plain.assets]
    assert [p.render() for p in moved.pages] == [p.render() for p in plain.pages]


def test_absolute_links_in_feeds_json_and_calendars_follow_the_prefix() -> None:
    site = _plan("portal/", "https://docs.example.org/handbook/")
    assets = {a.path: a for a in site.assets}
    release = json.loads(assets["portal/api/v1/releases.json"].render())["releases"][0]["portal"]
    assert release["url"].startswith("https://docs.example.org/handbook/portal/releases/")
    feed = assets["portal/feed.xml"].render().decode()
    assert 'href="https://docs.example.org/handbook/portal/feed.xml"' in feed
    urls_in_calendar = [
        str(ev.get("url")) for ev in Calendar.from_ical(assets["portal/calendar/releases.ics"].render()).walk("VEVENT")
    ]
    assert urls_in_calendar and all(u.startswith("https://docs.example.org/handbook/portal/") for u in urls_in_calendar)


def test_a_fragment_in_a_host_page_links_into_the_prefixed_portal() -> None:
    fragment = '<a href="releases/R-1/">R-1</a> <a href="#x">x</a> <a href="https://e.org/">e</a>'
    assert (
        urls.from_host_page(fragment, "guide/intro/", "portal/")
        == '<a href="../../portal/releases/R-1/">R-1</a> <a href="#x">x</a> <a href="https://e.org/">e</a>'
    )
