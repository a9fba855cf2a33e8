"""The gate's sweep reads every text file of a site folder once: nested folders, linked folders
(a loop of links ends), files of other kinds left alone."""

from __future__ import annotations

import os
from pathlib import Path

from relsite.publish.secret_gate import SecretGate, _text_files


def test_the_sweep_lists_every_text_file_once_and_follows_a_loop_of_links_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "a" / "b" / "feed.xml").write_text("<feed/>")
    (site / "a" / "logo.png").write_bytes(b"\x89PNG")
    os.symlink(site / "a", site / "a" / "b" / "loop")
    found = sorted(name for name, _, _ in _text_files(site))
    assert found == ["a/b/feed.xml", "index.html"]


def test_a_credential_in_a_file_the_build_did_not_scan_is_found_by_the_sweep(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "extra.js").write_text('const key = "ghp_' + "a1B2" * 9 + '";\n')
    gate = SecretGate()
    gate.sweep(site)
    assert [e.split(":", 1)[0] for e in gate.errors] == ["assets/extra.js"]
