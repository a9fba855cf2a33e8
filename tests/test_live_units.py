"""The live preview's small parts without a site: what a change is, and what is added to a served page."""

from __future__ import annotations

from pathlib import Path

from relsite.publish.live_server import EVENTS, OVERLAY_ID, Snapshot, inject, resolve
from relsite.publish.live_watch import Change, compare, release_edits, snapshot

RELEASES = Path("/p/releases")


def _edited(*names: str) -> Change:
    return Change(frozenset(str(RELEASES / n) for n in names), frozenset(), frozenset())


def test_an_edit_of_release_files_only_is_a_release_edit() -> None:
    assert release_edits(_edited("REL-1.yaml", "2026/REL-2.yml"), RELEASES) == [
        RELEASES / "2026/REL-2.yml",
        RELEASES / "REL-1.yaml",
    ]


def test_an_edit_of_portfolio_yaml_needs_a_full_build() -> None:
    assert release_edits(_edited("REL-1.yaml", "portfolio.yaml"), RELEASES) is None


def test_an_edit_of_the_secrets_allowlist_needs_a_full_build() -> None:
    assert release_edits(_edited(".secrets-allowlist"), RELEASES) is None


def test_a_release_file_added_needs_a_full_build() -> None:
    assert release_edits(Change(frozenset(), frozenset({str(RELEASES / "REL-3.yaml")}), frozenset()), RELEASES) is None


def test_an_edit_outside_the_releases_folder_needs_a_full_build() -> None:
    assert release_edits(Change(frozenset({"/p/content/index.md"}), frozenset(), frozenset()), RELEASES) is None


def test_a_snapshot_sees_an_edit_and_ignores_an_editors_swap_file(tmp_path: Path) -> None:
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\n")
    before = snapshot([tmp_path])
    (tmp_path / "REL-1.yaml").write_text("id: REL-1\ntitle: longer\n")
    (tmp_path / ".REL-1.yaml.swp").write_text("x")
    assert compare(before, snapshot([tmp_path])) == Change(
        frozenset({str(tmp_path / "REL-1.yaml")}), frozenset(), frozenset()
    )


def test_a_served_page_gets_the_script_before_its_body_ends() -> None:
    page = inject(b"<html><body><p>x</p></body></html>", Snapshot(1, 1, (), None)).decode()
    assert page.endswith("</script></body></html>") and EVENTS in page and OVERLAY_ID not in page.split("<script")[0]


def test_problems_are_shown_escaped_in_the_overlay_and_in_the_script() -> None:
    page = inject(
        b"<body></body>", Snapshot(2, 1, ("x.yaml:1:1: error: <img src=x onerror=alert(1)></script>",), None)
    ).decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page and page.count("</script>") == 1


def test_a_path_that_climbs_out_of_the_site_names_nothing(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    assert resolve(tmp_path / "site", "/", "/../secret.txt") == ("missing", None)
    assert resolve(tmp_path / "site", "/", "/%2e%2e/secret.txt") == ("missing", None)
