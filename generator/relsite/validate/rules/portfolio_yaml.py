"""Rules for ``portfolio.yaml``: environments, services and freezes."""

from __future__ import annotations

from collections.abc import Iterator

from relsite.load.reader import SourceMap
from relsite.problems import Problem
from relsite.validate.model_errors import did_you_mean
from relsite.validate.models import PortfolioConfig
from relsite.validate.rules.registry import err, register


@register("config", "config.production", "Exactly one production environment")
def _one_production(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """`portfolio.yaml` marks exactly one environment with `production: true`; it is what "live" means."""
    prods = [i for i, env in enumerate(cfg.environments) if env.production]
    if not prods:
        yield err(
            src,
            ("environments",),
            "no environment is marked production: true",
            "mark the live environment, e.g. {name: prod, production: true}",
            key=True,
        )
    for i in prods[1:]:
        yield err(
            src,
            ("environments", i, "production"),
            f"environment '{cfg.environments[i].name}' is a second production environment",
            "exactly one environment may have production: true",
        )


@register("config", "config.unique-names", "Environment and service names are unique")
def _unique_names(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """Environment names and service names each appear once."""
    sections = [
        ("environments", [e.name for e in cfg.environments]),
        ("services", [s.name for s in cfg.services or []]),
    ]
    for section, names in sections:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                yield err(src, (section, i, "name"), f"{section[:-1]} '{name}' is defined twice")
            seen.add(name)


@register("config", "config.freezes", "Freezes are well formed")
def _freezes(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """A freeze names only environments that exist (its dates are checked with the change schedule)."""
    names = [env.name for env in cfg.environments]
    for i, fr in enumerate(cfg.freezes):
        for j, env in enumerate(fr.environments or []):
            if env not in names:
                yield err(
                    src,
                    ("freezes", i, "environments", j),
                    f"freeze '{fr.name}' names unknown environment '{env}'",
                    did_you_mean(env, names) or "known: " + ", ".join(names),
                )


RESERVED_ENVIRONMENT_NAMES = frozenset({"releases", "freezes"})
"""Names whose calendar feed would be another feed's file (calendar/releases.ics, calendar/freezes.ics): plan/urls.py's
PORTFOLIO_CALENDARS without ``support``, which is taken only once a service declares support lines
(validate cannot import plan; tests/test_urls.py keeps them equal)."""


RESERVED_PRODUCT_NAMES = frozenset({"full"})
"""Names of the endoflife.date API's own listings under ``api/eol/v1/products/`` (plan/eol_api.py's
``products/full/``): a service with support lines is published there under its name."""


@register("config", "config.reserved-names", "Names that generated pages already use")
def _reserved_environment_names(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """An environment is not called `releases` (its calendar would overwrite the portfolio's `calendar/releases.ics`),
    nor `support` once a service declares support lines (`calendar/support.ics`); a service with support lines is not
    called `full` (its endoflife.date API product would replace the API's full listing, `api/eol/v1/products/full/`)."""
    reserved = RESERVED_ENVIRONMENT_NAMES | ({"support"} if any(s.lines for s in cfg.services or []) else set())
    for i, env in enumerate(cfg.environments):
        if env.name in reserved:
            yield err(
                src,
                ("environments", i, "name"),
                f"the environment name '{env.name}' is taken by a generated file (calendar/{env.name}.ics)",
                "choose another name, e.g. 'release'",
            )
    for i, service in enumerate(cfg.services or []):
        if service.lines and service.name in RESERVED_PRODUCT_NAMES:
            yield err(
                src,
                ("services", i, "name"),
                f"the service name '{service.name}' is taken by a generated file "
                f"(api/eol/v1/products/{service.name}/, the list of every product)",
                "choose another name",
            )
