"""`relsite gate RELEASE ENV`: may the release deploy to the environment now (or at --at), and
finish within --runway? Exit 0 allow, 1 deny, 2 usage or environment trouble.

The decision is validate's (``validate.gate``); this command reads the portfolio (the releases
folder, or a published portal's JSON API), parses the options and prints. A portfolio with errors
denies: a gate fails closed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from relsite.cli.checking import FOLDER
from relsite.cli.errors import no_traceback
from relsite.problems import printable

if TYPE_CHECKING:
    from relsite.validate.portfolio import Portfolio

_SIMPLE = re.compile(r"^(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$")
MINUTE = dt.timedelta(minutes=1)


def parse_runway(text: str) -> dt.timedelta:
    """90m, 2h, 1h30m, 1d or an RFC 5545 duration (PT2H)."""
    from relsite.validate.recurrence import parse_duration

    m = _SIMPLE.match(text.strip())
    if m and any(m.groups()):
        d, h, mins = (int(g or 0) for g in m.groups())
        return dt.timedelta(days=d, hours=h, minutes=mins)
    if text.strip() in ("0", "0m"):
        return dt.timedelta(0)
    try:
        return parse_duration(text.strip())
    except (ValueError, TypeError):
        raise click.BadParameter(
            f"{text!r} is not a duration such as 90m, 2h, 1h30m or PT2H", param_hint="--runway"
        ) from None


def one_line(text: str) -> str:
    """Data on one line: control characters (newlines included) shown escaped, never acted on."""
    return printable(text).replace("\n", "\\u000a")


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _portfolio_from_folder(folder: Path | None, fmt: str, release_id: str, env: str, length: dt.timedelta) -> Portfolio:
    """The checked releases folder; a portfolio with errors prints them and denies (exit 1): a gate fails closed."""
    from relsite.validate.checker import check_folder
    from relsite.validate.gate import Reason

    path = folder or Path("releases")
    if not path.is_dir():
        raise click.UsageError(f"no releases folder at {path}; give --releases or --portal")
    result = check_folder(path)
    if result.errors or result.portfolio is None:
        for p in result.errors:
            click.echo(p.format(), err=True)
        _print(
            fmt,
            "deny",
            release_id,
            env,
            None,
            length,
            [Reason(p.rule or "schema", f"{p.file}:{p.line}:{p.col}: {p.message}") for p in result.errors[:20]],
            None,
        )
        sys.exit(1)
    return result.portfolio


@click.command("gate")
@click.argument("release_id", metavar="RELEASE")
@click.argument("env", metavar="ENV")
@click.option(
    "--at",
    "at_text",
    help="When the deployment starts (ISO 8601; without an offset, the portfolio's zone; default: now).",
)
@click.option(
    "--runway",
    default="0m",
    show_default=True,
    help="How long it takes (90m, 2h, PT2H): it must end before a freeze starts.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--portal", help="Read a published portal's JSON API at this URL instead of the releases folder.")
@click.option("--releases", "folder", type=FOLDER, default=None, help="The releases folder (default: releases).")
@no_traceback
def gate_command(
    release_id: str, env: str, at_text: str | None, runway: str, fmt: str, portal: str | None, folder: Path | None
) -> None:
    """May RELEASE deploy to ENV now (or --at), finishing within --runway? Exit 0 allow, 1 deny, 2 trouble."""
    from relsite.pipeline import now
    from relsite.validate.gate import decide
    from relsite.validate.published import PortalError, parse_time, portfolio_from_portal

    length = parse_runway(runway)
    if portal and folder:
        raise click.UsageError("give --portal or --releases, not both")
    if portal:
        try:
            pf = portfolio_from_portal(portal)
        except PortalError as exc:
            click.echo(f"relsite: {exc}", err=True)
            sys.exit(2)
    else:
        pf = _portfolio_from_folder(folder, fmt, release_id, env, length)
    release = pf.by_id.get(release_id)
    if release is None:
        raise click.UsageError(f"no release '{one_line(release_id)[:80]}' in the portfolio")
    if env not in release.environments:
        raise click.UsageError(
            f"{release.id} does not deploy to '{one_line(env)[:80]}' (its environments: "
            f"{', '.join(release.environments)})"
        )
    try:
        at = parse_time(at_text, pf.tz) if at_text else now()
    except ValueError:
        raise click.BadParameter(
            f"{at_text!r} is not a date and time such as 2026-12-02T21:15 or 2026-12-02T21:15+01:00", param_hint="--at"
        ) from None
    decision = decide(pf, release, env, at, max(length, MINUTE))
    _print(
        fmt,
        "allow" if decision.allowed else "deny",
        release.id,
        env,
        decision.at,
        length,
        decision.reasons,
        decision.next_allowed,
        pf.tz,
    )
    sys.exit(0 if decision.allowed else 1)


def _print(
    fmt: str,
    verdict: str,
    release: str,
    env: str,
    at: dt.datetime | None,
    runway: dt.timedelta,
    reasons: list[Any],
    next_allowed: dt.datetime | None,
    tz: dt.tzinfo = dt.UTC,
) -> None:
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "decision": verdict,
                    "release": release,
                    "environment": env,
                    "at": _iso(at),
                    "runway_minutes": int(runway.total_seconds() // 60),
                    "reasons": [{"rule": r.rule, "message": r.message, "until": _iso(r.until)} for r in reasons],
                    "next_allowed": _iso(next_allowed),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    from relsite.validate.rules.registry import fmt_time

    when = f" at {fmt_time(at.astimezone(tz))}" if at else ""
    click.echo(
        f"{verdict}: {one_line(release)} to {one_line(env)}{when}, runway {int(runway.total_seconds() // 60)} min"
    )
    for r in reasons:
        click.echo(f"  {r.rule}: {one_line(r.message)}")
    if verdict == "deny":
        click.echo(
            f"next allowed: {fmt_time(next_allowed.astimezone(tz))}"
            if next_allowed
            else "next allowed: not by waiting (see the reasons above)"
        )
