"""Lifecycle data in the formats other tools read, built from tests/sites/lifecycle as of 2026-11-27:
the endoflife.date API (checked against endoflife.date's own OpenAPI document), ECMA-428 CLE
documents, identifiers and evidence links, the "Changing soon" page and JSON, and per-service feeds.
Every JSON file is read back with json and validated with jsonschema (formats checked)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from icalendar import Calendar

from .conftest import SITES, build, make_project, soup

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SITE_URL = "https://portal.example.com/"
CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


@pytest.fixture(scope="module")
def lifecycle_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("lifecycle"), SITES / "lifecycle" / "releases")
    config = project / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _openapi() -> dict[str, Any]:
    """endoflife.date's OpenAPI document, without its Jekyll front matter and with its Liquid URL filled in."""
    text = (SCHEMAS / "endoflife-date-openapi-v1.yml").read_text(encoding="utf-8")
    text = text.split("---\n", 2)[2].replace("{{ site.url }}", "https://endoflife.date")
    return yaml.safe_load(text)


OPENAPI = _openapi()


def _response_schema(path: str) -> dict[str, Any]:
    """The 200 response schema of ``path`` in the OpenAPI document, resolvable on its own."""
    ref = OPENAPI["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return {**ref, "components": OPENAPI["components"]}


def _valid(document: Any, path: str) -> None:
    jsonschema.Draft202012Validator(_response_schema(path), format_checker=CHECKER).validate(document)


def _read(site: Path, path: str) -> Any:
    return json.loads((site / path).read_text(encoding="utf-8"))


EOL = "api/eol/v1"
ENDPOINTS = [
    ("/", f"{EOL}/index.json"),
    ("/products", f"{EOL}/products/index.json"),
    ("/products/full", f"{EOL}/products/full/index.json"),
    ("/products/{product}", f"{EOL}/products/shop/index.json"),
    ("/products/{product}", f"{EOL}/products/billing/index.json"),
    ("/products/{product}/releases/{release}", f"{EOL}/products/shop/releases/2/index.json"),
    ("/products/{product}/releases/{release}", f"{EOL}/products/billing/releases/all/index.json"),
    ("/products/{product}/releases/latest", f"{EOL}/products/shop/releases/latest/index.json"),
]


@pytest.mark.parametrize(("endpoint", "file"), ENDPOINTS, ids=[f for _, f in ENDPOINTS])
def test_every_endoflife_document_matches_the_endoflife_date_openapi_description(
    lifecycle_site: Path, endpoint: str, file: str
) -> None:
    _valid(_read(lifecycle_site, file), endpoint)


def test_the_openapi_check_refuses_a_cycle_without_its_end_of_life(lifecycle_site: Path) -> None:
    document = _read(lifecycle_site, f"{EOL}/products/shop/releases/2/index.json")
    del document["result"]["eolFrom"]
    with pytest.raises(jsonschema.ValidationError):
        _valid(document, "/products/{product}/releases/{release}")


def test_a_line_maps_to_a_release_cycle_with_its_support_dates_and_latest_release(lifecycle_site: Path) -> None:
    cycle = _read(lifecycle_site, f"{EOL}/products/shop/releases/2/index.json")["result"]
    assert {
        k: cycle[k]
        for k in (
            "name",
            "codename",
            "label",
            "releaseDate",
            "isLts",
            "isEoas",
            "eoasFrom",
            "isEol",
            "eolFrom",
            "isMaintained",
        )
    } == {
        "name": "2",
        "codename": "Kestrel",
        "label": "2 'Kestrel' (LTS)",
        "releaseDate": "2025-01-01",
        "isLts": True,
        "isEoas": True,
        "eoasFrom": "2026-06-01",
        "isEol": False,
        "eolFrom": "2027-12-01",
        "isMaintained": True,
    }
    assert cycle["latest"] == {"name": "2.1.0", "date": "2026-07-01", "link": f"{SITE_URL}releases/SHOP-2-1/"}


def test_an_ended_line_is_end_of_life_and_not_maintained(lifecycle_site: Path) -> None:
    cycle = _read(lifecycle_site, f"{EOL}/products/shop/releases/1/index.json")["result"]
    assert (cycle["isEol"], cycle["eolFrom"], cycle["isMaintained"], cycle["latest"]["name"]) == (
        True,
        "2026-06-01",
        False,
        "1.1.0",
    )


def test_extended_support_is_given_only_for_products_that_have_it(lifecycle_site: Path) -> None:
    billing = _read(lifecycle_site, f"{EOL}/products/billing/index.json")["result"]
    shop = _read(lifecycle_site, f"{EOL}/products/shop/index.json")["result"]
    assert (billing["releases"][0]["isEoes"], billing["releases"][0]["eoesFrom"]) == (False, "2027-05-01")
    assert "eoesFrom" not in shop["releases"][0] and shop["labels"]["eoes"] is None


def test_latest_is_the_newest_line_that_has_started(lifecycle_site: Path) -> None:
    latest = _read(lifecycle_site, f"{EOL}/products/shop/releases/latest/index.json")["result"]
    assert latest["name"] == "2"  # 3.x is only in preview from 1 Dec 2026


def test_the_product_lists_its_identifiers_and_its_portal_page(lifecycle_site: Path) -> None:
    shop = _read(lifecycle_site, f"{EOL}/products/shop/index.json")["result"]
    assert shop["identifiers"] == [
        {"type": "purl", "id": "pkg:npm/%40acme/shop"},
        {"type": "cpe", "id": "cpe:2.3:a:acme:shop:*:*:*:*:*:*:*:*"},
        {"type": "repology", "id": "acme-shop"},
    ]
    assert shop["links"]["html"] == f"{SITE_URL}services/shop/"


def test_identifiers_are_listed_by_type(lifecycle_site: Path) -> None:
    purls = _read(lifecycle_site, f"{EOL}/identifiers/purl/index.json")
    assert purls["result"] == [
        {"identifier": "pkg:npm/%40acme/shop", "product": {"name": "shop", "uri": f"{SITE_URL}{EOL}/products/shop/"}}
    ]


def test_the_api_is_the_same_bytes_when_built_again(lifecycle_site: Path, tmp_path: Path) -> None:
    again = make_project(tmp_path / "again", SITES / "lifecycle" / "releases")
    config = again / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert build(again).returncode == 0
    for folder in (EOL, "api/cle"):
        first = {p.relative_to(lifecycle_site): p.read_bytes() for p in (lifecycle_site / folder).rglob("*.json")}
        second = {p.relative_to(again / "site"): p.read_bytes() for p in (again / "site" / folder).rglob("*.json")}
        assert first == second


# --- ECMA-428 CLE ---------------------------------------------------------------------------------

CLE_SCHEMA = json.loads((SCHEMAS / "cle-1.0.0.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("service", ["shop", "billing"])
def test_each_cle_document_is_valid_against_the_cle_schema(lifecycle_site: Path, service: str) -> None:
    jsonschema.Draft202012Validator(CLE_SCHEMA, format_checker=CHECKER).validate(
        _read(lifecycle_site, f"api/cle/{service}.json")
    )


def test_the_cle_schema_refuses_an_end_of_support_without_its_policy(lifecycle_site: Path) -> None:
    document = _read(lifecycle_site, "api/cle/shop.json")
    event = next(e for e in document["events"] if e["type"] == "endOfSupport")
    del event["supportId"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(CLE_SCHEMA, format_checker=CHECKER).validate(document)


def test_cle_events_are_listed_newest_id_first_with_ids_in_time_order(lifecycle_site: Path) -> None:
    events = _read(lifecycle_site, "api/cle/shop.json")["events"]
    ids = [e["id"] for e in events]
    assert ids == sorted(ids, reverse=True) and ids[-1] == 1
    assert [e["effective"] for e in reversed(events)] == sorted(e["effective"] for e in events)


def test_a_line_becomes_a_vers_range_in_the_scheme_of_the_package_url(lifecycle_site: Path) -> None:
    events = _read(lifecycle_site, "api/cle/shop.json")["events"]
    end_of_life = {e["effective"]: e["versions"] for e in events if e["type"] == "endOfLife"}
    assert end_of_life["2026-05-31T22:00:00Z"] == [{"range": "vers:npm/>=1|<2"}]  # 1 June in Europe/Berlin


def test_cle_names_the_release_of_each_production_deployment_and_what_superseded_a_line(lifecycle_site: Path) -> None:
    events = _read(lifecycle_site, "api/cle/shop.json")["events"]
    assert sorted(e["version"] for e in events if e["type"] == "released") == ["1.0.0", "1.1.0", "2.0.0", "2.1.0"]
    superseded = [e for e in events if e["type"] == "supersededBy"]
    assert [(e["versions"], e["supersededByVersion"]) for e in superseded] == [
        ([{"range": "vers:npm/>=1|<2"}], "2.0.0")
    ]


def test_a_service_without_a_package_url_is_named_as_a_generic_package(lifecycle_site: Path) -> None:
    document = _read(lifecycle_site, "api/cle/billing.json")
    assert document["identifier"] == "pkg:generic/billing"
    assert {e["supportId"] for e in document["events"] if e["type"] == "endOfSupport"} == {"standard", "extended"}


# --- identifiers and evidence on the pages -------------------------------------------------------


def test_the_service_page_shows_its_identifiers_feed_and_lifecycle_documents(lifecycle_site: Path) -> None:
    box = soup(lifecycle_site / "services/shop/index.html").select_one('dl[data-rs="identity"]')
    assert box is not None
    assert [dt.get_text() for dt in box.select("dt")][:3] == ["Package URL", "CPE", "Repology"]
    assert [c.get_text() for c in box.select("dd code")] == [
        "pkg:npm/%40acme/shop",
        "cpe:2.3:a:acme:shop:*:*:*:*:*:*:*:*",
        "acme-shop",
    ]
    hrefs = [a["href"] for a in box.select("a")]
    assert hrefs == [
        "../../calendar/services/shop.ics",
        f"../../{EOL}/products/shop/index.json",
        "../../api/cle/shop.json",
    ]
    assert all((lifecycle_site / "services/shop" / h).resolve().is_file() for h in hrefs)


def test_a_release_page_links_its_sboms_and_vex(lifecycle_site: Path) -> None:
    details = soup(lifecycle_site / "releases/SHOP-2-1/index.html").select_one("dl.rs-details")
    assert details is not None
    links = [(a.get_text(), a["href"]) for a in details.select("a[rel=noopener]")]
    assert links == [
        ("SBOM (CycloneDX)", "https://artifacts.example.com/shop/2.1.0/sbom.cdx.json"),
        ("SBOM (SPDX)", "https://artifacts.example.com/shop/2.1.0/sbom.spdx.json"),
        ("VEX (OpenVEX)", "https://artifacts.example.com/shop/2.1.0/vex.json"),
    ]


def test_the_release_api_carries_the_evidence_links(lifecycle_site: Path) -> None:
    release = _read(lifecycle_site, "api/v1/releases/SHOP-2-1.json")
    assert [d["format"] for d in release["sbom"]] == ["cyclonedx", "spdx"] and release["vex"][0]["format"] == "openvex"
    support = _read(lifecycle_site, "api/v1/support.json")
    assert support["services"][0]["identifiers"][0] == {"type": "purl", "id": "pkg:npm/%40acme/shop"}


# --- changing soon and per-service feeds ---------------------------------------------------------


def _uids(path: Path) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_changing_soon_lists_the_next_and_last_thirty_days(lifecycle_site: Path) -> None:
    changing = _read(lifecycle_site, "api/v1/changing.json")
    assert changing["days"] == 30
    assert [e["uid"] for e in changing["ahead"]] == ["support-shop-3-preview@relsite", "SHOP-3-0.test.window@relsite"]
    assert [e["uid"] for e in changing["behind"]] == ["BILL-2.prod.window@relsite"]


def test_changing_soon_names_the_same_events_with_the_same_uids_as_the_calendars(lifecycle_site: Path) -> None:
    changing = _read(lifecycle_site, "api/v1/changing.json")
    assert {e["uid"] for e in changing["ahead"] + changing["behind"]} <= _uids(lifecycle_site / "calendar/releases.ics")


def test_the_changing_soon_page_shows_each_entry_with_its_kind_and_place(lifecycle_site: Path) -> None:
    rows = soup(lifecycle_site / "changing/index.html").select('table[data-rs="changing"] tbody tr')
    cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
    assert cells[1][1:] == ["SHOP-3-0 3.0.0 of shop → test", "deployment", "Shop → test"]
    assert all(td.get("data-label") for row in rows for td in row.select("td"))


def test_a_hostile_title_stays_text_on_the_changing_page(lifecycle_site: Path) -> None:
    html = (lifecycle_site / "changing/index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_each_service_has_a_feed_of_its_own_events_with_the_portfolio_uids(lifecycle_site: Path) -> None:
    shop = _uids(lifecycle_site / "calendar/services/shop.ics")
    assert shop and shop <= _uids(lifecycle_site / "calendar/releases.ics")
    assert all(re.match(r"^(SHOP-|support-shop-)", uid) for uid in shop)
    assert "SHOP-3-0.test.window@relsite" in shop and "support-shop-2-end_of_life@relsite" in shop
