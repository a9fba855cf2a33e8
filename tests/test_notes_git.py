"""Notes are assigned to releases by git history: what was added between the previous release's
tag and a release's own tag, read where it last existed; what came after the newest tag is the draft."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from relsite.load.notes.collect import collect_service
from relsite.validate.notes_config import NotesSource
from tests.support.notes_repo import Repo


def _towncrier_repo(root: Path) -> Repo:
    """1.0.0 adds two pip fragments; its release commit deletes them (towncrier build) and is
    tagged; then a reno-style second note and a commit come for 1.1.0; then a draft."""
    repo = Repo(root)
    repo.copy("towncrier-pip/pyproject.toml", "pyproject.toml")
    repo.copy("towncrier-pip/news/10002.feature.rst", "news/10002.feature.rst")
    repo.commit("feat(resolver): loosen URL comparison (#10002)")
    repo.copy("towncrier-pip/news/10117.removal.rst", "news/10117.removal.rst")
    repo.commit("refactor: parse git versions with a regular expression")
    repo.remove("news/10002.feature.rst", "news/10117.removal.rst")
    repo.commit("Release 1.0.0")
    repo.tag("v1.0.0")
    repo.copy(
        "towncrier-pip/news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst",
        "news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst",
    )
    repo.commit("fix: include sub-actions in tab completion")
    repo.remove("news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst")
    repo.commit("Release 1.1.0")
    repo.tag("v1.1.0")
    repo.write("news/20001.feature.md", "A pending feature.\n")
    repo.commit("feat: pending")
    repo.write("news/20002.bugfix.md", "Not committed yet.\n")
    return repo


SETTINGS = NotesSource(repository="svc", towncrier="news", commits=True, url="https://github.com/acme/svc")


def test_a_release_gets_the_fragments_added_since_the_previous_tag_even_after_they_were_deleted(tmp_path: Path) -> None:
    _towncrier_repo(tmp_path / "svc")
    notes, config, problems = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0", "1.1.0"])
    assert (config, problems) == ([], [])
    first = [(i.section, i.ref) for i in notes.by_version["1.0.0"]]
    assert ("Features", "#10002") in first and ("Deprecations and Removals", "#10117") in first
    assert ("Bug Fixes", "news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst") not in first
    second = [(i.section, i.ref) for i in notes.by_version["1.1.0"]]
    assert ("Bug Fixes", "news/0741cad6-3007-47f8-9c53-984e9116c7ff.bugfix.rst") in second
    assert all(ref != "#10002" for _, ref in second)


def test_conventional_commits_in_the_range_join_the_release(tmp_path: Path) -> None:
    _towncrier_repo(tmp_path / "svc")
    notes, _, _ = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0", "1.1.0"])
    commits = [(i.kind, i.text, i.url) for i in notes.by_version["1.0.0"] if i.origin.startswith("commit")]
    assert commits == [("feat", "**resolver:** loosen URL comparison", "https://github.com/acme/svc/pull/10002")]
    assert [i.text for i in notes.by_version["1.1.0"] if i.origin.startswith("commit")] == [
        "include sub-actions in tab completion"
    ]


def test_what_came_after_the_newest_tag_and_untracked_fragments_are_the_draft(tmp_path: Path) -> None:
    _towncrier_repo(tmp_path / "svc")
    notes, _, _ = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0", "1.1.0", "1.2.0"])
    assert notes.draft_from == "v1.1.0"
    assert [(i.ref, i.text) for i in notes.draft if not i.origin.startswith("commit")] == [
        ("#20001", "A pending feature."),
        ("#20002", "Not committed yet."),
    ]
    assert [i.text for i in notes.draft if i.origin.startswith("commit")] == ["pending"]
    assert "1.2.0" not in notes.by_version


def test_a_release_without_a_tag_gets_nothing_and_the_draft_counts_from_the_newest_tag(tmp_path: Path) -> None:
    _towncrier_repo(tmp_path / "svc")
    notes, _, _ = collect_service(tmp_path, SETTINGS, "svc", ["1.1.0"])
    assert list(notes.by_version) == ["1.1.0"]
    assert any(i.ref == "#10002" for i in notes.by_version["1.1.0"])  # the first tag's range starts at the beginning


def test_without_git_history_the_working_tree_fragments_are_the_draft(tmp_path: Path) -> None:
    (tmp_path / "svc/news").mkdir(parents=True)
    (tmp_path / "svc/news/7.feature.md").write_text("Works without git.\n")
    (tmp_path / "svc/news/.gitignore").write_text("!.gitignore\n")
    notes, config, problems = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0"])
    assert (config, problems, notes.by_version) == ([], [], {})
    assert [(i.section, i.text) for i in notes.draft] == [("Features", "Works without git.")]


def test_a_tag_pattern_with_the_service_name_finds_monorepo_tags(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.write("notes/a.yaml", "---\nfixes:\n  - Fixed it.\n")
    repo.commit("add note")
    repo.tag("billing@2.0.0")
    settings = NotesSource(repository="svc", reno="notes", tag="{service}@{version}")
    notes, _, problems = collect_service(tmp_path, settings, "billing", ["2.0.0"])
    assert problems == []
    assert [(i.section, i.text, i.line) for i in notes.by_version["2.0.0"]] == [("Bug Fixes", "Fixed it.", 3)]


def test_changesets_deleted_by_the_version_commit_are_read_as_they_were(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.copy("changesets/afraid-dots-know.md", ".changeset/afraid-dots-know.md")
    repo.write(".changeset/README.md", "# Changesets\n")
    repo.commit("add changeset")
    repo.remove(".changeset/afraid-dots-know.md")
    repo.commit("Version Packages")
    repo.tag("v0.4.1")
    settings = NotesSource(repository="svc", changesets=".changeset", package="@changesets/cli")
    notes, _, problems = collect_service(tmp_path, settings, "svc", ["0.4.1"])
    assert problems == []
    assert [(i.section, i.text) for i in notes.by_version["0.4.1"]] == [
        ("Patch Changes", "Fixed an issue with not being to reenter exited pre mode.")
    ]


def test_a_fragment_that_is_a_symbolic_link_is_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("host secret\n")
    (tmp_path / "svc/news").mkdir(parents=True)
    os.symlink(secret, tmp_path / "svc/news/1.feature.md")
    notes, _, problems = collect_service(tmp_path, SETTINGS, "svc", [])
    assert notes.draft == []
    assert [p.rule for p in problems] == ["notes.read"]
    assert "symbolic link" in problems[0].message


def test_a_committed_symbolic_link_is_refused_without_reading_it(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    (tmp_path / "svc/news").mkdir()
    os.symlink("/etc/passwd", tmp_path / "svc/news/1.feature.md")
    repo.commit("link")
    repo.tag("v1.0.0")
    notes, _, problems = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0"])
    assert notes.by_version["1.0.0"] == []
    assert [p.message for p in problems] == ["a note must be a regular file; links and submodules are not read"]


@pytest.mark.parametrize("folder", ["../../etc", "/etc"])
def test_a_note_folder_outside_the_repository_is_refused_by_the_model(folder: str) -> None:
    with pytest.raises(ValueError, match="towncrier"):
        NotesSource(towncrier=folder)


def test_a_note_folder_that_is_a_link_out_of_the_repository_is_a_configuration_problem(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    os.symlink("/etc", tmp_path / "svc/news")
    notes, config, _ = collect_service(tmp_path, SETTINGS, "svc", [])
    assert notes.draft == [] and len(config) == 1 and "symbolic link" in config[0]


def test_an_oversized_fragment_is_reported_and_not_read(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.write("news/1.feature.md", "x" * 100_000)
    repo.commit("big")
    repo.tag("v1.0.0")
    notes, _, problems = collect_service(tmp_path, SETTINGS, "svc", ["1.0.0"])
    assert notes.by_version["1.0.0"] == []
    assert [p.rule for p in problems] == ["notes.size"]


def test_an_annotated_tag_counts_like_a_lightweight_one(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.write("news/5.feature.md", "Annotated.\n")
    repo.commit("five")
    repo.git("tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    notes, _, problems = collect_service(tmp_path, SETTINGS, "svc", ["2.0.0"])
    assert problems == []
    assert [i.text for i in notes.by_version["2.0.0"]] == ["Annotated."]


def test_a_github_release_configuration_gives_the_headings(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.write(
        ".github/release.yml",
        "changelog:\n  exclude:\n    labels: [docs]\n  categories:\n"
        "    - title: Breaking\n      labels: [breaking-change]\n"
        "    - title: New\n      labels: [feat, feature]\n",
    )
    repo.write("news/1.feature.md", "A fragment feature.\n")
    repo.write("news/2.bugfix.md", "A fragment fix.\n")
    repo.commit("feat!: a commit feature")
    repo.tag("v1.0.0")
    settings = NotesSource(
        repository="svc", towncrier="news", commits=True, github_release_config=".github/release.yml"
    )
    notes, _, problems = collect_service(tmp_path, settings, "svc", ["1.0.0"])
    assert problems == []
    assert sorted((i.section, i.text) for i in notes.by_version["1.0.0"]) == [
        ("Breaking", "a commit feature"),
        ("New", "A fragment feature."),
        ("New", "a commit feature"),
        ("Other Changes", "A fragment fix."),
    ]


def test_true_means_the_tools_usual_folder_and_towncriers_configured_directory(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "svc")
    repo.copy("towncrier-pip/pyproject.toml", "pyproject.toml")  # directory = "news/"
    repo.copy("towncrier-pip/news/10117.removal.rst", "news/10117.removal.rst")
    repo.copy(
        "reno-nova/add-cpu-weigher-2e982c9f9751d631.yaml", "releasenotes/notes/add-cpu-weigher-2e982c9f9751d631.yaml"
    )
    repo.copy("changesets/big-maps-say.md", ".changeset/big-maps-say.md")
    settings = NotesSource(repository="svc", towncrier=True, reno=True, changesets=True)
    notes, config, problems = collect_service(tmp_path, settings, "svc", [])
    assert (config, problems) == ([], [])
    assert sorted(i.section for i in notes.draft) == ["Deprecations and Removals", "New Features", "Patch Changes"]
