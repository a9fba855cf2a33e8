"""Coverage-guided fuzzing of load → validate → plan with atheris (not part of CI).

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_loader.py -max_total_time=300 tests/fuzz/corpus

Any exception that escapes is a bug: every input must end as a list of problems, or as a site.
Checked on the way: every problem has a position and prints no control character (escaped
characters included), times are read in a zone with clock changes as well as in UTC, every text
of a release that validates renders (nesting is bounded), and a portfolio of that release plans
into pages whose paths never collide.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    from relsite.load.reader import load_bytes, load_text
    from relsite.plan import plan
    from relsite.plan.markup import md_block
    from relsite.problems import Problem, Severity, printable
    from relsite.validate.checker import model_of, release_of
    from relsite.validate.models import PortfolioConfig
    from relsite.validate.portfolio import Portfolio
    from relsite.validate.rules import check_portfolio, check_release
    from relsite.validate.secrets import scan_document

ZONES = (dt.UTC, ZoneInfo("Europe/Berlin"))
BASE = Path(__file__).resolve().parent.parent / "cases" / "_base" / "portfolio.yaml"
_doc, _ = load_text(BASE.read_text(encoding="utf-8"), "portfolio.yaml")
assert _doc is not None
CONFIG, _ = model_of(PortfolioConfig, _doc, None)
TODAY = dt.date(2026, 11, 27)


def _check(problems: list[Problem]) -> None:
    for p in problems:
        assert p.line >= 1 and p.col >= 1, p
        assert printable(p.format()) == p.format(), p


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def one_input(data: bytes) -> None:
    doc, problems = load_bytes(data, "releases/X.yaml")
    _check(problems)
    if doc is None:
        return
    scan_document(doc.data, doc.source, frozenset())
    _check(model_of(PortfolioConfig, doc, dt.UTC)[1])
    for zone in ZONES:
        release, found = release_of(doc, zone)
        _check(found)
        if release is None or any(p.severity is Severity.ERROR for p in found):
            continue
        for text in _texts(release.model_dump()):
            md_block(text)
        pf = Portfolio(CONFIG, _doc.source, [release])
        rule_problems = check_release(release, pf) + check_portfolio(pf)
        _check(rule_problems)
        if any(p.severity is Severity.ERROR for p in rule_problems):
            continue
        site = plan(pf, TODAY)
        paths = [p.src_uri for p in site.pages] + [a.path for a in site.assets]
        assert len(paths) == len(set(paths)), "two generated files share a path"


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
