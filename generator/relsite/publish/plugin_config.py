"""The plugin's options in mkdocs.yml (``plugins: - relsite: ...``), as MkDocs config classes.

Kept apart from the plugin's hooks, as MkDocs keeps its own options in ``mkdocs/config/``: the
docstrings under each option are what a site's author reads.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NavEntryConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """False: the portal adds nothing to the navigation (the site lists its pages itself)."""
    title = c.Type(str, default="Releases")
    position: c.Type[int | str] = c.Type((int, str), default="end")
    """``start``, ``end``, or the index among the navigation's top-level entries."""


class SecretsConfig(base.Config):
    site_pages = c.Optional(c.Choice(("error", "warn", "off")))
    """How the site's own pages are judged (publish/secret_gate.py); unset: an issuer's token format
    fails the build, a URL with a password or a "password: X" phrase is a warning."""


class RelsiteConfig(base.Config):
    releases = c.Type(str, default="releases")
    """Folder of release YAML files, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Date the status is shown as of (YYYY-MM-DD); RELSITE_TODAY overrides; default: the build day."""
    fast_paths = c.Choice(("auto", "on", "off"), default="auto")
    """Use relsite's fast paths into MkDocs and Material internals (see publish/internals.py):
    auto where the versions were verified; off builds the same pages by documented means only."""
    path = c.Type(str, default="")
    """The folder the portal lives in within the site (``portal/``); empty: the site's root."""
    nav_entry = c.SubConfig(NavEntryConfig)
    """The portal's one entry in the site's navigation, unless the site's nav already lists a portal page."""
    secrets = c.SubConfig(SecretsConfig)
