"""The live session's key property: whatever is saved, the folder it serves holds exactly the files
a fresh `relsite build` of the same release files and day writes, byte for byte (and, after a save
with errors, exactly those of the last good build). Nothing in the folders is excluded."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from tests.support.live import Live, live
from tests.support.projects import build, tree_hashes

__all__ = ["live"]

pytestmark = [pytest.mark.site, pytest.mark.slow]

_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)")
WORDS = ["preview", "R&D", "<b>bold</b>", "2.0", "hotfix", "«quoted»"]
STATUSES = ["approved", "in_test", "on_hold", "cancelled", "closed", "deployed", "early_life_support"]


def _retitle(rng: random.Random, text: str) -> str:
    return re.sub(r"\ntitle: ([^\n]*)", lambda m: f"\ntitle: {m.group(1)} {rng.choice(WORDS)}", text, count=1)


def _restatus(rng: random.Random, text: str) -> str:
    return re.sub(r"\nstatus: \w+", f"\nstatus: {rng.choice(STATUSES)}", text, count=1)


def _next_month(rng: random.Random, text: str) -> str:
    if any(int(day) > 28 for _, _, day in _DATE.findall(text)):
        return _retitle(rng, text)

    def move(m: re.Match[str]) -> str:
        year, month = int(m.group(1)), int(m.group(2))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return f"{year}-{month:02d}-{m.group(3)}"

    return _DATE.sub(move, text)


def _break(rng: random.Random, text: str) -> str:
    return text + "\nbroken: [\n"


EDITS: list[Callable[[random.Random, str], str]] = [_retitle, _retitle, _restatus, _next_month, _break]


@pytest.mark.parametrize("seed", [7])
def test_after_every_random_save_the_served_folder_equals_a_fresh_build(live: Live, seed: int) -> None:
    rng = random.Random(seed)
    releases = sorted((live.project / "releases").glob("REL-*.yaml"))
    originals = {p: p.read_text(encoding="utf-8") for p in releases}
    assert build(live.project).returncode == 0
    expected = tree_hashes(live.project / "site")
    assert live.session.site_dir is not None and tree_hashes(live.session.site_dir) == expected
    outcomes = []
    for _ in range(10):
        path = rng.choice(releases)
        text = path.read_text(encoding="utf-8")
        path.write_text(originals[path] if rng.random() < 0.35 else rng.choice(EDITS)(rng, text), encoding="utf-8")
        live.session.refresh()
        built = build(live.project)
        outcomes.append(built.returncode == 0)
        if built.returncode == 0:
            expected = tree_hashes(live.project / "site")
        assert (live.status()["problems"] == []) == (built.returncode == 0), built.stderr
        assert live.session.site_dir is not None
        assert tree_hashes(live.session.site_dir) == expected
    assert True in outcomes and False in outcomes, "the seed should give both good and broken saves"
