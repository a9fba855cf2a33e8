"""The note importers read real fragments and notes from public projects (tests/notes/README.md)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relsite.load.notes import changesets, commits, release_config, reno, towncrier
from relsite.load.notes.git import Commit
from relsite.load.notes.items import Fragment, NoteItem, SourceLinks
from tests.support.notes_repo import NOTES

PIP = SourceLinks("https://github.com/pypa/pip")
NO_URL = SourceLinks("")


def _pip_types() -> towncrier.Types:
    types = towncrier.types_from_config((NOTES / "towncrier-pip/pyproject.toml").read_text())
    assert types is not None
    return types


def _towncrier(name: str, types: towncrier.Types, links: SourceLinks = PIP, commit: str = "abc") -> list[NoteItem]:
    path = f"news/{name}"
    text = (NOTES / "towncrier-pip" / path).read_text()
    return towncrier.parse(Fragment(path=path, data=text.encode(), commit=commit), text, path, types, links)


def test_pips_towncrier_configuration_gives_its_own_types_in_its_order() -> None:
    assert [name for name, _ in _pip_types().names] == [
        "process",
        "removal",
        "feature",
        "bugfix",
        "vendor",
        "doc",
        "trivial",
    ]


def test_a_pip_feature_fragment_is_listed_under_features_and_links_its_issue() -> None:
    [item] = _towncrier("10002.feature.rst", _pip_types())
    assert (item.kind, item.section, item.ref, item.url) == (
        "feature",
        "Features",
        "#10002",
        "https://github.com/pypa/pip/issues/10002",
    )
    assert item.text.startswith("New resolver: Loosen URL comparison") and "* The query part" in item.text


def test_a_pip_fragment_named_by_a_uuid_links_the_file_instead_of_an_issue() -> None:
    [item] = _towncrier("0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst", _pip_types())
    assert item.section == "Bug Fixes"
    assert item.url == "https://github.com/pypa/pip/blob/abc/news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst"


def test_without_a_configuration_towncriers_default_types_apply() -> None:
    [item] = _towncrier("10117.removal.rst", towncrier.Types(), NO_URL)
    assert (item.section, item.ref, item.url) == ("Deprecations and Removals", "#10117", "")


def test_an_orphan_fragment_has_no_issue() -> None:
    assert towncrier.split_name("+hotfix.bugfix.md", towncrier.Types()) == ("+hotfix", "bugfix")
    assert towncrier.split_name("123.feature.1.md", towncrier.Types()) == ("123", "feature")
    assert towncrier.split_name("README.md", towncrier.Types()) is None


def _reno(name: str) -> tuple[list[NoteItem], list[str]]:
    path = f"releasenotes/notes/{name}"
    text = (NOTES / "reno-nova" / name).read_text()
    items, problems = reno.parse(Fragment(path=path, data=text.encode(), commit="c0ffee"), text, path, NO_URL)
    return items, [p.format() for p in problems]


def test_a_nova_feature_note_is_read_with_the_line_it_starts_on() -> None:
    [item], problems = _reno("add-cpu-weigher-2e982c9f9751d631.yaml")
    assert problems == []
    assert (item.section, item.line) == ("New Features", 3)
    assert item.text.startswith("Add ``CPUWeigher`` weigher.")


def test_a_nova_security_note_keeps_its_prelude_and_sections_in_renos_order() -> None:
    items, problems = _reno("12.0.1-cve-bugs-7b04b2e34a3e9a70.yaml")
    assert problems == []
    assert [i.section for i in items] == ["Prelude", "Security Issues"]
    assert "CVE-2015-8749" in items[1].text


def test_a_reno_note_that_is_not_a_list_is_an_error_at_its_line_and_column() -> None:
    text = "---\nfixes: just one sentence\nsurprise:\n  - x\n"
    items, problems = reno.parse(Fragment(path="n/a.yaml", data=b""), text, "n/a.yaml", NO_URL)
    assert items == []
    assert [p.format().split("\n")[0] for p in problems] == [
        "n/a.yaml:2:8: error: fixes must be a list of notes",
        "n/a.yaml:3:1: warning: 'surprise' is not a reno section; it is left out",
    ]


def _changeset(name: str, package: str | None) -> list[NoteItem]:
    text = (NOTES / "changesets" / name).read_text()
    items, problems = changesets.parse(
        Fragment(path=f".changeset/{name}", data=b""), text, f".changeset/{name}", NO_URL, package
    )
    assert problems == []
    return items


def test_a_changeset_is_the_services_when_it_names_its_package() -> None:
    [item] = _changeset("afraid-dots-know.md", "@changesets/pre")
    assert (item.kind, item.section, item.line) == ("patch", "Patch Changes", 6)
    assert item.text == "Fixed an issue with not being to reenter exited pre mode."
    assert _changeset("afraid-dots-know.md", "@changesets/git") == []


def test_a_changeset_body_keeps_its_markdown() -> None:
    [item] = _changeset("big-maps-say.md", None)
    assert "`since` option" in item.text


def _spec_commits() -> list[list[NoteItem]]:
    messages = (NOTES / "commits/conventional-commits-1.0.0-examples.txt").read_text().split("\n%%\n")
    return [
        commits.parse(Commit(f"{i:040x}", m.strip()), SourceLinks("https://github.com/o/r"))
        for i, m in enumerate(messages)
    ]


def test_the_specifications_examples_give_breaking_changes_features_fixes_and_reverts() -> None:
    parsed = _spec_commits()
    feat_with_footer, bang, scoped_bang, bang_and_footer, docs, scoped_feat, fix, revert = parsed
    assert [(i.section, i.text) for i in feat_with_footer] == [
        ("Breaking changes", "`extends` key in config file is now used for extending other config files"),
        ("Features", "allow provided config object to extend other configs"),
    ]
    assert [(i.section, i.text) for i in bang] == [("Breaking changes", "drop support for Node 6")]
    assert [i.text for i in scoped_bang] == ["**runtime:** drop support for Node 6"]
    assert [i.text for i in bang_and_footer] == ["refactor to use JavaScript features not available in Node 6."]
    assert docs == []
    assert [(i.section, i.text) for i in scoped_feat] == [("Features", "**lang:** add polish language")]
    assert [(i.section, i.ref, i.url) for i in fix] == [
        ("Bug Fixes", "0000000", "https://github.com/o/r/commit/0000000000000000000000000000000000000006")
    ]
    assert [i.section for i in revert] == ["Reverts"]


def test_a_pull_request_number_in_the_subject_becomes_the_link() -> None:
    [item] = commits.parse(Commit("f" * 40, "fix(api): keep the session (#42)"), SourceLinks("https://github.com/o/r"))
    assert (item.text, item.ref, item.url) == ("**api:** keep the session", "#42", "https://github.com/o/r/pull/42")


def test_a_commit_that_is_not_conventional_is_no_note() -> None:
    assert commits.parse(Commit("f" * 40, "Merge branch 'main'"), NO_URL) == []


def test_pydantics_release_configuration_sorts_items_into_its_categories() -> None:
    config, problems = release_config.parse((NOTES / "github/pydantic-release.yml").read_text(), "release.yml")
    assert problems == []
    assert [c.title for c in config.categories] == ["Packaging", "Added", "Performance", "Changed", "Removed", "Fixed"]
    item = NoteItem(kind="fix", section="Bug Fixes", rank=1, text="x", origin="o", labels=("relnotes-fixed",))
    skipped = NoteItem(kind="fix", section="Bug Fixes", rank=1, text="y", origin="o", labels=("ignore-for-release",))
    other = NoteItem(kind="feat", section="Features", rank=0, text="z", origin="o", labels=("feat",))
    assert [(i.text, i.section) for i in config.apply([item, skipped, other])] == [
        ("x", "Fixed"),
        ("z", "Other Changes"),
    ]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_no_fragment_content_makes_an_importer_raise(data: bytes) -> None:
    from relsite.load.notes.files import decode_note

    text, _ = decode_note("f", data)
    if text is None:
        return
    towncrier.parse(Fragment(path="news/1.feature.md", data=data), text, "f", towncrier.Types(), NO_URL)
    reno.parse(Fragment(path="n/a.yaml", data=data), text, "f", NO_URL)
    changesets.parse(Fragment(path=".changeset/a.md", data=data), text, "f", NO_URL, None)
    commits.parse(Commit("a" * 40, text), NO_URL)
    release_config.parse(text, "f")


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        ("release_config", "changelog:\n  categories: 5\n", "f:2:15: error: categories must be a list"),
        ("changesets", "---\na: [1]\n---\nbody\n", "f:2:4: error: the bump for a must be major, minor or patch"),
        ("reno", "---\n- a note\n", "f:1:1: error: the top level must be a mapping of field names to values"),
    ],
)
def test_a_malformed_note_file_is_a_problem_at_its_line_not_a_crash(parse: str, text: str, expected: str) -> None:
    if parse == "release_config":
        _, problems = release_config.parse(text, "f")
    elif parse == "changesets":
        _, problems = changesets.parse(Fragment(path=".changeset/a.md", data=b""), text, "f", NO_URL, None)
    else:
        _, problems = reno.parse(Fragment(path="n/a.yaml", data=b""), text, "f", NO_URL)
    assert [p.format().split("\n")[0] for p in problems] == [expected]
    assert all("REL-" not in p.hint for p in problems)  # hints speak of notes, not release files
