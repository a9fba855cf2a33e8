"""`relsite init [DIR]`: start a release portal, or add one to an existing MkDocs site.

Writes only files that do not exist yet, never over one: a new portal gets everything (mkdocs.yml,
releases/ with portfolio.yaml and an example release, content/index.md, the JSON Schemas for
editors, CI workflows and a pre-commit config); an existing MkDocs project gets what it lacks,
and is told the one line to add to its mkdocs.yml. A workflow whose name the repository already
uses for something else is written beside it as ``relsite-<name>``; ``.gitignore`` only gains the
lines it lacks. Every YAML file is emitted value by value and read back before anything is
written; the portfolio and the example release are checked by relsite's own validate first.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from relsite.cli.errors import no_traceback
from relsite.cli.install_spec import EXPRESSION, default_spec, parse_spec
from relsite.cli.yaml_text import expect, fill, read_back, refuse_unprintable, scalar
from relsite.problems import printable

WORKFLOWS = ("validate.yml", "pr-comment.yml", "publish.yml")
IGNORED = (".cache/", "__pycache__/")
"""Besides the site folder: Material's plugin caches and Python's byte code."""


def _known_zone(value: str) -> str:
    from relsite.validate.models import PortfolioConfig

    try:
        PortfolioConfig.model_validate(
            {"name": "x", "timezone": value, "environments": [{"name": "prod", "production": True}]}
        )
    except Exception:  # noqa: BLE001 - any refusal means the zone is unknown
        raise click.BadParameter(
            f"{value!r} is not a known IANA time zone (e.g. Europe/Berlin, America/New_York)"
        ) from None
    return value


def _ask(value: str | None, prompt: str, default: str, option: str, defaults: list[str]) -> str:
    if value is not None:
        return value
    if sys.stdin.isatty():
        return str(click.prompt(prompt, default=default))
    defaults.append(f"{option} {shlex.quote(default)}")
    return default


def _show(path: Path) -> str:
    return printable(Path(os.path.relpath(path)).as_posix())


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="Organisation or portfolio name (shown in the site header).")
@click.option("--timezone", "zone", help="IANA time zone, e.g. Europe/Berlin; times without an offset are read in it.")
@click.option(
    "--relsite-spec",
    "spec",
    help="What the workflows and the pre-commit hook install: a version (1.2.0), a wheel URL, "
    "a git URL (git+https://...@tag) or a requirement. Default: where this relsite came from, else relsite==VERSION.",
)
@no_traceback
def init_command(directory: Path, name: str | None, zone: str | None, spec: str | None) -> None:
    """Start a release portal in DIRECTORY (default: here), or add one to the MkDocs site there.

    Asks for what the options do not give when run in a terminal; never overwrites a file.
    """
    from relsite.publish.site_config import read_site_config
    from relsite.validate.schema_export import render_all

    defaults: list[str] = []
    name = refuse_unprintable(
        _ask(name, "Organisation name", "Example Corp", "--name", defaults).strip() or "Example Corp", "--name"
    )
    zone = _known_zone(_ask(zone, "Time zone (IANA)", "UTC", "--timezone", defaults))
    requirement = parse_spec(spec) if spec is not None else default_spec()
    directory = Path(os.path.abspath(directory))
    config = directory / "mkdocs.yml"
    existing_site = config.exists()
    site = read_site_config(config) if existing_site else None
    docs = site.docs_dir if site else directory / "content"
    files: dict[Path, str] = {
        **_portfolio_files(directory / "releases", name, zone),
        docs / "index.md": fill("index.md.tmpl", title=_markdown_text(f"{name} release portal")),
        directory / ".pre-commit-config.yaml": _pre_commit(requirement),
    }
    if not existing_site:
        files[config] = _mkdocs_yml(name)
    files.update({directory / "schema" / schema: text for schema, text in render_all().items()})
    if (directory / "releases").is_dir() and any((directory / "releases").glob("*.yaml")):
        files = {p: t for p, t in files.items() if p.parent != directory / "releases"}  # a portfolio is already there
    named = {path for path in files if path.parent == directory / "releases"} | {
        docs / "index.md",
        config,
    }  # hold name or zone
    site_dir = site.site_dir if site else directory / "site"
    workflows = _workflows(requirement, directory, docs, site_dir)  # made (and refused) before anything is written
    directory.mkdir(parents=True, exist_ok=True)
    written = {path for path, text in files.items() if _write_new(path, text)}
    # The defaults are worth a word only where they went into a file; a second run keeps every file.
    notes = (
        [f"no terminal: used {' and '.join(defaults)} (pass the options to choose)"]
        if defaults and written & named
        else []
    )
    notes += _write_workflows(directory / ".github" / "workflows", workflows)
    _extend_gitignore(directory / ".gitignore", site_dir, directory)
    click.echo(f"\nThe workflows and the pre-commit hook install {requirement} (choose with --relsite-spec).")
    for note in notes:
        click.echo(note)
    if existing_site and "relsite" not in config.read_text(encoding="utf-8"):
        click.echo(
            "\nAdd the plugin to mkdocs.yml (relsite does not edit your configuration):\n\n"
            "plugins:\n  - search\n  - relsite:\n      releases: releases\n"
        )
    where = _show(directory)
    click.echo(f"\nNext: relsite validate {where}/releases, then relsite build -f {where}/mkdocs.yml")


def _write_new(path: Path, text: str) -> bool:
    if path.exists():
        click.echo(f"kept   {_show(path)} (exists)")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    click.echo(f"wrote  {_show(path)}")
    return True


def _markdown_text(text: str) -> str:
    from relsite.plan.change_summary import md_text

    return md_text(text)


def site_name(name: str) -> str:
    """mkdocs.yml's ``site_name`` for the organisation ``name``, HTML-escaped: MkDocs, ProperDocs and
    Zensical themes print site_name as HTML in every page's header, title and attributes, so a name
    such as ``R&D <Ops>`` would vanish and ``<img onerror=...>`` would run on every page."""
    import html

    return f"{html.escape(name, quote=True)} release portal"


def _mkdocs_yml(name: str) -> str:
    text = fill("mkdocs.yml.tmpl", site_name=scalar(site_name(name)))
    expect(read_back(text, "mkdocs.yml"), ("site_name",), site_name(name), "mkdocs.yml")
    return text


def _portfolio_files(releases: Path, name: str, zone: str) -> dict[Path, str]:
    """portfolio.yaml and the example release (the skeleton `relsite new` writes), each checked by
    validate in a scratch folder before either is written."""
    from relsite.cli import formats
    from relsite.cli.scaffold import release_yaml
    from relsite.validate.checker import check_folder

    portfolio = fill("portfolio.yaml.tmpl", name=scalar(name, quoted=True), timezone=scalar(zone))
    expect(read_back(portfolio, "portfolio.yaml"), ("name",), name, "portfolio.yaml")
    prod_day = dt.date.today() + dt.timedelta(days=21)
    rid = f"REL-{prod_day.year}-001"
    with tempfile.TemporaryDirectory(prefix="relsite-init-") as tmp:
        trial = Path(tmp) / "releases"
        trial.mkdir()
        (trial / "portfolio.yaml").write_text(portfolio, encoding="utf-8")
        result = check_folder(trial)
        release = ""
        if result.portfolio is not None:
            release = release_yaml(
                rid,
                result.portfolio,
                service="example-service",
                kind="minor",
                title="Example service 1.0",
                version="1.0.0",
                prod_date=prod_day,
                owner="example-team",
                schema_path="../schema/release.schema.json",
                intro=(
                    "An example release; `relsite new` writes the next one for you. Delete it when you have your own."
                ),
            )
            (trial / f"{rid}.yaml").write_text(release, encoding="utf-8")
            result = check_folder(trial)
    if result.errors:
        # The options are the only input: a name validate refuses (too long, say) is a usage problem, exit 2.
        shown = [replace(p, file=_show(releases / p.file.rsplit("/", 1)[-1])) for p in result.errors]
        click.echo(formats.as_text(len({p.file for p in shown}), shown), nl=False, err=True)
        click.echo(
            "relsite: nothing was written: the portfolio made from --name and --timezone does not validate", err=True
        )
        sys.exit(2)
    return {releases / "portfolio.yaml": portfolio, releases / f"{rid}.yaml": release}


def _pre_commit(requirement: str) -> str:
    text = fill(
        "pre-commit-config.yaml.tmpl", spec=scalar(requirement, quoted=True), files=scalar(r"^releases/.*\.ya?ml$")
    )
    expect(
        read_back(text, ".pre-commit-config.yaml"),
        ("repos", 0, "hooks", 0, "additional_dependencies"),
        [requirement],
        ".pre-commit-config.yaml",
    )
    return text


def _workflows(requirement: str, directory: Path, docs: Path, site_dir: Path) -> dict[str, str]:
    """The three workflows; validate's path filters follow the site's docs_dir and the releases
    folder, so a change to either runs the checks; the build writes to the site's site_dir (passed
    to the shell through the environment, never spliced into a command)."""
    docs_rel = Path(os.path.relpath(docs, directory)).as_posix()
    site_rel = Path(os.path.relpath(site_dir, directory)).as_posix()
    paths = ["releases/**", *([f"{docs_rel}/**"] if not docs_rel.startswith("..") else []), "mkdocs.yml"]
    for key, value in (("docs_dir", docs_rel), ("site_dir", site_rel)):
        if EXPRESSION in value:
            click.echo(
                f"mkdocs.yml: error: {key} {printable(value)!r} holds {EXPRESSION!r}, which GitHub Actions would "
                "evaluate in the workflows (a secret could end up in a path); nothing was written",
                err=True,
            )
            sys.exit(1)
    out = {}
    for workflow in WORKFLOWS:
        text = fill(
            workflow + ".tmpl",
            spec=scalar(requirement, quoted=True),
            site_dir=scalar(site_rel, quoted=True),
            paths="[" + ", ".join(scalar(p, quoted=True) for p in paths) + "]",
        )
        data = read_back(text, workflow)
        installs = [
            s["env"]["RELSITE_SPEC"]
            for job in data["jobs"].values()
            for s in job["steps"]
            if "RELSITE_SPEC" in s.get("env", {})
        ]
        expect({"installs": installs}, ("installs",), [requirement], workflow)
        if workflow == "validate.yml":
            expect(data, (True, "pull_request", "paths"), paths, workflow)  # PyYAML reads the key `on` as True
        sites = [
            s["env"]["SITE_DIR"]
            for job in data["jobs"].values()
            for s in job["steps"]
            if "SITE_DIR" in s.get("env", {})
        ]
        expect({"sites": set(sites)}, ("sites",), {site_rel} if workflow != "pr-comment.yml" else set(), workflow)
        out[workflow] = text
    return out


def _write_workflows(folder: Path, workflows: dict[str, str]) -> list[str]:
    """A workflow file of the same name that is not relsite's (often the project's own package
    release, ``publish.yml``) is kept and relsite's goes beside it as ``relsite-<name>``."""
    notes = []
    for name, text in workflows.items():
        path = folder / name
        if path.exists() and "relsite" not in path.read_text(encoding="utf-8", errors="replace"):
            path = folder / f"relsite-{name}"
            if _write_new(path, text):
                notes.append(f"{_show(folder / name)} is not relsite's: relsite's workflow is {_show(path)}")
            continue
        _write_new(path, text)
    return notes


def _extend_gitignore(path: Path, site_dir: Path, directory: Path) -> None:
    """Append the lines .gitignore lacks (the site folder, caches); never rewrite what is there."""
    site_rel = Path(os.path.relpath(site_dir, directory)).as_posix()
    wanted = ([f"/{site_rel}/"] if not site_rel.startswith("..") else []) + list(IGNORED)
    existing = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    have = {line.strip() for line in existing.splitlines()}
    have |= {line.lstrip("/") for line in have} | {"/" + line for line in have}
    missing = [line for line in wanted if line not in have and line.rstrip("/") not in have]
    if not missing:
        return
    with path.open("a", encoding="utf-8") as fh:
        fh.write(
            ("\n" if existing and not existing.endswith("\n") else "")
            + "# relsite: the built site and caches\n"
            + "".join(line + "\n" for line in missing)
        )
    click.echo(f"{'added to' if existing else 'wrote '} {_show(path)}: {', '.join(missing)}")
