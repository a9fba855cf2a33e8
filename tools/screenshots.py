"""Screenshots of the built site, so anyone can look at the portal without building it by hand.

    python tools/screenshots.py [--site site] [--out screenshots]

Serves the built site on a free localhost port and photographs the key pages in headless Chromium
(the system binary, /usr/bin/chromium, driven by Playwright).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PAGES = {
    "home": "",
    "releases-index": "releases/",
    "release": "releases/REL-2026-014/",
    "release-breaking": "releases/REL-2026-005/",
    "handover": "releases/REL-2026-014/handover/",
    "handover-incomplete": "releases/REL-2026-013/handover/",
    "environments": "environments/",
    "environment-prod": "environments/prod/",
    "service": "services/payments/",
    "calendar": "calendar/",
    "calendar-agenda": "calendar/agenda/",
    "attention": "attention/",
    "support": "support/",
    "service-cpython": "services/cpython/",
}
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--sizes", default="desktop,phone", help="desktop (1366x900), phone (390x844), or both")
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server, base = serve(args.site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for size in args.sizes.split(","):
                width, height = SIZES[size]
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in PAGES.items():
                    if args.only and name not in args.only.split(","):
                        continue
                    if not (args.site / path / "index.html").exists():
                        continue
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(args.out / f"{name}-{size}.png"), full_page=True)
                    print(args.out / f"{name}-{size}.png")
                    timeline = page.locator("figure.rs-timeline").first
                    if timeline.count():  # the support timeline on its own, as readers meet it
                        timeline.screenshot(path=str(args.out / f"{name}-timeline-{size}.png"))
                        print(args.out / f"{name}-timeline-{size}.png")
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
