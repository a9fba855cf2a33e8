"""Refuse to publish credentials.

Handover pages are where people paste connection strings; the portal is read by the whole
company. Every text value in the YAML is scanned for known token shapes, URLs with a password and
"password: X" phrases, as decoded (an escape in a quoted string can spell a word its raw text does
not); the built site is scanned again before it replaces the old one (``publish/secret_gate.py``).

False positives are allowed only through ``releases/secrets-allowlist.yaml`` (``allowlist.py``),
reviewed like any other change, which lists the SHA-256 of the exact value. Messages never show the value (only a
redacted form) nor its hash: a hash of a weak password in a CI log can be reversed by guessing, so
``relsite secret-hash`` computes it locally from standard input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from relsite.load.reader import SourceMap, dotted, leaves
from relsite.problems import Problem, error

ALLOWLIST_FILE = "secrets-allowlist.yaml"


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    group: int = 0
    """The part of the match that is the secret (and is hashed for the allowlist)."""
    needles: tuple[str, ...] = ()
    """Exact substrings one of which every match contains: a built page (30 KB of HTML) is searched
    for these with ``in`` before any regex runs on it. Empty: always run the regex."""
    certain: bool = True
    """An issuer's own format (``ghp_``, ``AKIA``, a private key block): unmistakable wherever it is.
    The others are heuristics, which documentation meets in examples (a host site's own pages only
    warn about them, see ``publish/secret_gate.py``)."""


PATTERNS = [
    Pattern(
        "a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), needles=("PRIVATE KEY",)
    ),
    Pattern(
        "an AWS access key id",
        re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b"),
        needles=("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"),
    ),
    Pattern(
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
        needles=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    Pattern("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), needles=("xox",)),
    Pattern(
        "a Slack webhook URL",
        re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
        needles=("hooks.slack.com",),
    ),
    Pattern(
        "a Stripe secret key",
        re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b"),
        needles=("k_live_", "k_test_"),
    ),
    Pattern("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), needles=("AIza",)),
    # Starts with a literal, so the regex engine jumps from one "://" to the next.
    Pattern(
        "a URL with a password",
        re.compile(r"://[^\s/:@]+:([^\s/@]+)@([^\s/?#:@\"'<>]*)"),
        group=1,
        needles=("://",),
        certain=False,
    ),
    Pattern(
        "a password",
        re.compile(
            r"(?i)\b(?:password|passwd|passphrase|pwd|secret|api[ _-]?key|access[ _-]?token)\b"
            r"\s*(?:[:=]|\bis\b|\bwas\b)\s*[\"'`]?([^\s\"'`,;]{4,})"
        ),
        group=1,
        certain=False,
    ),
]

# Substrings without which no pattern can match; checking them with `in` on the lower-cased text is
# far cheaper than any regex (a combined case-insensitive regex cost 2.3 s over 10,000 files).
TRIGGERS = (
    "private key",
    "akia",
    "asia",
    "agpa",
    "aida",
    "aroa",
    "anpa",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "hooks.slack",
    "k_live_",
    "k_test_",
    "aiza",
    "passw",
    "passphrase",
    "pwd",
    "secret",
    "api_key",
    "api-key",
    "api key",
    "apikey",
    "access",
)


# Letters that Python's case-insensitive matching equates with an ASCII letter but ``lower()`` keeps:
# "ſecret" (long s) matches the password pattern, so the cheap test must see "secret".
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0131": "i", "\u0130": "i"})


def might_hold_secret(text: str) -> bool:
    """False only when no pattern can match ``text`` (a decoded value, or a file without escapes)."""
    low = text.lower()
    if not text.isascii() and any(c in text for c in "\u017f\u212a\u0131\u0130"):
        low = text.translate(_FOLD).lower()
    return any(t in low for t in TRIGGERS) or ("://" in text and "@" in text)


def raw_text_tells(text: str) -> bool:
    """Whether a YAML file's raw text is enough to rule out secrets in its decoded values.

    A double-quoted scalar's escapes (``"pass\\x77ord"``, ``"\\u0067hp_..."``) can spell a trigger word
    that the raw text does not contain; a file with a backslash is scanned value by value instead."""
    return "\\" not in text and not might_hold_secret(text)


# Words that follow "password:" in ordinary prose and are not secrets.
PROSE = {
    "reset",
    "required",
    "rotated",
    "stored",
    "managed",
    "expired",
    "changed",
    "unchanged",
    "none",
    "n/a",
    "redacted",
    "hidden",
    "masked",
    "see",
    "from",
    "in",
    "the",
    "vault",
    "manager",
    "policy",
    "prompt",
    "optional",
}


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def redact(value: str) -> str:
    """Enough for a person to find the value in their file, too little to use it."""
    shown = value[:4] if len(value) >= 16 else value[:1]  # long tokens start with a known prefix (ghp_, AKIA)
    return f"{shown}… ({len(value)} characters)"


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str
    offset: int
    certain: bool = True
    """Whether the pattern is an issuer's format (see ``Pattern.certain``)."""


PLACEHOLDER = ("$", "<", "{", "%", "*", "[")
"""How a value that stands for a secret starts ($TOKEN, ${TOKEN}, <password>, {{ secret }}, %PASS%, ***):
documentation, not a credential."""

PLACEHOLDER_WORDS = {
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "changeme",
    "change-me",
    "change_me",
    "mypassword",
    "yourpassword",
    "your-password",
    "your_password",
    "example",
    "placeholder",
    "dummy",
}
"""Values that name what belongs there (``user:password@localhost``, ``password: changeme``)."""

EXAMPLE_HOSTS = ("example.com", "example.org", "example.net", "example", "invalid", "test", "localhost")
"""Host names reserved for documentation (RFC 2606, RFC 6761): a URL with a password on one of
them (or under one of them) is an example by definition."""

_FILLER = re.compile(r"(?i)x{4}|\*{3}|\.{3}|…")
"""``ghp_xxxx…``, ``AKIAXXXXXXXXXXXXXXXX``, ``hunter***``, ``sk_live_...``: a value with filler in it
(a random token holds four x's in a row about once in 30,000)."""


def is_placeholder(pattern: Pattern, m: re.Match[str]) -> bool:
    """Obvious stand-ins for a secret, which documentation is full of: not findings anywhere."""
    value = m.group(pattern.group)
    if value.startswith(PLACEHOLDER) or _FILLER.search(value):
        return True
    low = value.lower().strip(".,;:!?)]}`'\"")  # the punctuation around a quoted value in prose
    if low in PLACEHOLDER_WORDS:
        return True
    if pattern.name == "a password":
        return low in PROSE
    if pattern.name == "a URL with a password":
        host = m.group(2).lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in EXAMPLE_HOSTS)
    return False


def scan_text(
    text: str, allowed: frozenset[str] = frozenset(), patterns: list[Pattern] | None = None
) -> Iterator[Finding]:
    """Findings in one decoded value (or a page's visible text); ``patterns`` defaults to all."""
    chosen = PATTERNS if patterns is None else patterns
    # The trigger test pays off for the one pattern without needles; the others test their own.
    if len(text) < 8 or (any(not p.needles for p in chosen) and not might_hold_secret(text)):
        return
    for pattern in chosen:
        if pattern.needles and not any(n in text for n in pattern.needles):
            continue
        for m in pattern.regex.finditer(text):
            value = m.group(pattern.group)
            if is_placeholder(pattern, m) or fingerprint(value) in allowed:
                continue
            yield Finding(pattern.name, value, m.start(pattern.group), pattern.certain)


def secret_candidates(data: Any, source: SourceMap, text: str | None = None) -> list[tuple[str, Problem]]:
    """Every secret-like value, as (fingerprint, problem): the allowlist, which needs the models to
    read, is applied by whoever has it, so files can be scanned before the models are loaded.
    ``text`` (the file as written) lets a clean file skip the walk, unless escapes in it could
    spell what the raw text does not (``raw_text_tells``): the decoded values are what is published."""
    if text is not None and raw_text_tells(text):
        return []
    found: list[tuple[str, Problem]] = []
    for path, value in leaves(data):
        if not isinstance(value, str):
            continue
        for f in scan_text(value):
            line, col = source.at(*path)
            found.append(
                (
                    fingerprint(f.value),
                    error(
                        source.file,
                        line,
                        col,
                        f"{dotted(path)} contains what looks like {f.kind} ({redact(f.value)}); secrets must not be "
                        "published",
                        "remove it and rotate the credential; if it is not a secret, add the output of `relsite "
                        f"secret-hash` for it to releases/{ALLOWLIST_FILE}",
                        "secrets",
                    ),
                )
            )
    return found


def scan_document(data: Any, source: SourceMap, allowed: frozenset[str], text: str | None = None) -> list[Problem]:
    """Problems for every secret-like value whose fingerprint the allowlist does not excuse."""
    return [p for fp, p in secret_candidates(data, source, text) if fp not in allowed]
