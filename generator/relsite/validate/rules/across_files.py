"""Rules across release files: unique ids, dependencies, clashing windows, freezes."""

from __future__ import annotations

from collections.abc import Iterator

from relsite.problems import Problem
from relsite.validate import lifecycle
from relsite.validate.model_errors import did_you_mean
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules.registry import err, fmt_time, register, warn
from relsite.validate.schedule import break_glass_approval, describe
from relsite.validate.support_phases import same_track
from relsite.validate.windows import freeze_hits, overlaps


@register("portfolio", "unique-ids", "Ids are unique")
def _unique_ids(pf: Portfolio) -> Iterator[Problem]:
    """Release ids are unique, ignoring case."""
    first: dict[str, Release] = {}
    for r in pf.releases:
        other = first.setdefault(r.id.lower(), r)
        if other is not r:
            yield err(r.source, ("id",), f"id '{r.id}' is already used by {other.file}")


@register("portfolio", "dependencies", "Dependencies exist and come first")
def _dependencies(pf: Portfolio) -> Iterator[Problem]:
    """`depends_on` points at existing, not cancelled releases whose production window ends before this one's starts."""
    lower = {r.id.lower(): r for r in pf.releases}
    for r in pf.releases:
        own = r.environments.get(pf.production)
        for i, dep_id in enumerate(r.depends_on):
            path = ("depends_on", i)
            dep = pf.by_id.get(dep_id) or lower.get(dep_id.lower())
            if dep is None:
                yield err(
                    r.source,
                    path,
                    f"depends on unknown release '{dep_id}'",
                    did_you_mean(dep_id, [i for i in pf.by_id if i != r.id]),
                )
            elif dep is r:
                yield err(r.source, path, "a release cannot depend on itself")
            elif dep.status == lifecycle.CANCELLED:
                yield err(r.source, path, f"depends on {dep.id}, which is cancelled")
            else:
                theirs = dep.environments.get(pf.production)
                if own and own.window and theirs and theirs.window and theirs.window.end > own.window.start:
                    yield err(
                        r.source,
                        path,
                        f"depends on {dep.id}, whose {pf.production} window ends {fmt_time(theirs.window.end)}, "
                        f"after this release's starts ({fmt_time(own.window.start)})",
                        f"move this window later or {dep.id} earlier",
                    )


@register("portfolio", "window-overlap", "Windows on one environment do not clash")
def _window_overlap(pf: Portfolio) -> Iterator[Problem]:
    """Two releases of the same service (and the same support line, where it declares lines) with overlapping windows on
    the same environment are an error; of different services or lines, a warning, unless they are coordinated (one
    owner, or `coordinated_with` names the other)."""
    for o in overlaps(pf):
        a, b = o.earlier, o.later
        same = same_track(pf, a.release, b.release)
        if o.coordinated and not same:
            continue
        msg = (
            f"the {b.env} window overlaps {a.release.id} ({a.release.service}, "
            f"{fmt_time(a.start)} to {fmt_time(a.end)})"
        )
        path = ("environments", b.env, "window", "start")
        if same:
            yield err(b.release.source, path, msg, "two releases of one service cannot deploy at once; move one window")
        else:
            yield warn(
                b.release.source,
                path,
                msg,
                f"if the two teams plan this together, name each other under coordinated_with: [{a.release.id}]",
            )


@register("portfolio", "coordinated-with", "Coordinated releases exist")
def _coordinated_with(pf: Portfolio) -> Iterator[Problem]:
    """Every id under `coordinated_with` is another release in the portfolio."""
    for r in pf.releases:
        for i, other in enumerate(r.coordinated_with):
            if other == r.id:
                yield err(r.source, ("coordinated_with", i), "a release is not coordinated with itself")
            elif other not in pf.by_id:
                yield err(
                    r.source,
                    ("coordinated_with", i),
                    f"coordinated with unknown release '{other}'",
                    did_you_mean(other, [i for i in pf.by_id if i != r.id]),
                )


@register("portfolio", "freeze", "Change freezes")
def _freeze(pf: Portfolio) -> Iterator[Problem]:
    """A window that touches an occurrence of a `hard` freeze on its environment (and service, when the freeze names
    services) is an error unless the freeze's break-glass policy lets the release through (by default: emergency
    releases with `emergency.approved_by`); a `soft` freeze gives a warning."""
    for s, fr in freeze_hits(pf):
        path = ("environments", s.env, "window", "start")
        msg = f"the {s.env} window ({fmt_time(s.start)}) falls in the {fr.kind} freeze '{fr.name}' ({describe(fr)})"
        if fr.kind == "hard" and break_glass_approval(fr, s.release) is None:
            yield err(s.release.source, path, msg, "move the window, or make it an approved emergency release")
        elif fr.kind == "soft":
            yield warn(s.release.source, path, msg, "soft freezes need extra approval")
