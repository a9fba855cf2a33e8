"""One ECMA-428 Common Lifecycle Enumeration (CLE) document per service (``api/cle/<service>.json``).

CLE is the lifecycle format release and SBOM tooling is starting to read: a component, named by a
package URL, and an event log (released, endOfDevelopment, endOfSupport, endOfLife, supersededBy).
The mapping from a support line's phases:

- ``released``: each release of the service that reached production, on the day it did;
- ``endOfDevelopment``: when active support ends (the line's next phase after ``active`` starts):
  from then on only fixes, no substantial modifications;
- ``endOfSupport``: when standard support ends (support policy ``standard``: at ``extended`` or at the
  end of life) and, for lines with extended support, when that ends (policy ``extended``);
- ``endOfLife``: the line's end of life;
- ``supersededBy``: a line is superseded by the first production release of the next newer line.

A line's versions are written as a ``vers:`` range (``vers:pypi/>=3.12|<3.13``) when its prefix ends in
a number, else as the list of its known versions. A service without a package URL is named
``pkg:generic/<service>``, since CLE requires a package URL. Event ids count up in the order of the
events' effective times (ties: type, then version), so adding a later event never renumbers earlier
ones; the document lists them newest id first, as the specification orders them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

from packageurl import PackageURL

from relsite.plan import urls
from relsite.plan.eol_api import dump_json
from relsite.plan.index import PortfolioIndex
from relsite.plan.lifecycle_facts import CycleFacts, cycle_facts
from relsite.plan.line_status import service_lines
from relsite.plan.site import Asset
from relsite.validate.models import ServiceDef

CLE_DIR = urls.CLE_DIR
CLE_SCHEMA = "https://cle.example.com/schema/cle-1.0.0.schema.json"
"""The meta-schema URI the specification (v1.0.0) gives for its schema; no other is published yet."""
EVENT_ORDER = ("released", "endOfDevelopment", "endOfSupport", "endOfLife", "supersededBy")
_LAST_NUMBER = re.compile(r"^(.*?)(\d+)$")


def _utc(day: dt.date | dt.datetime) -> str:
    moment = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time(), dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def vers_scheme(service: ServiceDef) -> str:
    """The versioning scheme of ``vers:`` ranges: the package URL's type, or generic."""
    return PackageURL.from_string(service.purl).type if service.purl else "generic"


def line_versions(service: ServiceDef, c: CycleFacts) -> list[dict[str, str]]:
    """The versions a line covers, as CLE writes them."""
    scheme, prefix = vers_scheme(service), c.status.prefix
    if not prefix:
        return [{"range": f"vers:{scheme}/*"}]
    m = _LAST_NUMBER.match(prefix)
    if m:
        upper = f"{m.group(1)}{int(m.group(2)) + 1}"
        return [{"range": f"vers:{scheme}/>={prefix}|<{upper}"}]
    return [{"version": r.version} for r in sorted(c.status.releases, key=lambda r: r.version)] or [{"version": prefix}]


def identifier(service: ServiceDef) -> str:
    return service.purl or f"pkg:generic/{service.name}"


class CleDocument:
    def __init__(self, ix: PortfolioIndex, service: ServiceDef) -> None:
        self.ix = ix
        self.service = service
        self.cycles = [cycle_facts(ix, s) for s in service_lines(ix, service)]  # newest line first
        self.today = dt.datetime.combine(ix.today, dt.time(), dt.UTC)

    def _published(self, effective: dt.datetime) -> str:
        """When the event was published: the effective time once past; for an announced future date, the build day."""
        return _utc(min(effective, self.today))

    def _events(self) -> Iterator[tuple[dt.datetime, str, str, dict[str, Any]]]:
        for c in self.cycles:
            versions = line_versions(self.service, c)
            for shipped in c.shipped:
                yield shipped.at, "released", shipped.release.version, {"version": shipped.release.version}
            if c.end_of_active is not None and c.end_of_active != c.end_of_life:
                yield (
                    self._day(c.end_of_active),
                    "endOfDevelopment",
                    c.name,
                    {"versions": versions, "supportId": "standard"},
                )
            standard_ends = c.extended_from or c.end_of_life
            if standard_ends is not None and (c.end_of_active is not None or "security" in c.phases):
                yield self._day(standard_ends), "endOfSupport", c.name, {"versions": versions, "supportId": "standard"}
            if c.extended_from is not None and c.end_of_life is not None:
                yield (
                    self._day(c.end_of_life),
                    "endOfSupport",
                    c.name + "~extended",
                    {"versions": versions, "supportId": "extended"},
                )
            if c.end_of_life is not None:
                yield self._day(c.end_of_life), "endOfLife", c.name, {"versions": versions}
        for older, newer in zip(self.cycles[1:], self.cycles, strict=False):
            first = newer.shipped[-1] if newer.shipped else None
            if first is not None:
                yield (
                    first.at,
                    "supersededBy",
                    older.name,
                    {"versions": line_versions(self.service, older), "supersededByVersion": first.release.version},
                )

    def _day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), self.ix.tz)

    def document(self) -> dict[str, Any]:
        ordered = sorted(self._events(), key=lambda e: (e[0], EVENT_ORDER.index(e[1]), e[2]))
        events = [
            {"id": i, "type": kind, "effective": _utc(at), "published": self._published(at), **fields}
            for i, (at, kind, _, fields) in enumerate(ordered, 1)
        ]
        used = {e["supportId"] for e in events if "supportId" in e}
        support = [
            {"id": "standard", "description": "Standard support: bug and security fixes, then security fixes only."},
            {"id": "extended", "description": "Extended support by arrangement, after standard support ends."},
        ]
        doc: dict[str, Any] = {
            "$schema": CLE_SCHEMA,
            "identifier": identifier(self.service),
            "updatedAt": _utc(self.today),
        }
        if used:
            doc["definitions"] = {"support": [s for s in support if s["id"] in used]}
        doc["events"] = list(reversed(events))
        return doc


def cle_assets(ix: PortfolioIndex) -> Iterator[Asset]:
    def render(service: ServiceDef) -> Callable[[], bytes]:
        return lambda: dump_json(CleDocument(ix, service).document())

    for service in ix.pf.services.values():
        if service.lines:
            yield Asset(path=urls.cle_document(service.name), render=render(service))
