"""The part of a file that an edit changed, for scanning again only that part.

In ``relsite serve`` an edit rewrites portfolio-wide files (``releases.json``, the calendars) of
tens of megabytes at 10,000 releases; the secret gate searched all of them again on every save,
a second of the update. The last version of each file passed the gate whole, so what the new one
can add is within the part that differs, widened to whole lines: no pattern of
``validate/secrets.py`` can match across a line break or a tab (each excludes whitespace, and the
private key header holds spaces only), and a match's word boundary reads one character beyond
it, which is inside the widened part or a line break on both versions alike.
"""

from __future__ import annotations

_CHUNK = 1 << 16
_STOPS = b"\n\r\t\x0b\x0c"
"""Characters no secret pattern matches: a match never spans one."""


def _same_run(a: bytes, b: bytes, n: int, at_a: int, at_b: int, step: int) -> int:
    """How many bytes from the start (step 1) or from the end (step -1) of ``a`` and ``b`` are equal,
    at most ``n``: chunks compared while equal (memcmp), then a binary search in the first unequal one."""
    done = 0

    def chunk(lo: int, hi: int) -> bool:
        if step > 0:
            return a[at_a + lo : at_a + hi] == b[at_b + lo : at_b + hi]
        return a[at_a - hi : at_a - lo] == b[at_b - hi : at_b - lo]

    while done < n and chunk(done, min(done + _CHUNK, n)):
        done = min(done + _CHUNK, n)
    if done >= n:
        return n
    lo, hi = done, min(done + _CHUNK, n)  # equal up to lo, unequal within [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if chunk(lo, mid):
            lo = mid
        else:
            hi = mid
    return lo


def changed_part(old: bytes, new: bytes) -> tuple[int, int]:
    """``(start, end)``: every match of a secret pattern in ``new`` that is not also in ``old``, at the
    same distance from the start or from the end, lies within ``new[start:end]``, which begins after
    a stop character (or at 0) and ends before one (or at the end)."""
    n = min(len(old), len(new))
    prefix = _same_run(old, new, n, 0, 0, 1)
    suffix = _same_run(old, new, n - prefix, len(old), len(new), -1)
    start = max(new.rfind(bytes([c]), 0, prefix) for c in _STOPS) + 1
    ends = [new.find(bytes([c]), len(new) - suffix) for c in _STOPS]
    end = min([e for e in ends if e >= 0], default=len(new))
    return start, max(start, end)
