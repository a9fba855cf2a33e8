"""Property-based checks driven by the published JSON Schema (hypothesis-jsonschema).

Documents the schema accepts must pass the model, and a document broken in a known way must fail
with a problem located in the file. The schema cannot say two things the loader refuses
(impossible calendar dates such as 2026-02-30, and control characters), so generated documents are
repaired in those two respects before use.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from relsite.load.reader import BAD_CHARS, load_text
from relsite.validate.checker import model_of as _model
from relsite.validate.models import Release

from .conftest import ROOT

pytestmark = pytest.mark.slow


def _smaller(node: Any) -> Any:
    """The same schema with tighter size limits: every document it accepts, the real one accepts too,
    and small documents keep generation (not the code under test) from dominating the run."""
    if isinstance(node, dict):
        out = {k: _smaller(v) for k, v in node.items()}
        for key, cap in (("maxItems", 3), ("maxLength", 40), ("maxProperties", 3)):
            if (
                key in out
                or (key == "maxItems" and out.get("type") == "array")
                or (key == "maxLength" and out.get("type") == "string")
            ):
                out[key] = min(out.get(key, cap), cap)
        return out
    if isinstance(node, list):
        return [_smaller(v) for v in node]
    return node


SCHEMA = _smaller(json.loads((ROOT / "schema" / "release.schema.json").read_text()))
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
FORBIDDEN = BAD_CHARS
DATEISH = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _expressible(value: Any) -> Any:
    """Repair what the schema allows but the loader refuses on purpose, keeping the document valid:
    forbidden characters become "x" (same length), impossible dates become a real one. (Text that
    nests quotes or lists more than eight deep is refused too, and beyond what a schema can say.)"""
    if isinstance(value, dict):
        return {k: _expressible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expressible(v) for v in value]
    if isinstance(value, str):
        value = FORBIDDEN.sub("x", value).replace("\r", "x")
        m = DATEISH.match(value)
        if m:
            try:
                dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
            except ValueError:  # positions in YYYY-MM-DDTHH:MM:SS
                value = "2026-01-01" + value[10:]
                if m[4]:
                    value = value[:11] + "00:00" + value[16:]
                if m[6]:
                    value = value[:17] + "00" + value[19:]
    return value


def _yaml(doc: dict[str, Any]) -> str:
    """Every string double-quoted: PyYAML's YAML 1.1 rules would leave text such as 1e100 plain,
    which this format (YAML 1.2 core) rightly reads as a number."""
    return yaml.dump(doc, Dumper=_QuotedStrings, allow_unicode=True, sort_keys=False, width=10_000)


class _QuotedStrings(yaml.SafeDumper):
    pass


_QuotedStrings.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))


@SETTINGS
@given(from_schema(SCHEMA))
def test_documents_the_schema_accepts_pass_the_model(doc: dict[str, Any]) -> None:
    doc = _expressible(doc)
    loaded, problems = load_text(_yaml(doc), "releases/X.yaml")
    assert loaded is not None, [p.format() for p in problems]
    release, problems = _model(Release, loaded, dt.UTC)
    assert release is not None, [p.format() for p in problems]


MUTATIONS = ["drop-required", "unknown-field", "number-for-text", "list-for-text", "bad-enum"]


@SETTINGS
@given(from_schema(SCHEMA), st.sampled_from(MUTATIONS), st.sampled_from(sorted(SCHEMA["required"])))
def test_broken_documents_fail_with_a_located_problem(doc: dict[str, Any], mutation: str, field: str) -> None:
    doc = dict(_expressible(doc))
    if mutation == "drop-required":
        del doc[field]
        expect = f"missing required field '{field}'"
    elif mutation == "unknown-field":
        doc["titel_x"] = "surprise"
        expect = "unknown field 'titel_x'"
    elif mutation == "number-for-text":
        doc["title"] = 1.5
        expect = "title must be text, got the number 1.5"
    elif mutation == "list-for-text":
        doc["owner"] = ["a", "b"]
        expect = "owner must be text, got a list"
    else:
        doc["risk"] = "extreme"
        expect = "risk: the text 'extreme' is not allowed"
    loaded, problems = load_text(_yaml(doc), "releases/X.yaml")
    assert loaded is not None, [p.format() for p in problems]
    release, problems = _model(Release, loaded, dt.UTC)
    assert release is None
    hit = [p for p in problems if expect in p.message]
    assert hit, [p.format() for p in problems]
    lines = _yaml(doc).count("\n")
    assert all(1 <= p.line <= lines and p.col >= 1 for p in hit)
