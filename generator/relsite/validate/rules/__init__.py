"""Rules that need more than one field or more than one file, grouped by what they look at.

Importing this package registers every rule (the modules below add themselves to ``RULES``).
"""

from __future__ import annotations

from relsite.load.reader import SourceMap
from relsite.problems import Problem
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules import (  # noqa: F401 - registers the rules
    across_files,
    deployment_history,
    one_release,
    portfolio_yaml,
    schedule,
    support_lines,
)
from relsite.validate.rules.registry import RULES, Rule, fmt_time

SCOPES = ("config", "release", "portfolio")
RULES.sort(key=lambda rule: SCOPES.index(rule.scope))  # stable: each module's own order is kept

__all__ = ["RULES", "Rule", "check_config", "check_portfolio", "check_release", "fmt_time"]


def check_config(cfg: PortfolioConfig, src: SourceMap) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "config" for p in rule.check(cfg, src)]


def check_release(r: Release, pf: Portfolio) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "release" for p in rule.check(r, pf)]


def check_portfolio(pf: Portfolio) -> list[Problem]:
    return [p for rule in RULES if rule.scope == "portfolio" for p in rule.check(pf)]
