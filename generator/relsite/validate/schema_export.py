"""JSON Schemas of the two file kinds, generated from the models.

Written as draft 7 (``definitions`` instead of ``$defs``) because that is what the YAML language
server in editors understands best. The schema checks shape only; the rules in ``rules.py`` are
what ``relsite validate`` adds on top.
"""

from __future__ import annotations

import json
from typing import Any

from relsite.validate.models import PortfolioConfig, Release

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMAS: dict[str, type[Release | PortfolioConfig]] = {
    "release.schema.json": Release,
    "portfolio.schema.json": PortfolioConfig,
}


def schema_of(model: type[Release | PortfolioConfig]) -> dict[str, Any]:
    raw = model.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    text = json.dumps(raw).replace('"#/$defs/', '"#/definitions/')
    schema = json.loads(text)
    _close_pattern_objects(schema)
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    title = "relsite release file (format v1)" if model is Release else "relsite portfolio.yaml (format v1)"
    return {"$schema": DRAFT7, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def _close_pattern_objects(node: Any) -> None:
    """Keys of a dict[Name, X] must match the name pattern; pydantic leaves other keys open."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_objects(value)


def render_all() -> dict[str, str]:
    """File name -> file text, stable byte for byte."""
    return {
        name: json.dumps(schema_of(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for name, model in SCHEMAS.items()
    }
