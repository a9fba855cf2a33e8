"""A service's identity card on its page: the ids tools join on (Package URL, CPE, Repology), its
calendar feed and, for a service with support lines, where its lifecycle can be read by machines."""

from __future__ import annotations

from dataclasses import dataclass

from relsite.plan import urls
from relsite.plan.pages.changing import service_feed
from relsite.plan.view_parts import Link
from relsite.validate.models import ServiceDef


@dataclass(frozen=True, kw_only=True)
class ServiceIdentity:
    """What tools join on, and where they read the service's lifecycle: shown beside the owner."""

    identifiers: list[tuple[str, str]]
    """(label, id): "Package URL", "CPE", "Repology"."""
    feed: str
    """The service's calendar feed."""
    lifecycle: list[Link]
    """Its endoflife.date API product and CLE document, when it declares support lines."""


def service_identity(s: ServiceDef) -> ServiceIdentity:
    lifecycle_links = (
        [
            Link(text="endoflife.date API", href=urls.eol_product(s.name)),
            Link(text="CLE (ECMA-428)", href=urls.cle_document(s.name)),
        ]
        if s.lines
        else []
    )
    labels = {"purl": "Package URL", "cpe": "CPE", "repology": "Repology"}
    return ServiceIdentity(
        identifiers=[(labels[kind], value) for kind, value in s.identifiers],
        feed=service_feed(s.name),
        lifecycle=lifecycle_links,
    )
