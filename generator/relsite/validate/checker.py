"""load -> validate: from a folder of YAML files to a Portfolio and every problem found in it.

Problems are collected, never raised: a person fixing a pull request wants the whole list at once.
This module never prints and never exits.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from relsite.load.folder import Loading, display_path
from relsite.load.reader import Document, SourceMap, load_file
from relsite.problems import Problem, Severity, error
from relsite.validate.allowlist import load_allowlist
from relsite.validate.local_times import ambiguous_time_warnings
from relsite.validate.model_errors import problems_from
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.release_files import PORTFOLIO_FILE, start_loading
from relsite.validate.rules import check_config, check_portfolio, check_release
from relsite.validate.secrets import ALLOWLIST_FILE, scan_document


@dataclass
class CheckResult:
    """What checking a folder found: the portfolio (None when portfolio.yaml is unusable), every
    problem in file order, and how many files were read."""

    portfolio: Portfolio | None
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def check_folder(folder: Path, jobs: int = 1, loading: Loading | None = None) -> CheckResult:
    """Every file under ``folder``, loaded, modelled and checked.

    ``jobs`` > 1 loads files in that many processes (see ``Loading``), or pass a ``loading`` the
    caller started earlier.
    """
    # Loading builds hundreds of thousands of small acyclic containers; the cyclic collector
    # scanning them again and again was a third of validation time (200 of 630 ms at 1,000 files).
    # Reference counting still frees everything; the collector runs again afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        if loading is None:
            loading = start_loading(folder, jobs)
        assert loading.folder == folder, "a Loading of another folder"
        return _check(folder, loading)
    finally:
        if paused:
            gc.enable()


def _check(folder: Path, loading: Loading) -> CheckResult:
    files, problems = loading.files, list(loading.problems)
    allowed, found = load_allowlist(folder, display_path(folder / ALLOWLIST_FILE))
    problems += found
    config_path = folder / PORTFOLIO_FILE
    config: PortfolioConfig | None = None
    config_source = SourceMap(display_path(config_path))
    if config_path not in files:
        problems.append(error(display_path(config_path), 1, 1, "portfolio.yaml is missing",
                              "it names the organisation, its environments and time zone", "files"))
    else:
        doc, found = load_file(config_path, display_path(config_path))
        problems += found
        if doc is not None:
            problems += scan_document(doc.data, doc.source, allowed, doc.text)
            config, found = model_of(PortfolioConfig, doc, None)
            problems += found
            config_source = doc.source
            if config is not None:
                found = check_config(config, doc.source)
                problems += found
                if found:
                    config = None
    tz: dt.tzinfo = config.tz if config else dt.UTC

    releases: list[Release] = []
    for loaded in loading:
        doc = loaded.doc
        problems += loaded.problems
        problems += [p for fingerprint, p in loaded.secrets if fingerprint not in allowed]
        if doc is None:
            continue
        release, found = model_of(Release, doc, tz)
        problems += found
        if release is not None:
            release._source = doc.source
            releases.append(release)

    portfolio = None
    if config is not None:
        portfolio = Portfolio(config, config_source, releases)
        for r in releases:
            problems += check_release(r, portfolio)
        problems += check_portfolio(portfolio)
    return CheckResult(portfolio, sorted(problems), len(files))


def model_of(model: type[PortfolioConfig | Release], doc: Document, tz: dt.tzinfo | None) -> tuple[Any, list[Problem]]:
    """The document as a model, or None and the problems that stop it; times written without an
    offset that happen twice in ``tz`` come back as warnings next to a model."""
    zone = tz or dt.UTC
    context: dict[str, Any] = {"tz": zone}
    result, problems = None, []
    try:
        result = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems = problems_from(exc, doc.data, doc.source, model)
    ambiguous = context.get("ambiguous")
    return result, problems + (ambiguous_time_warnings(doc.data, doc.source, zone, ambiguous) if ambiguous else [])

