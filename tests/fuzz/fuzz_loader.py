"""Coverage-guided fuzzing of the loader and the models with atheris (not part of CI).

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_loader.py -max_total_time=300 tests/fuzz/corpus

Any exception that escapes load -> model is a bug: every input must end as a list of problems.
The seed corpus is the example portfolio and the golden cases.
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris

with atheris.instrument_imports():
    from relsite.load.reader import load_bytes
    from relsite.validate.checker import model_of as _model
    from relsite.validate.models import PortfolioConfig, Release
    from relsite.validate.secrets import scan_document


def one_input(data: bytes) -> None:
    doc, problems = load_bytes(data, "releases/X.yaml")
    for p in problems:
        assert p.line >= 1 and p.col >= 1, p
    if doc is None:
        return
    scan_document(doc.data, doc.source, frozenset())
    for model in (Release, PortfolioConfig):
        _, found = _model(model, doc, dt.UTC)
        for p in found:
            assert p.line >= 1 and p.col >= 1, p


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
