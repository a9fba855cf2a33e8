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
from relsite.load.reader import Document, SourceMap, load_bytes, load_file
from relsite.problems import Problem, Severity, error
from relsite.validate import windows
from relsite.validate.allowlist import load_allowlist
from relsite.validate.local_times import ambiguous_time_warnings
from relsite.validate.model_errors import problems_from
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.release_files import PORTFOLIO_FILE, start_loading
from relsite.validate.rules import check_config, check_portfolio, check_release
from relsite.validate.secrets import ALLOWLIST_FILE, scan_document, secret_candidates


@dataclass
class CheckResult:
    """What checking a folder found: the portfolio (None when portfolio.yaml is unusable), every
    problem in file order, and how many files were read."""

    portfolio: Portfolio | None
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    file_problems: list[Problem] = field(default_factory=list)
    """The problems found file by file (reading, secrets, models), before the rules: what a
    recheck keeps for the files that did not change."""
    allowed: frozenset[str] = frozenset()
    """Fingerprints the secrets allowlist excuses."""
    release_findings: dict[str, tuple[Release, list[Problem]]] = field(default_factory=dict, repr=False)
    """What each release's own rules found, by id, with the model they looked at. Those rules read
    one release and portfolio.yaml's settings, never another release (a test keeps it so), so a
    recheck reuses the findings of every model it did not replace: at 10,000 releases they are a
    second of a 2.7 s recheck, which a live preview runs on every save."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def check_folder(
    folder: Path, jobs: int = 1, loading: Loading | None = None, today: dt.date | None = None
) -> CheckResult:
    """Every file under ``folder``, loaded, modelled and checked.

    ``jobs`` > 1 loads files in that many processes (see ``Loading``), or pass a ``loading`` the
    caller started earlier. ``today`` is the day the time-relative rules measure against (a
    deployment recorded after it); None: the current date in the portfolio's zone.
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
        return _check(folder, loading, today)
    finally:
        if paused:
            gc.enable()


def _check(folder: Path, loading: Loading, today: dt.date | None) -> CheckResult:
    files, problems = loading.files, list(loading.problems)
    allowed, found = load_allowlist(folder, display_path(folder / ALLOWLIST_FILE))
    problems += found
    config_path = folder / PORTFOLIO_FILE
    config: PortfolioConfig | None = None
    config_source = SourceMap(display_path(config_path))
    if config_path not in files:
        problems.append(
            error(
                display_path(config_path),
                1,
                1,
                "portfolio.yaml is missing",
                "it names the organisation, its environments and time zone",
                "files",
            )
        )
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
        release, found = release_of(doc, tz)
        problems += found
        if release is not None:
            releases.append(release)

    portfolio = None
    file_problems = list(problems)
    if config is not None:
        portfolio = Portfolio(config, config_source, releases, today=today or _local_today(config.tz))
        found_by_rules, findings = _rule_problems(portfolio)
        problems += found_by_rules
    return CheckResult(portfolio, sorted(problems), len(files), file_problems, allowed, findings if portfolio else {})


def _local_today(zone: dt.tzinfo) -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone(zone).date()


def _rule_problems(
    pf: Portfolio, earlier: dict[str, tuple[Release, list[Problem]]] | None = None
) -> tuple[list[Problem], dict[str, tuple[Release, list[Problem]]]]:
    """Every rule's problems, and each release's own findings for a later recheck to reuse
    (``earlier``: those of the same models, in a portfolio with the same settings and today)."""
    problems: list[Problem] = []
    findings: dict[str, tuple[Release, list[Problem]]] = {}
    for r in pf.releases:
        seen = earlier.get(r.id) if earlier else None
        mine = seen[1] if seen is not None and seen[0] is r else check_release(r, pf)
        findings[r.id] = (r, mine)
        problems += mine
    return problems + check_portfolio(pf), findings


def release_of(doc: Document, tz: dt.tzinfo) -> tuple[Release | None, list[Problem]]:
    """A loaded release file as a Release that knows where its values were written."""
    release, problems = model_of(Release, doc, tz)
    if release is not None:
        release._source = doc.source
    return release, problems


def recheck(result: CheckResult, release_id: str, data: bytes) -> CheckResult:
    """``result`` as ``check_folder`` would find it if the file of release ``release_id`` held
    ``data``: the file read (size, characters, YAML), scanned for secrets, modelled, and every rule
    run again on the changed portfolio. The one definition of "valid" for a changed release, so
    that a command changing a file (``record``) accepts exactly what ``validate`` would."""
    pf = result.portfolio
    assert pf is not None, "recheck needs a portfolio"
    display = pf.by_id[release_id].file
    doc, problems = load_bytes(data, display)
    changed = None
    if doc is not None:
        problems += [
            p
            for fingerprint, p in secret_candidates(doc.data, doc.source, doc.text)
            if fingerprint not in result.allowed
        ]
        changed, found = release_of(doc, pf.tz)
        problems += found
    file_problems = [p for p in result.file_problems if p.file != display] + problems
    releases = [changed if r.id == release_id else r for r in pf.releases]  # in the order check_folder found them
    portfolio = Portfolio(pf.config, pf.config_source, [r for r in releases if r is not None], today=pf.today)
    windows.revise(pf, portfolio)
    found_by_rules, findings = _rule_problems(portfolio, result.release_findings)
    return CheckResult(
        portfolio, sorted(file_problems + found_by_rules), result.files, file_problems, result.allowed, findings
    )


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
