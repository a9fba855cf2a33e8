"""The live preview in Chromium: the problems overlay appears on a broken save and goes on the next
good one, and a save reloads the open page by itself."""

from __future__ import annotations

from typing import Any

import pytest

from relsite.publish.live_server import OVERLAY_ID
from tests.support.live import Live, live

__all__ = ["live"]

pytestmark = [pytest.mark.site, pytest.mark.browser]

PAGE = "releases/REL-2026-014/"
TITLE = "title: Payments gateway 4.2"


def test_a_save_reloads_the_open_page_with_the_new_title(live: Live, page: Any) -> None:
    page.goto(live.url + PAGE)
    page.evaluate("window.relsiteBeforeSave = true")
    page.wait_for_timeout(300)  # the event stream is open
    live.save("REL-2026-014", TITLE, "title: Payments gateway 4.2 reloaded")
    page.wait_for_function("document.title.includes('4.2 reloaded')", timeout=15000)
    assert page.evaluate("window.relsiteBeforeSave === undefined")


def test_the_overlay_appears_on_a_broken_save_and_goes_on_the_next_good_one(live: Live, page: Any) -> None:
    page.goto(live.url + PAGE)
    page.wait_for_timeout(300)
    live.save("REL-2026-014", TITLE, "title: [Payments gateway 4.2")
    overlay = page.wait_for_selector(f"#{OVERLAY_ID}", timeout=15000)
    assert "REL-2026-014.yaml:4:8: error:" in overlay.inner_text()
    live.save("REL-2026-014", "title: [Payments gateway 4.2", "title: Payments gateway 4.2 mended")
    page.wait_for_function("document.title.includes('4.2 mended')", timeout=15000)
    assert page.query_selector(f"#{OVERLAY_ID}") is None


def test_the_live_preview_loads_nothing_from_other_hosts(live: Live, page: Any) -> None:
    page.goto(live.url + PAGE)
    page.wait_for_timeout(500)
    assert page.requests and all(url.startswith(live.url) for url in page.requests)
