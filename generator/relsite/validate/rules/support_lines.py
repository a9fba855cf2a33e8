"""Rules for support lines: their phases in order, their versions distinct, every release in one."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from relsite.load.reader import SourceMap
from relsite.problems import Problem
from relsite.validate import lifecycle
from relsite.validate.models import PortfolioConfig, Release, ServiceDef
from relsite.validate.portfolio import Portfolio, production_window_start
from relsite.validate.rules.registry import err, register, warn
from relsite.validate.support_phases import PHASES, SEPARATORS, newest_first, phase_dates, prefix_of


@register("config", "config.support-phases", "Support phases are dated and in order")
def _phases(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """A service line dates at least one phase, and its phases start in the order preview, active, security, extended,
    end_of_life, each on a later day than the one before."""
    for i, service in enumerate(cfg.services or []):
        for j, line in enumerate(service.lines):
            path = ("services", i, "lines", j, "phases")
            dates = phase_dates(line)
            if not dates:
                yield err(
                    src,
                    path,
                    f"line {line.version or service.name} of service '{service.name}' dates no phase",
                    "give the first day of at least one of: " + ", ".join(PHASES),
                    key=True,
                )
            for (before, first), (name, day) in itertools.pairwise(dates):
                if day <= first:
                    yield err(
                        src,
                        (*path, name),
                        f"{name} ({day}) must start after {before} ({first})",
                        f"phases follow in the order {', '.join(PHASES)}; each date is the phase's first day",
                    )


RESERVED_CYCLES = frozenset({"latest", "all"})
"""Cycle names the endoflife.date API of the portal gives a meaning: the newest line, a service's only line."""


def _line_problems(service: ServiceDef, i: int, src: SourceMap) -> Iterator[Problem]:
    shown: dict[str, str] = {}
    for line in service.lines:
        shown.setdefault(prefix_of(line.version), line.version or "")
    seen: set[str] = set()
    for j, line in enumerate(service.lines):
        path = ("services", i, "lines", j, "version")
        prefix = prefix_of(line.version)
        if not prefix and len(service.lines) > 1:
            yield err(
                src,
                ("services", i, "lines", j),
                f"service '{service.name}' has {len(service.lines)} lines, so each needs a version",
                'give the version prefix it covers, e.g. version: "4.x"; omit it only for a service\'s single line',
                key=True,
            )
            continue
        if prefix.lower() in RESERVED_CYCLES:
            yield err(
                src,
                path,
                f"line version '{line.version}' is taken by the lifecycle API (api/eol/v1/.../releases/{prefix}/)",
                'name the line by the version prefix it covers, e.g. "4.x"',
            )
            continue
        if prefix in seen:
            yield err(
                src,
                path,
                f"line {line.version} of service '{service.name}' covers the same versions as line {shown[prefix]}",
            )
            continue
        seen.add(prefix)
        # A line inside another: one of its own prefixes, cut at a separator, is another line's.
        # A dictionary look-up per cut keeps this linear in the number of lines.
        outer = next(
            (
                shown[prefix[:k]]
                for k in range(len(prefix) - 1, 0, -1)
                if prefix[k] in SEPARATORS and prefix[:k] in shown
            ),
            None,
        )
        if outer is not None:
            yield err(
                src,
                path,
                f"line {line.version} of service '{service.name}' lies inside line {outer}",
                "lines cover separate versions: split the outer line or drop the inner one",
            )


@register("config", "config.support-lines", "Support lines cover separate versions")
def _lines(cfg: PortfolioConfig, src: SourceMap) -> Iterator[Problem]:
    """A service's lines each name a version prefix ("3.12", "4.x") that no other line of the service covers, so every
    version belongs to at most one line; only a service with a single line may leave the version out; "latest" and "all"
    are not line versions (the lifecycle API uses them)."""
    for i, service in enumerate(cfg.services or []):
        yield from _line_problems(service, i, src)


@register("release", "support-line", "Releases fall into a declared line")
def _in_a_line(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """When the release's service declares support lines, the release's `version` falls into one of them."""
    service = pf.services.get(r.service)
    if service is None or not service.lines or pf.line_of(r) is not None:
        return
    known = ", ".join(line.version or "" for line in newest_first(service.lines)[:8])
    yield err(
        r.source,
        ("version",),
        f"version {r.version} is in none of the support lines of service '{r.service}'",
        f"declared lines: {known}; add a line for it under services in portfolio.yaml, or correct the version",
    )


@register("release", "support-ended", "No release planned after its line's end of life")
def _after_end_of_life(r: Release, pf: Portfolio) -> Iterator[Problem]:
    """A release still to reach production is not planned for production on or after its line's end of life (a warning:
    an exceptional fix after the end of life is possible, but should be a decision)."""
    line = pf.line_of(r)
    if line is None or line.phases.end_of_life is None or r.status in lifecycle.FINISHED:
        return
    start = production_window_start(r, pf)
    if start is not None and pf.local(start).date() >= line.phases.end_of_life:
        yield warn(
            r.source,
            ("environments", pf.production, "window", "start"),
            f"production is planned for {pf.local(start).date()}, on or after the end of life of line "
            f"{line.version or r.service} ({line.phases.end_of_life})",
            "move the release into a supported line, or extend the line's phases in portfolio.yaml",
        )
