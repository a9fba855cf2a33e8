"""The validated portfolio: configuration plus releases, with the lookups every later stage needs.

Derived indexes are built once here so that rules and views never scan all releases per release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from relsite.load.reader import SourceMap
from relsite.validate.models import EnvironmentDef, PortfolioConfig, Release, ServiceDef, ServiceLine
from relsite.validate.schedule_models import Freeze
from relsite.validate.support_phases import LineIndex

_NO_LINES = LineIndex(ServiceDef(name="none"))


@dataclass
class Portfolio:
    config: PortfolioConfig
    config_source: SourceMap
    releases: list[Release] = field(default_factory=list)
    today: dt.date | None = None
    """The day validation measures against (a deployment recorded after it is suspect); None: no
    time-relative checks."""

    @cached_property
    def tz(self) -> ZoneInfo:
        return self.config.tz

    @cached_property
    def environments(self) -> list[EnvironmentDef]:
        return list(self.config.environments)

    @cached_property
    def env_index(self) -> dict[str, int]:
        """Position of each environment in promotion order."""
        return {env.name: i for i, env in enumerate(self.config.environments)}

    @cached_property
    def env_by_name(self) -> dict[str, EnvironmentDef]:
        return {env.name: env for env in self.config.environments}

    @cached_property
    def production(self) -> str:
        prods = [env.name for env in self.config.environments if env.production]
        return prods[0] if prods else self.config.environments[-1].name

    @cached_property
    def services(self) -> dict[str, ServiceDef]:
        """The catalog, or services inferred from releases when there is none."""
        if self.config.services is not None:
            return {s.name: s for s in self.config.services}
        return {name: ServiceDef(name=name) for name in sorted({r.service for r in self.releases})}

    @cached_property
    def by_id(self) -> dict[str, Release]:
        return {r.id: r for r in self.releases}

    @cached_property
    def _line_indexes(self) -> dict[str, LineIndex]:
        return {name: LineIndex(service) for name, service in self.services.items()}

    def line_index(self, service: str) -> LineIndex:
        """The service's support lines by prefix (empty for a service without lines or unknown)."""
        return self._line_indexes.get(service) or _NO_LINES

    def line_of(self, r: Release) -> ServiceLine | None:
        return self.line_index(r.service).find(r.version)

    def requires_sign_off(self, env: str) -> bool:
        """The environment exists and needs a test sign-off before production."""
        envdef = self.env_by_name.get(env)
        return envdef is not None and envdef.requires_sign_off

    def freezes_for(self, env: str) -> list[Freeze]:
        return [f for f in self.config.freezes if f.environments is None or env in f.environments]

    def day_start(self, day: dt.date) -> dt.datetime:
        """Midnight at the start of ``day`` in the portfolio's zone."""
        return dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)

    def moment(self, value: dt.date | dt.datetime) -> dt.datetime:
        """A milestone as an instant: a whole day counts from its start."""
        return value if isinstance(value, dt.datetime) else self.day_start(value)

    def freeze_span(self, freeze: Freeze) -> tuple[dt.datetime, dt.datetime]:
        """A freeze's first occurrence as a half-open interval (validate.schedule has them all)."""
        from relsite.validate.schedule import first_occurrence

        first = first_occurrence(freeze, self.tz)
        if first is None:
            return self.day_start(dt.date.min), self.day_start(dt.date.min)
        return first.start.astimezone(self.tz), first.end.astimezone(self.tz)

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.tz)


def production_window_start(release: Release, pf: Portfolio) -> dt.datetime | None:
    dep = release.environments.get(pf.production)
    return dep.window.start if dep and dep.window else None
