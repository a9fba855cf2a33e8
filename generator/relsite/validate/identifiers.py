"""Identifiers that SBOM, vulnerability and lifecycle tools join on (package URLs, CPE names and
Repology project names, fields of ``portfolio.yaml``), and a release's links to its SBOMs and VEX.

A package URL is checked with ``packageurl-python`` (the reference parser) rather than a pattern:
its grammar (type rules, percent-encoding, qualifiers) is too rich for one. It names the
component, not one version of it, because releases carry the version: ECMA-428 (CLE) says the
same of its identifiers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from packageurl import PackageURL
from pydantic import AfterValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from relsite.validate.fields import Strict, Url

SbomFormat = Literal["cyclonedx", "spdx"]
VexFormat = Literal["cyclonedx", "openvex", "csaf"]


def _purl(value: str) -> str:
    try:
        parsed = PackageURL.from_string(value)
    except ValueError as exc:
        raise PydanticCustomError(
            "purl", "'{value}' is not a package URL: {why}", {"value": value[:120], "why": str(exc)[:200]}
        ) from None
    if parsed.version:
        raise PydanticCustomError(
            "purl_version",
            "a service's package URL names no version (found @{version})",
            {"version": parsed.version[:60]},
        )
    return value


Purl = Annotated[
    str,
    StringConstraints(min_length=5, max_length=500),
    AfterValidator(_purl),
    WithJsonSchema({"type": "string", "pattern": r"^pkg:[A-Za-z.+-][A-Za-z0-9.+-]*/", "maxLength": 500}),
]
"""A package URL without version, e.g. ``pkg:pypi/django`` or ``pkg:generic/acme/billing``."""

CPE_PATTERN = r"^(cpe:2\.3:[aho\*\-](:[^:\s]+){10}|cpe:/[aho]?(:[^:\s]*){0,6})$"
Cpe = Annotated[str, StringConstraints(pattern=CPE_PATTERN, max_length=500)]
"""A CPE name, 2.3 formatted string (``cpe:2.3:a:acme:billing:*:*:*:*:*:*:*:*``) or 2.2 URI
(``cpe:/a:acme:billing``)."""

Repology = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._+:-]{0,99}$")]
"""A Repology project name, e.g. ``python``."""


class SbomLink(Strict):
    url: Url
    """Where the SBOM is published (http or https)."""
    format: SbomFormat
    """cyclonedx or spdx."""


class VexLink(Strict):
    url: Url
    """Where the VEX document is published (http or https)."""
    format: VexFormat
    """cyclonedx, openvex or csaf."""
