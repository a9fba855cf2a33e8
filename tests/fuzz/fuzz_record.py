"""Coverage-guided fuzzing of `relsite record` with atheris (not part of CI).

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_record.py -max_total_time=300 tests/fuzz/corpus-record

Each input is the choices that lay out a release file (tests/fuzz/record_layouts.py: block and
flow mappings, trailing commas, block-scalar notes, comments, BOM, CRLF...), such a file with random
text spliced in, or raw text taken as a release file; the rest picks a deployment record. The property
(``check_record``): the edit is refused, or the file reads back as the old data with exactly the
recorded values changed, and the changed portfolio can be rechecked. Any exception that escapes
is a bug; a refusal is not.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    from tests.fuzz.record_layouts import check_record, deployment, release_text


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)

    def pick(options: Sequence[Any]) -> Any:
        options = list(options)
        return options[fdp.ConsumeIntInRange(0, len(options) - 1)]

    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        text = release_text(pick)
    elif mode == 1:  # a laid-out file with random text spliced in: layouts nobody thought of
        text = release_text(pick)
        at = fdp.ConsumeIntInRange(0, len(text))
        text = text[:at] + fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 64)) + text[at:]
    else:
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 4096))
    check_record(text, deployment(pick))


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
