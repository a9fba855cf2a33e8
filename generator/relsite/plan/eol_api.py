"""The endoflife.date API v1, served by the portal for its own services (``api/eol/v1/``).

Tools that read endoflife.date (the Backstage endoflife plugin, scanners, dashboards) take a base
URL; pointed at ``<portal>/api/eol/v1`` they read internal services as they read public products.
The documents follow endoflife.date's OpenAPI description (``api_v1/openapi.yml``, version
``SCHEMA_VERSION``) and its file layout: every endpoint is ``<path>/index.json``, as the
endoflife.date site writes it, so a static web server that serves ``index.json`` for a folder (for
nginx, ``index index.html index.json;``) answers the same URLs.

A service is a product when it declares support lines; each line is a release cycle. Active support
ends (``eoasFrom``) when the line's next phase after ``active`` starts; ``eolFrom`` is its end of life;
extended support (``eoesFrom``) ends at the end of life of lines that declare an ``extended`` phase.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from relsite.plan import json_text, urls
from relsite.plan.index import PortfolioIndex
from relsite.plan.lifecycle_facts import CycleFacts, cycle_facts
from relsite.plan.line_status import service_lines
from relsite.plan.site import Asset
from relsite.validate.models import ServiceDef
from relsite.validate.support_phases import SUPPORTED

EOL_API = urls.EOL_API
FULL_LISTING = urls.EOL_FULL_LISTING
SCHEMA_VERSION = "1.2.1"
"""The endoflife.date API version these documents follow."""
CATEGORY = "service"


def dump_json(data: Any) -> bytes:
    return json_text.indented(data)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class EolApi:
    """Documents of one build: ``generated_at`` is the build day (midnight UTC), so that the same
    input and day give the same bytes."""

    def __init__(self, ix: PortfolioIndex, site_url: str, prefix: str = "") -> None:
        self.ix = ix
        self.site_url = site_url
        self.prefix = prefix
        self.generated_at = dt.datetime.combine(ix.today, dt.time(), dt.UTC).isoformat().replace("+00:00", "Z")
        self.products = [s for s in ix.pf.services.values() if s.lines]
        self._cycles: dict[str, list[CycleFacts]] = {}
        self._phases: dict[str, tuple[bool, bool]] = {}

    def url(self, path: str) -> str:
        """Absolute when the site's URL is known (mkdocs.yml ``site_url``), as clients need; else from the site root."""
        return f"{self.site_url}{path}" if self.site_url else f"/{self.prefix}{path}"

    def cycles(self, service: ServiceDef) -> list[CycleFacts]:
        """Newest line first, as endoflife.date lists release cycles."""
        if service.name not in self._cycles:
            self._cycles[service.name] = [cycle_facts(self.ix, s) for s in service_lines(self.ix, service)]
        return self._cycles[service.name]

    def _envelope(self, result: Any, **extra: Any) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "generated_at": self.generated_at, **extra, "result": result}

    # --- the documents ------------------------------------------------------------------------

    def cycle(self, service: ServiceDef, c: CycleFacts) -> dict[str, Any]:
        line, today = c.status.line, self.ix.today
        label = (c.name if c.status.prefix else service.label) + (f" '{line.codename}'" if line.codename else "")
        out: dict[str, Any] = {
            "name": c.name,
            "codename": line.codename,
            "label": label + (" (LTS)" if line.lts else ""),
            "releaseDate": c.release_date.isoformat(),
            "isLts": line.lts,
            "ltsFrom": None,
        }
        if self._has_active(service):
            out |= {
                "isEoas": c.end_of_active is not None and c.end_of_active <= today,
                "eoasFrom": _date(c.end_of_active),
            }
        out |= {"isEol": c.end_of_life is not None and c.end_of_life <= today, "eolFrom": _date(c.end_of_life)}
        if self._has_extended(service):
            eligible = c.extended_from is not None
            out |= {
                "isEoes": (c.end_of_life is not None and c.end_of_life <= today) if eligible else None,
                "eoesFrom": _date(c.end_of_life) if eligible else None,
            }
        latest = c.latest
        out |= {
            "isMaintained": c.status.now.phase in SUPPORTED,
            "latest": {
                "name": latest.release.version,
                "date": latest.at.astimezone(self.ix.tz).date().isoformat(),
                "link": self.url(urls.release(latest.release.id)),
            }
            if latest
            else None,
            "custom": None,
        }
        return out

    def _has_active(self, service: ServiceDef) -> bool:
        return self._declares(service)[0]

    def _has_extended(self, service: ServiceDef) -> bool:
        return self._declares(service)[1]

    def _declares(self, service: ServiceDef) -> tuple[bool, bool]:
        """Whether any of the service's lines declares an active phase, an extended phase: once per
        service, not once per cycle (at 10,000 releases 235,000 lines were looked at per listing)."""
        found = self._phases.get(service.name)
        if found is None:
            found = self._phases[service.name] = (
                any(line.phases.active is not None for line in service.lines),
                any(line.phases.extended is not None for line in service.lines),
            )
        return found

    def summary(self, service: ServiceDef) -> dict[str, Any]:
        return {
            "name": service.name,
            "aliases": [],
            "label": service.label,
            "category": CATEGORY,
            "tags": [CATEGORY],
            "uri": self.url(f"{EOL_API}/products/{service.name}/"),
        }

    def details(self, service: ServiceDef) -> dict[str, Any]:
        summary = {k: v for k, v in self.summary(service).items() if k != "uri"}
        return summary | {
            "versionCommand": None,
            "identifiers": [{"type": kind, "id": value} for kind, value in service.identifiers],
            "labels": {
                "eoas": "Active support" if self._has_active(service) else None,
                "discontinued": None,
                "eol": "Security support",
                "eoes": "Extended support" if self._has_extended(service) else None,
            },
            "links": {"icon": None, "html": self.url(urls.service(service.name)), "releasePolicy": None},
            "releases": [self.cycle(service, c) for c in self.cycles(service)],
        }

    def assets(self) -> Iterator[Asset]:
        root = self.url(EOL_API)
        yield Asset(
            path=f"{EOL_API}/index.json",
            render=lambda: dump_json(
                self._envelope(
                    [{"name": name, "uri": f"{root}/{name}/"} for name in ("products", "identifiers")], total=2
                )
            ),
        )
        yield Asset(
            path=f"{EOL_API}/products/index.json",
            render=lambda: dump_json(
                self._envelope([self.summary(s) for s in self.products], total=len(self.products))
            ),
        )
        yield Asset(
            path=f"{EOL_API}/products/{FULL_LISTING}/index.json",
            render=lambda: dump_json(
                self._envelope([self.details(s) for s in self.products], total=len(self.products))
            ),
        )
        yield from self._identifier_assets()
        for service in self.products:
            yield from self._product_assets(service)

    def _product_assets(self, service: ServiceDef) -> Iterator[Asset]:
        base = f"{EOL_API}/products/{service.name}"
        yield Asset(
            path=f"{base}/index.json",
            render=lambda: dump_json(self._envelope(self.details(service), last_modified=self.generated_at)),
        )

        def one(c: CycleFacts) -> Callable[[], bytes]:
            return lambda: dump_json(self._envelope(self.cycle(service, c)))

        cycles = self.cycles(service)
        # "latest" is the newest cycle that has started (a line still in preview or not started is not yet latest).
        started = [c for c in cycles if c.release_date <= self.ix.today] or cycles
        yield Asset(path=f"{base}/releases/latest/index.json", render=one(started[0]))
        for c in cycles:  # config.support-lines keeps "latest" from naming a line
            yield Asset(path=f"{base}/releases/{c.name}/index.json", render=one(c))

    def _identifier_assets(self) -> Iterator[Asset]:
        by_type: dict[str, list[dict[str, Any]]] = {}
        for service in self.products:
            for kind, value in service.identifiers:
                by_type.setdefault(kind, []).append(
                    {
                        "identifier": value,
                        "product": {"name": service.name, "uri": self.url(f"{EOL_API}/products/{service.name}/")},
                    }
                )
        root = self.url(EOL_API)
        yield Asset(
            path=f"{EOL_API}/identifiers/index.json",
            render=lambda: dump_json(
                self._envelope(
                    [{"name": kind, "uri": f"{root}/identifiers/{kind}/"} for kind in sorted(by_type)],
                    total=len(by_type),
                )
            ),
        )

        def listing(rows: list[dict[str, Any]]) -> Callable[[], bytes]:
            return lambda: dump_json(self._envelope(rows, total=len(rows)))

        for kind, rows in sorted(by_type.items()):
            yield Asset(path=f"{EOL_API}/identifiers/{kind}/index.json", render=listing(rows))


def eol_assets(ix: PortfolioIndex, site_url: str, prefix: str = "") -> list[Asset]:
    return list(EolApi(ix, site_url, prefix).assets())
