"""How the command fails: never with a traceback.

Exit codes: 0 fine, 1 problems in the YAML (or a failed build), 2 usage or environment trouble
(click's own code for usage), 3 a bug in relsite (set RELSITE_DEBUG=1 to see the trace).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def no_traceback(fn: F) -> F:
    """Turn an unexpected exception into one line; the environment's OSErrors exit 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("relsite: interrupted", err=True)
            sys.exit(130)
        except OSError as exc:
            if os.environ.get("RELSITE_DEBUG"):
                raise
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"relsite: {exc.strerror or exc}{where}", err=True)
            sys.exit(2)
        except Exception as exc:
            if os.environ.get("RELSITE_DEBUG"):
                raise
            click.echo(
                f"relsite: internal error: {type(exc).__name__}: {exc} (set RELSITE_DEBUG=1 for details)", err=True
            )
            sys.exit(3)

    return wrapper  # type: ignore[return-value]
