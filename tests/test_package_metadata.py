"""What a corporate legal review reads first: the licence text and the package metadata of the built
wheel (licence expression, licence file, authors, project URLs, classifiers, readme)."""

from __future__ import annotations

import email.parser
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.index


@pytest.fixture(scope="module")
def metadata(tmp_path_factory: pytest.TempPathFactory) -> email.message.Message:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    wheel = next(out.glob("relsite-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        licence = next(n for n in zf.namelist() if n.endswith(".dist-info/licenses/LICENSE"))
        assert zf.read(licence) == (ROOT / "LICENSE").read_bytes()
        return email.parser.Parser().parsestr(zf.read(name).decode("utf-8"))


def test_the_repository_has_the_mit_licence_text() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) 2026 relsite contributors\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_wheel_declares_its_licence_as_an_spdx_expression_with_the_file(metadata: email.message.Message) -> None:
    assert metadata["Metadata-Version"] >= "2.4"
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_wheel_names_its_authors_urls_classifiers_and_readme(metadata: email.message.Message) -> None:
    assert metadata["Author"] == "relsite contributors"
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert {"Homepage", "Source", "Issues"} <= urls.keys()
    classifiers = metadata.get_all("Classifier")
    assert "Framework :: MkDocs" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression replaces them
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "relsite" in metadata.get_payload()
