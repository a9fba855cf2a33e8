"""A portfolio read back from a published portal's JSON API, for ``relsite gate --portal``.

A pipeline in another repository has no release files, only the portal. The API carries what the
gate needs: releases (``releases.json``), environments in promotion order (``environments.json``)
and the schedule's definitions (``freezes.json``). They are modelled with the same strict models as
the YAML, so the gate decides from exactly what validation accepted, and a document that does not
fit is refused rather than half read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from relsite.load.portal import PortalError, fetch_json
from relsite.load.reader import SourceMap
from relsite.validate.models import PortfolioConfig, Release
from relsite.validate.portfolio import Portfolio

API_FILES = ("api/v1/releases.json", "api/v1/environments.json", "api/v1/freezes.json")
"""plan/urls.py's paths of these documents (validate cannot import plan; tests/test_schedule.py keeps them equal)."""


def portfolio_from_documents(releases: Any, environments: Any, schedule: Any) -> Portfolio:
    try:
        envs = [
            {k: e[k] for k in ("name", "title", "production", "requires_sign_off")}
            for e in environments["environments"]
        ]
        config = PortfolioConfig.model_validate(
            {
                "name": releases["portfolio"],
                "timezone": schedule["timezone"],
                "environments": envs,
                "freezes": [{k: v for k, v in f.items() if k != "intervals"} for f in schedule["freezes"]],
                "change_windows": [
                    {k: v for k, v in w.items() if k != "intervals"} for w in schedule["change_windows"]
                ],
            }
        )
        items = [{k: v for k, v in r.items() if k != "portal"} for r in releases["releases"]]
        found = [Release.model_validate(r, context={"tz": config.tz}) for r in items]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise PortalError(
            f"the portal's API does not hold a portfolio relsite can read ({str(exc).splitlines()[0][:200]})"
        ) from None
    return Portfolio(config, SourceMap("portfolio.yaml"), found)


def portfolio_from_portal(base: str) -> Portfolio:
    """Raises PortalError when the portal cannot be read or holds something else."""
    return portfolio_from_documents(*(fetch_json(base, path) for path in API_FILES))


def parse_time(text: str, tz: dt.tzinfo) -> dt.datetime:
    """``--at``: ISO 8601; a time without an offset is in the portfolio's zone. Raises ValueError."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=tz)
