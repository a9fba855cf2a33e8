"""``relsite`` commands run in this process, with the answer shaped as ``subprocess.run`` gives it.

A command line in a child interpreter costs about half a second of imports before relsite does
anything; the fast lane ran hundreds of them. A test about what a command writes, prints or exits
with runs it here instead: same arguments, working directory and environment (``clean_env``), no
terminal on stdin. A test about the process itself (a traceback on stderr, signals, two commands at
once, the installed entry point) still starts one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from relsite.cli import main

UNSET = ("RELSITE_TODAY", "SOURCE_DATE_EPOCH")
"""What ``clean_env`` leaves out of a child's environment; unset here for the command's duration."""


def run_relsite(
    *args: str, cwd: Path, input: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``relsite ARGS`` in ``cwd`` as ``python -m relsite`` runs it, without a new interpreter.

    An exception relsite lets escape fails the test with its traceback (a child would print it and
    exit 1), so no test can mistake a crash for an exit code it expected."""
    runner = CliRunner()
    environment: dict[str, str | None] = dict.fromkeys(UNSET)
    environment.update(env or {})
    before = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(
            main, list(args), input=input, env=environment, catch_exceptions=False, prog_name="relsite"
        )
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["relsite", *args], result.exit_code, result.stdout, result.stderr)
