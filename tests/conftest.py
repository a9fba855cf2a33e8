"""Shared helpers: fixture portfolios are folders of small YAML files copied into a temporary project."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
BASE_PORTFOLIO = CASES / "_base" / "portfolio.yaml"


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test with the working directory in a fresh temporary folder."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def copy_case(name: str, dest: Path) -> Path:
    shutil.copytree(CASES / name / "releases", dest / "releases")
    return dest / "releases"


def relsite(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
