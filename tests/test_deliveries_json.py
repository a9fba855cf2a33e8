"""deployments.json made of each attempt's own item is the document the models serialise to, byte
for byte: for the portal's ledger, for awkward text, for an empty ledger, and when made again."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from relsite.plan.deliveries import DeploymentsDocument, _deployment, deployments_document
from relsite.plan.deployment_ledger import Entry, entries
from relsite.validate.checker import check_folder

from .support.projects import PORTAL, TODAY

DAY = dt.date.fromisoformat(TODAY)


def _reference(name: str, ledger: list[Entry], site_url: str) -> bytes:
    items = [_deployment(e, site_url) for e in reversed(ledger)]
    doc = DeploymentsDocument(portfolio=name, as_of=DAY, deployments=items).model_dump(mode="json")
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _entry(n: int, by: str | None, event: str | None) -> Entry:
    at = dt.datetime(2026, 11, 1, 9, n, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    return Entry(
        release_id=f"REL-{n}", service="ledger", version="1.0", env="prod", status="deployed",
        at=at, by=by, event=event, production=True,
    )  # fmt: skip


def test_the_portals_deployments_are_the_bytes_the_models_give() -> None:
    result = check_folder(PORTAL, today=DAY)
    assert result.portfolio is not None
    ledger = entries(result.portfolio)
    assert len(ledger) > 10
    expected = _reference("Portal", ledger, "https://portal.example/")
    assert deployments_document("Portal", DAY, ledger, "https://portal.example/") == expected
    assert deployments_document("Portal", DAY, ledger, "https://portal.example/") == expected  # kept items


@pytest.mark.parametrize("ledger_size", [0, 1, 3])
def test_awkward_text_and_small_ledgers_are_the_bytes_the_models_give(ledger_size: int) -> None:
    texts = ['Ops "night" team\nline two', "Änderung — 😀 \\ </script>", None]
    ledger = [_entry(n, texts[n % 3], texts[(n + 1) % 3]) for n in range(ledger_size)]
    assert deployments_document('A "portal"', DAY, ledger, "") == _reference('A "portal"', ledger, "")
