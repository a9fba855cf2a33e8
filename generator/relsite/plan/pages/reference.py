"""Reference pages generated from the models and the rule registry, so the documentation cannot
drift from the validator: every field's type, whether it is required, and its description."""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from relsite.plan import urls
from relsite.plan.pages.common import page
from relsite.plan.site import Page
from relsite.validate.catalog import all_checks
from relsite.validate.models import PortfolioConfig, Release

RuleRow = tuple[str, str, str]


def type_name(annotation: Any) -> tuple[str, list[type[BaseModel]]]:
    """A readable type, and the models it refers to (documented in their own tables)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        parts = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(p[0] for p in parts), [m for p in parts for m in p[1]]
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args), []
    if origin is list:
        inner, models = type_name(args[0])
        return f"list of {inner}", models
    if origin is dict:
        inner, models = type_name(args[1])
        return f"mapping of name to {inner}", models
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})", [annotation]
    names = {
        str: "text",
        int: "whole number",
        bool: "true or false",
        dt.date: "date (YYYY-MM-DD)",
        dt.datetime: "date and time (ISO 8601)",
    }
    return names.get(annotation, getattr(annotation, "__name__", str(annotation))), []


def model_tables(root: type[BaseModel]) -> list[tuple[str, list[tuple[str, str, bool, str]]]]:
    """(model name, [(field, type, required, description)]) for ``root`` and every model it uses."""
    seen: list[type[BaseModel]] = []
    todo = [root]
    tables = []
    while todo:
        model = todo.pop(0)
        if model in seen:
            continue
        seen.append(model)
        rows = []
        for name, info in model.model_fields.items():
            annotation = info.annotation
            models: list[type[BaseModel]] = []
            if name == "known_issues":
                text = "list of text or [KnownIssue](#knownissue)"
            elif name in ("code_freeze", "cab", "go_no_go"):
                text = "date, or date and time"
            else:
                text, models = type_name(
                    info.rebuild_annotation() if hasattr(info, "rebuild_annotation") else annotation
                )
            todo.extend(m for m in models if m not in seen)
            rows.append((name, text, info.is_required(), info.description or ""))
        tables.append((model.__name__, rows))
    return tables


def rule_rows() -> list[RuleRow]:
    return [(c.id, c.applies_to, c.description) for c in all_checks()]


@dataclass(frozen=True, kw_only=True)
class FieldsView:
    sections: list[tuple[str, str, list[tuple[str, list[tuple[str, str, bool, str]]]]]]
    """(anchor, heading, [(model name, [(field, type, required, description)])])."""


@dataclass(frozen=True, kw_only=True)
class RulesView:
    rules: list[RuleRow]


def pages() -> Iterator[Page]:
    fields = FieldsView(
        sections=[
            ("release", "Release file", model_tables(Release)),
            ("portfolio", "portfolio.yaml", model_tables(PortfolioConfig)),
        ]
    )
    yield page(
        urls.FIELDS_SRC,
        "Field reference",
        "reference_fields.html.j2",
        fields,
        (("release", "Release file"), ("portfolio", "portfolio.yaml")),
    )
    yield page(urls.RULES_SRC, "Validation rules", "reference_rules.html.j2", RulesView(rules=rule_rows()))
