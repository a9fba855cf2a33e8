"""JSON documents from a published portal, read over HTTP(S) for ``relsite gate --portal``.

Untrusted input like a release file: bounded in size and time, refused unless it parses as JSON.
What the documents mean is validate's business (``validate.published``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

MAX_BYTES = 64 * 1024 * 1024
TIMEOUT_S = 30


class PortalError(Exception):
    """The portal could not be read or does not hold what the gate needs (environment trouble)."""


def fetch_json(base: str, path: str) -> Any:
    url = base.rstrip("/") + "/" + path
    if not url.startswith(("http://", "https://")):
        raise PortalError(f"--portal must be an http(s) URL, got {base!r}")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # an HTTP error holds the open response
        raise PortalError(f"cannot read {url}: {getattr(exc, 'reason', exc)}") from None
    if len(body) > MAX_BYTES:
        raise PortalError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than a parser should follow
        raise PortalError(f"{url} is not JSON") from None
