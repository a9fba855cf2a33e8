"""`relsite init [DIR]`: start a release portal, or add one to an existing MkDocs site.

Writes only files that do not exist yet, never over one: a new portal gets everything (mkdocs.yml,
releases/ with portfolio.yaml and an example release, content/index.md, the JSON Schemas for
editors, CI workflows and a pre-commit config); an existing MkDocs project gets what it lacks,
and is told the one line to add to its mkdocs.yml.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from relsite.cli.errors import no_traceback

STARTER = Path(__file__).resolve().parent / "starter"
WORKFLOWS = ("validate.yml", "pr-comment.yml", "publish.yml")


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("relsite")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "0.1.0"


def _fill(template: str, **values: str) -> str:
    text = (STARTER / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _known_zone(value: str) -> str:
    from relsite.validate.models import PortfolioConfig

    try:
        PortfolioConfig.model_validate({"name": "x", "timezone": value, "environments": [{"name": "prod", "production": True}]})
    except Exception:  # noqa: BLE001 - any refusal means the zone is unknown
        raise click.BadParameter(f"{value!r} is not a known IANA time zone (e.g. Europe/Berlin, America/New_York)") from None
    return value


def _ask(value: str | None, prompt: str, default: str) -> str:
    if value is not None:
        return value
    if sys.stdin.isatty():
        return str(click.prompt(prompt, default=default))
    return default


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="Organisation or portfolio name (shown in the site header).")
@click.option("--timezone", "zone", help="IANA time zone, e.g. Europe/Berlin; times without an offset are read in it.")
@no_traceback
def init_command(directory: Path, name: str | None, zone: str | None) -> None:
    """Start a release portal in DIRECTORY (default: here), or add one to the MkDocs site there.

    Asks for what the options do not give when run in a terminal; never overwrites a file.
    """
    from relsite.publish.site_config import read_site_config
    from relsite.validate.schema_export import render_all

    name = _ask(name, "Organisation name", "Example Corp").strip() or "Example Corp"
    zone = _known_zone(_ask(zone, "Time zone (IANA)", "UTC"))
    directory = Path(os.path.abspath(directory))
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "mkdocs.yml"
    existing_site = config.exists()
    docs = read_site_config(config).docs_dir if existing_site else directory / "content"
    today = dt.date.today()
    test_day, prod_day = today + dt.timedelta(days=14), today + dt.timedelta(days=21)
    version = _version()
    files: dict[Path, str] = {
        directory / "releases" / "portfolio.yaml": _fill("portfolio.yaml.tmpl", name_yaml=_yaml_text(name), timezone=zone),
        directory / "releases" / f"REL-{prod_day.year}-001.yaml": _fill(
            "release.yaml.tmpl", rid=f"REL-{prod_day.year}-001", test_day=test_day.isoformat(), prod_day=prod_day.isoformat()),
        docs / "index.md": _fill("index.md.tmpl", name=name),
        directory / ".pre-commit-config.yaml": _fill("pre-commit-config.yaml.tmpl", version=version),
    }
    if not existing_site:
        files[config] = _fill("mkdocs.yml.tmpl", name=name)
    files.update({directory / "schema" / schema: text for schema, text in render_all().items()})
    files.update({directory / ".github" / "workflows" / w: _fill(w + ".tmpl", version=version) for w in WORKFLOWS})
    if (directory / "releases").is_dir() and any((directory / "releases").glob("*.yaml")):
        files = {p: t for p, t in files.items() if p.parent != directory / "releases"}  # a portfolio is already there
    for path, text in files.items():
        shown = Path(os.path.relpath(path)).as_posix()
        if path.exists():
            click.echo(f"kept   {shown} (exists)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
            fh.write(text)
        click.echo(f"wrote  {shown}")
    if existing_site and "relsite" not in config.read_text(encoding="utf-8"):
        click.echo("\nAdd the plugin to mkdocs.yml (relsite does not edit your configuration):\n\n"
                   "plugins:\n  - search\n  - relsite:\n      releases: releases\n")
    where = Path(os.path.relpath(directory)).as_posix()
    click.echo(f"\nNext: relsite validate {where}/releases, then relsite build -f {where}/mkdocs.yml")


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)

