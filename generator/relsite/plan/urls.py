"""The map of the portal: every page, asset, feed, API path and anchor relsite publishes, in one place.

Paths here are relative to the portal's root. Without a prefix that is the site's root (the layout
relsite always had); with one (``path: portal/`` under the plugin) ``rebase`` moves every page and
file under it once the plan is made. Links between portal pages are relative, so a page's body is
the same whatever the prefix; only absolute URLs (feeds, JSON, calendars) and links from the host's
own pages need the prefix, and they get it here too (``portal_url``, ``from_host_page``).

Page functions return the source path MkDocs knows (``…/index.md``); the same name without
``_src`` is the page's directory URL, which is what links use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from relsite.plan.site import Site

# --- anchors --------------------------------------------------------------------------------------

WHEN = "when"
DETAILS = "details"
READINESS = "readiness"
EARLY_LIFE_SUPPORT = "early-life-support"
OPERATIONS = "operations"
TECHNICAL = "technical-changes"
"""Imported notes (towncrier, reno, changesets, commits) on a release or coordinated page."""
UNRELEASED = "unreleased"
"""A service's pending notes, shown as a draft on its page."""


def technical_section(heading: str) -> str:
    """The anchor of one type of technical change: ``technical-changes-bug-fixes``."""
    words = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")
    return f"{TECHNICAL}-{words or 'other'}"


# --- releases -------------------------------------------------------------------------------------

RELEASES = "releases/"
RELEASES_SRC = "releases/index.md"


def archive(name: str) -> str:
    """A year's (or the undated releases') archive: ``releases/2026/``."""
    return f"releases/{name}/"


def archive_src(name: str) -> str:
    return f"releases/{name}/index.md"


def release(release_id: str, anchor: str = "") -> str:
    return f"releases/{release_id}/" + (f"#{anchor}" if anchor else "")


def release_src(release_id: str) -> str:
    return f"releases/{release_id}/index.md"


def handover(release_id: str, anchor: str = "") -> str:
    return f"releases/{release_id}/handover/" + (f"#{anchor}" if anchor else "")


def handover_src(release_id: str) -> str:
    return f"releases/{release_id}/handover.md"


def release_ics(release_id: str) -> str:
    return f"releases/{release_id}/release.ics"


UNSCHEDULED = "unscheduled"
"""The archive of releases without a date (``releases/unscheduled/``)."""
RESERVED_RELEASE_IDS = (UNSCHEDULED,)
"""Ids an archive page already uses besides years (``releases/2026/``): a release id is neither.
validate cannot import plan, so its reserved-names rules hold copies; tests/test_urls.py keeps them equal."""

SUMMARY = "summary"
"""The combined page's first layer: what each release changes."""


def member(release_id: str) -> str:
    """The anchor of one release on a coordinated change's combined page (prefixed: an id may be any
    word, ``summary`` included)."""
    return f"release-{release_id}"


def coordinated(key: str) -> str:
    """The one combined page of a coordinated change (releases naming each other), by its first release id."""
    return f"coordinated/{key}/"


def coordinated_src(key: str) -> str:
    return f"coordinated/{key}/index.md"


# --- services, environments, support ---------------------------------------------------------------

SERVICES = "services/"
SERVICES_SRC = "services/index.md"


def service(name: str, anchor: str = "") -> str:
    return f"services/{name}/" + (f"#{anchor}" if anchor else "")


def service_src(name: str) -> str:
    return f"services/{name}/index.md"


ENVIRONMENTS = "environments/"
ENVIRONMENTS_SRC = "environments/index.md"


def environment(name: str) -> str:
    return f"environments/{name}/"


def environment_src(name: str) -> str:
    return f"environments/{name}/index.md"


SUPPORT = "support/"
SUPPORT_SRC = "support/index.md"

ATTENTION = "attention/"
ATTENTION_SRC = "attention/index.md"


def attention(kind: str) -> str:
    return f"attention/#{kind}"


# --- calendar ---------------------------------------------------------------------------------------

CALENDAR = "calendar/"
CALENDAR_SRC = "calendar/index.md"
AGENDA = "calendar/agenda/"
AGENDA_SRC = "calendar/agenda/index.md"
YEARS = "calendar/years/"
YEARS_SRC = "calendar/years/index.md"


def month(first: dt.date) -> str:
    return f"calendar/{first:%Y-%m}/"


def month_src(first: dt.date) -> str:
    return f"calendar/{first:%Y-%m}/index.md"


def calendar_ics(name: str) -> str:
    """An environment's calendar, or one of the portfolio's (``releases``, ``support``)."""
    return f"calendar/{name}.ics"


RELEASES_ICS = calendar_ics("releases")
SUPPORT_ICS = calendar_ics("support")
FREEZES_ICS = calendar_ics("freezes")
"""The change schedule: one recurring event per freeze and change window (plan/schedule_feeds.py)."""
PORTFOLIO_CALENDARS = ("releases", "support", "freezes")
"""Calendar names the portfolio's own feeds use: an environment may not be called so."""

# --- feeds, API, reference, guides, assets -------------------------------------------------------------

FEED = "feed.xml"
API = "api/v1"


def api(name: str) -> str:
    """A file of the JSON API: ``api/v1/releases.json``."""
    return f"{API}/{name}"


def api_release(release_id: str) -> str:
    return f"{API}/releases/{release_id}.json"


RELEASE_FINDER = api("release-index.json")
CHANGING = "changing/"
CHANGING_SRC = "changing/index.md"
CHANGING_JSON = api("changing.json")


def service_calendar(name: str) -> str:
    """A service's calendar feed (its releases' events and its support dates)."""
    return f"calendar/services/{name}.ics"


EOL_API = "api/eol/v1"
"""The endoflife.date-shaped API (plan/eol_api.py lays out the files under it)."""
EOL_FULL_LISTING = "full"
"""``products/full/``: every product in one document, beside ``products/<service>/``, so no service
with support lines may be called so (validate's config.reserved-names holds a copy)."""


def eol_product(name: str) -> str:
    return f"{EOL_API}/products/{name}/index.json"


CLE_DIR = "api/cle"


def cle_document(name: str) -> str:
    """A service's ECMA-428 CLE document."""
    return f"{CLE_DIR}/{name}.json"


ATTENTION_JSON = api("attention.json")
FREEZES_JSON = api("freezes.json")
FREEZES_SCHEMA = api("freezes.schema.json")
SUPPORT_JSON = api("support.json")

FIELDS = "reference/fields/"
FIELDS_SRC = "reference/fields/index.md"
RULES = "reference/rules/"
RULES_SRC = "reference/rules/index.md"
PROPOSE_SRC = "guides/propose.md"
"""The authors' guide the plugin ships; a site's own page at the same path wins."""

STYLESHEET = "assets/relsite.css"
SCRIPT = "assets/relsite.js"

# --- the prefix -------------------------------------------------------------------------------------

_PREFIX = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*/)*")


def normalise_prefix(text: str) -> str:
    """``portal``, ``/portal/`` and ``portal/`` all mean ``portal/``; empty means the site's root.
    Raises ValueError for anything that is not a plain relative folder path."""
    cleaned = text.strip().strip("/")
    prefix = f"{cleaned}/" if cleaned else ""
    if not _PREFIX.fullmatch(prefix) or any(part in {".", ".."} for part in prefix.split("/")):
        raise ValueError(f"path must be a folder inside the site such as 'portal/', got {text!r}")
    return prefix


def portal_url(site_url: str, prefix: str) -> str:
    """The absolute URL of the portal's root (feeds and JSON link to pages by it); empty if unknown."""
    if not site_url:
        return ""
    return (site_url if site_url.endswith("/") else site_url + "/") + prefix


def rebase(site: Site, prefix: str) -> Site:
    """Move every page and file of the planned site under ``prefix``. A page's body keeps the links
    it was planned with: they are relative, and the pages they point at moved with it."""
    if not prefix:
        return site
    site.pages = [dataclasses.replace(p, src_uri=prefix + p.src_uri, url=prefix + p.url) for p in site.pages]
    site.assets = [dataclasses.replace(a, path=prefix + a.path) for a in site.assets]
    site.prefix = prefix
    return site


_SITE_RELATIVE_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#|/)')


def from_host_page(fragment: str, page_url: str, prefix: str) -> str:
    """A fragment planned with portal-relative links, made relative to the host page at ``page_url``."""
    up = "../" * page_url.count("/") + prefix
    return _SITE_RELATIVE_HREF.sub('href="' + up, fragment) if up else fragment
