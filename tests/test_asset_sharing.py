"""The engine and the forked writer share the calendars, JSON files and feeds: each is written once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from relsite.plan.site import Asset
from relsite.publish.asset_writer import ForkedWriter, WriterFailed


def _asset(i: int, log: Path) -> Asset:
    def render() -> bytes:
        with log.open("a") as f:  # one line per render, from whichever process renders it
            f.write(f"{i}\n")
        time.sleep(0.005)
        return f"{i} {os.getpid()}".encode()

    return Asset(path=f"d{i % 3}/a{i}.txt", render=render)


def test_each_asset_is_written_once_by_one_of_the_two_processes(tmp_path: Path) -> None:
    out, log = tmp_path / "site", tmp_path / "renders.log"
    writer = ForkedWriter([_asset(i, log) for i in range(200)], str(out), frozenset())
    writer.share()
    sizes, leaks = writer.finish()
    assert sorted(int(line) for line in log.read_text().split()) == list(range(200))
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.txt")}
    assert sizes == {name: len(data) for name, data in written.items()} and len(written) == 200
    assert leaks == []


def test_both_processes_take_a_share_when_both_are_free(tmp_path: Path) -> None:
    out, log = tmp_path / "site", tmp_path / "renders.log"
    writer = ForkedWriter([_asset(i, log) for i in range(200)], str(out), frozenset())
    writer.share()
    writer.finish()
    pids = {p.read_text().split()[1] for p in out.rglob("*.txt")}
    assert str(os.getpid()) in pids and len(pids) == 2


def test_a_file_that_fails_in_the_engines_share_fails_like_the_writers(tmp_path: Path) -> None:
    def slow() -> bytes:
        time.sleep(2)  # the writer is busy with it while the engine takes the last file
        return b"x"

    def broken() -> bytes:
        raise ValueError("no calendar today")

    assets = [Asset(path="slow.txt", render=slow), Asset(path="bad.txt", render=broken)]
    writer = ForkedWriter(assets, str(tmp_path), frozenset())
    with pytest.raises(WriterFailed, match="ValueError: no calendar today"):
        writer.share()


def test_calendars_are_left_to_the_writer_that_serialised_their_events(tmp_path: Path) -> None:
    out, log = tmp_path / "site", tmp_path / "renders.log"
    assets = [_asset(i, log) for i in range(60)]
    calendars = [Asset(path=f"c{i}.ics", render=lambda: str(os.getpid()).encode()) for i in range(60)]
    writer = ForkedWriter([x for pair in zip(calendars, assets, strict=True) for x in pair], str(out), frozenset())
    writer.share()
    writer.finish()
    assert str(os.getpid()) not in {p.read_text() for p in out.glob("*.ics")}
    assert len(list(out.glob("*.ics"))) == 60
