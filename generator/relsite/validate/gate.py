"""May this release deploy to this environment at this time, and finish within the runway?

The answer ``relsite gate`` prints, made of facts other modules own: freezes and change windows
from ``validate.schedule``, promotion, sign-off, CAB and handover from ``validate.lifecycle`` (by
name), and the rule ids of the catalog, so a pipeline log points at the same documentation as
``relsite validate``. A hard freeze, a missing change window or a missing step denies; a soft freeze
and a break-glass pass are reported but allow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from relsite.validate import lifecycle
from relsite.validate.models import Release
from relsite.validate.portfolio import Portfolio
from relsite.validate.rules.registry import fmt_time
from relsite.validate.schedule import (
    Interval,
    allowed_spans,
    break_glass_approval,
    change_windows_for,
    freezes_for,
    occurrences,
    year_after,
)


@dataclass(frozen=True)
class Reason:
    rule: str
    """The id of the catalog rule the reason comes from (see the reference's rules page)."""
    message: str
    until: dt.datetime | None = None
    """When this reason stops applying, when time alone ends it."""
    blocks: bool = True


@dataclass
class Decision:
    release: str
    env: str
    at: dt.datetime
    runway: dt.timedelta
    reasons: list[Reason] = field(default_factory=list)
    next_allowed: dt.datetime | None = None

    @property
    def allowed(self) -> bool:
        return not any(r.blocks for r in self.reasons)


def _time_blocks(
    pf: Portfolio,
    r: Release,
    env: str,
    start: dt.datetime,
    runway: dt.timedelta,
    frozen: list[tuple[str, Interval]],
    windows: list[Interval] | None,
) -> tuple[list[Reason], dt.datetime | None]:
    """Freezes and change windows for a deployment from ``start`` lasting ``runway``, and the
    earliest moment that would move past the first blocking one."""
    end = start + runway
    reasons, later = [], []
    for name, iv in frozen:
        if iv.start < end and iv.end > start:
            later.append(iv.end)
            when = "is in" if iv.start <= start else f"would run into (from {fmt_time(iv.start.astimezone(pf.tz))})"
            reasons.append(
                Reason(
                    "freeze",
                    f"the deployment {when} the hard freeze '{name}' until {fmt_time(iv.end.astimezone(pf.tz))}",
                    iv.end,
                )
            )
    if windows is not None and not any(w.start <= start and end <= w.end for w in windows):
        fits = next((w for w in windows if w.end >= max(w.start, start) + runway and w.end > start), None)
        names = ", ".join(f"'{w.name}'" for w in change_windows_for(pf.config, env))
        if fits is None:
            reasons.append(
                Reason(
                    "change-window",
                    f"{env} has no change window ({names}) that fits the deployment in the next 12 months",
                )
            )
        else:
            nxt = max(fits.start, start)
            later.append(nxt)
            reasons.append(
                Reason(
                    "change-window",
                    f"outside the change windows of {env} ({names}); the next one that fits opens "
                    f"{fmt_time(nxt.astimezone(pf.tz))}",
                    nxt,
                )
            )
    return reasons, (max(later) if later else None)


def _hard_freezes(
    pf: Portfolio, r: Release, env: str, at: dt.datetime, runway: dt.timedelta, until: dt.datetime
) -> tuple[list[tuple[str, Interval]], list[Reason]]:
    """Hard-freeze occurrences up to ``until`` that stop ``r``, and notes for the soft freezes and
    break-glass passes that the deployment from ``at`` meets."""
    frozen, notes = [], []
    for fr in freezes_for(pf.config, env, r.service):
        spans = occurrences(fr, pf.tz, at, until)
        now = [iv for iv in spans if iv.start < at + runway]
        approval = break_glass_approval(fr, r) if fr.kind == "hard" else None
        if fr.kind == "soft" or approval is not None:
            for iv in now:
                end = fmt_time(iv.end.astimezone(pf.tz))
                notes.append(
                    Reason(
                        "freeze",
                        f"break-glass: the {r.type} release passes the hard freeze '{fr.name}' (until {end}), "
                        f"approved by {approval}"
                        if approval
                        else f"soft freeze '{fr.name}' until {end}: it needs extra approval",
                        iv.end,
                        blocks=False,
                    )
                )
            continue
        frozen += [(fr.name, iv) for iv in spans]
    return frozen, notes


def _process(pf: Portfolio, r: Release, env: str, at: dt.datetime) -> list[Reason]:
    """What must have happened before ``env``: earlier environments, sign-offs, CAB, handover, dependencies."""
    out = []
    position = pf.env_index.get(env, 0)
    for name, dep in r.environments.items():
        if pf.env_index.get(name, position) >= position:
            continue
        if dep.status not in lifecycle.PROMOTED_PAST:
            out.append(
                Reason(
                    "promotion-order",
                    f"{name} comes before {env} and is {dep.status.replace('_', ' ')}, not deployed or skipped",
                )
            )
        elif (
            r.type != lifecycle.EMERGENCY
            and pf.requires_sign_off(name)
            and dep.status != "skipped"
            and (dep.sign_off is None or dep.sign_off.result not in lifecycle.SIGN_OFF_ACCEPTED)
        ):
            result = dep.sign_off.result if dep.sign_off else "missing"
            out.append(Reason("sign-off", f"{name} requires a sign-off before {env}; it is {result}"))
    if env != pf.production:
        return out
    if lifecycle.cab_review_expected(r) and r.milestones.cab is None:
        out.append(
            Reason(
                "cab-review", f"a {r.type} {r.risk}-risk release needs a CAB review (milestones.cab) before production"
            )
        )
    elif lifecycle.cab_review_expected(r) and r.milestones.cab is not None and pf.moment(r.milestones.cab) > at:
        cab = pf.moment(r.milestones.cab)
        out.append(
            Reason("cab-review", f"the CAB review is on {fmt_time(cab.astimezone(pf.tz))}, after this deployment", cab)
        )
    missing = [e.name for e in lifecycle.CHECKLIST if lifecycle.required_before_handover(e) and not e.present(r)]
    if missing:
        out.append(Reason("handover-ready", f"the handover to operations is not ready: {', '.join(missing)} missing"))
    for dep_id in r.depends_on:
        other = pf.by_id.get(dep_id)
        prod = other.environments.get(pf.production) if other else None
        if prod is None or not lifecycle.is_live(prod, at + dt.timedelta(seconds=1)):
            out.append(Reason("dependencies", f"depends on {dep_id}, which is not deployed to {pf.production} yet"))
    return out


def decide(pf: Portfolio, r: Release, env: str, at: dt.datetime, runway: dt.timedelta) -> Decision:
    """The gate's answer; ``next_allowed`` is the earliest time within a year when freezes and change
    windows would let the deployment through, None when something other than time blocks it."""
    at = at.astimezone(dt.UTC)
    horizon = year_after(at, pf.tz) + runway
    frozen, notes = _hard_freezes(pf, r, env, at, runway, horizon)
    # Emergency releases are not held to change windows, as in validation (the change-window rule).
    windows = None if r.type == lifecycle.EMERGENCY else allowed_spans(pf.config, env, at, horizon)
    timed, later = _time_blocks(pf, r, env, at, runway, frozen, windows)
    process = _process(pf, r, env, at)
    decision = Decision(r.id, env, at, runway, timed + process + ([] if timed else notes))
    if process:
        return decision
    if not timed:
        decision.next_allowed = at
        return decision
    candidate, seen = later, 0
    while candidate is not None and candidate < horizon and seen < 10_000:
        blocks, after = _time_blocks(pf, r, env, candidate, runway, frozen, windows)
        if not blocks:
            decision.next_allowed = candidate
            break
        candidate = after if after is not None and after > candidate else None
        seen += 1
    return decision
