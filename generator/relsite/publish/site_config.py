"""The few settings of a site's mkdocs.yml that relsite needs before an engine runs.

Read with a YAML loader that accepts any tag (``!ENV``, ``!!python/name:``) and keeps it as
plain data: relsite only looks at ``docs_dir``, ``site_dir`` and the relsite plugin's options, and
the engine itself reads the file properly afterwards.
"""

from __future__ import annotations

import os
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
    path: str = ""
    """The plugin's ``path:`` (the portal's folder in the site), as written: see plan/urls.py."""
    site_pages: str | None = None
    """The plugin's ``secrets: {site_pages: ...}`` (publish/secret_gate.py), for engines that run no plugin."""
    directory_urls: bool = True
    """``use_directory_urls``: every link relsite writes is a folder URL, so the portal needs it."""
    site_url: str = ""
    """``site_url`` when written as plain text (an ``!ENV`` value is the engine's to resolve): its path is
    where ``relsite serve`` serves the site, as ``mkdocs serve`` does."""


FILE_URLS = "the portal needs use_directory_urls: true (MkDocs' default); this site sets it to false in mkdocs.yml"


class InvalidSiteConfig(Exception):
    """mkdocs.yml cannot be read as a site's configuration; the message is ``file:line:col: error: ...``."""


def _where(config_file: Path, mark: Any) -> str:
    shown = os.path.relpath(config_file)
    return f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark is not None else f"{shown}:1:1"


def _parse(config_file: Path) -> Any:
    try:
        text = config_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSiteConfig(f"{_where(config_file, None)}: error: not UTF-8 text (byte {exc.start})") from None
    try:
        root = yaml.compose(text, Loader=_AnyTag)
        data = _AnyTag(text).construct_document(root) if root is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InvalidSiteConfig(
            f"{_where(config_file, mark)}: error: not valid YAML: {exc.problem or exc.context}"
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise InvalidSiteConfig(f"{_where(config_file, None)}: error: not valid YAML: {exc}") from None
    if root is None or data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidSiteConfig(
            f"{_where(config_file, root.start_mark)}: error: a site's configuration is a mapping of "
            "settings (site_name: ..., nav: ...), not a single value or a list"
        )
    for key in ("docs_dir", "site_dir"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            node: yaml.Node = next((v for k, v in root.value if getattr(k, "value", None) == key), root)
            raise InvalidSiteConfig(
                f"{_where(config_file, node.start_mark)}: error: {key} must be a folder name, such as "
                f"{'docs' if key == 'docs_dir' else 'site'}"
            )
    return data


def read_site_config(config_file: Path) -> SiteConfig:
    """The settings relsite needs; raises InvalidSiteConfig for a file no engine could read."""
    data = _parse(config_file)
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
    return SiteConfig(
        project,
        project / str(data.get("docs_dir") or "docs"),
        project / str(data.get("site_dir") or "site"),
        project / str(options.get("releases") or "releases"),
        str(options["today"]) if options.get("today") else None,
        path=str(options.get("path") or ""),
        site_pages=site_pages if site_pages in ("error", "warn", "off") else None,
        directory_urls=data.get("use_directory_urls") is not False,
        site_url=data["site_url"] if isinstance(data.get("site_url"), str) else "",
    )
