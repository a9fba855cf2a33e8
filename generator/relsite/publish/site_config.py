"""The few settings of a site's mkdocs.yml that relsite needs before an engine runs.

Read with a YAML loader that accepts any tag (``!ENV``, ``!!python/name:``) and keeps it as
plain data: relsite only looks at ``docs_dir``, ``site_dir`` and the relsite plugin's options, and
the engine itself reads the file properly afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _AnyTag(yaml.SafeLoader):
    pass


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_AnyTag.add_multi_constructor("", _untagged)


@dataclass(frozen=True)
class SiteConfig:
    project: Path
    docs_dir: Path
    site_dir: Path
    releases: Path
    today: str | None
    site_pages: str | None = None
    """The plugin's ``secrets: {site_pages: ...}`` (publish/secret_gate.py), for engines that run no plugin."""


def read_site_config(config_file: Path) -> SiteConfig:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTag) or {}
    if not isinstance(data, dict):
        data = {}
    project = config_file.resolve().parent
    options: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("relsite"), dict):
            options = entry["relsite"]
    plugins = data.get("plugins")
    if isinstance(plugins, dict) and isinstance(plugins.get("relsite"), dict):
        options = plugins["relsite"]
    secrets = options.get("secrets")
    site_pages = secrets.get("site_pages") if isinstance(secrets, dict) else None
    return SiteConfig(project, project / str(data.get("docs_dir") or "docs"), project / str(data.get("site_dir") or "site"),
                      project / str(options.get("releases") or "releases"), str(options["today"]) if options.get("today") else None,
                      site_pages if site_pages in ("error", "warn", "off") else None)
