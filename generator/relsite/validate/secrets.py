"""Refuse to publish credentials.

Handover pages are where people paste connection strings; the portal is read by the whole
company. Every text value in the YAML is scanned for known token shapes, URLs with a password and
"password: X" phrases; the built site is scanned again before it replaces the old one.

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
from pathlib import Path
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


PATTERNS = [
    Pattern("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), needles=("PRIVATE KEY",)),
    Pattern("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b"),
            needles=("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA")),
    Pattern("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
            needles=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Pattern("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), needles=("xox",)),
    Pattern("a Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"), needles=("hooks.slack.com",)),
    Pattern("a Stripe secret key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b"), needles=("k_live_", "k_test_")),
    Pattern("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), needles=("AIza",)),
    # Starts with a literal, so the regex engine jumps from one "://" to the next.
    Pattern("a URL with a password", re.compile(r"://[^\s/:@]+:([^\s/@]+)@"), group=1, needles=("://",)),
    Pattern("a password", re.compile(
        r"(?i)\b(?:password|passwd|passphrase|pwd|secret|api[ _-]?key|access[ _-]?token)\b\s*(?:[:=]|\bis\b|\bwas\b)\s*[\"'`]?([^\s\"'`,;]{4,})"),
        group=1),
]

# Substrings without which no pattern can match; checking them with `in` on the lower-cased text is
# far cheaper than any regex (a combined case-insensitive regex cost 2.3 s over 10,000 files).
TRIGGERS = ("private key", "akia", "asia", "agpa", "aida", "aroa", "anpa", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "hooks.slack", "k_live_", "k_test_",
            "aiza", "passw", "passphrase", "pwd", "secret", "api_key", "api-key", "api key", "apikey", "access")


def might_hold_secret(text: str) -> bool:
    low = text.lower()
    return any(t in low for t in TRIGGERS) or ("://" in text and "@" in text)


# Words that follow "password:" in ordinary prose and are not secrets.
PROSE = {"reset", "required", "rotated", "stored", "managed", "expired", "changed", "unchanged", "none", "n/a",
         "redacted", "hidden", "masked", "see", "from", "in", "the", "vault", "manager", "policy", "prompt", "optional"}


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


PLACEHOLDER = ("$", "<", "{", "%", "*")
"""How a value that stands for a secret starts ($TOKEN, ${TOKEN}, <password>, {{ secret }}, %PASS%, ***):
documentation, not a credential."""


def scan_text(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[Finding]:
    if len(text) < 8:
        return
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text):
            value = m.group(pattern.group)
            if value.startswith(PLACEHOLDER) or (pattern.name == "a password" and value.lower().rstrip(".") in PROSE):
                continue
            if fingerprint(value) in allowed:
                continue
            yield Finding(pattern.name, value, m.start(pattern.group))


def secret_candidates(data: Any, source: SourceMap, text: str | None = None) -> list[tuple[str, Problem]]:
    """Every secret-like value, as (fingerprint, problem): the allowlist, which needs the models to
    read, is applied by whoever has it, so files can be scanned before the models are loaded.
    ``text`` (the file as written) lets a clean file skip the walk."""
    if text is not None and not might_hold_secret(text):
        return []
    found: list[tuple[str, Problem]] = []
    for path, value in leaves(data):
        if not isinstance(value, str):
            continue
        for f in scan_text(value):
            line, col = source.at(*path)
            found.append((fingerprint(f.value), error(
                source.file, line, col, f"{dotted(path)} contains what looks like {f.kind} ({redact(f.value)}); secrets must not be published",
                f"remove it and rotate the credential; if it is not a secret, add the output of `relsite secret-hash` for it to "
                f"releases/{ALLOWLIST_FILE}", "secrets")))
    return found


def scan_document(data: Any, source: SourceMap, allowed: frozenset[str], text: str | None = None) -> list[Problem]:
    """Problems for every secret-like value whose fingerprint the allowlist does not excuse."""
    return [p for fp, p in secret_candidates(data, source, text) if fp not in allowed]


SITE_SUFFIXES = {".html", ".json", ".ics", ".xml", ".txt", ".js", ".css"}


SHAPES = [p for p in PATTERNS if p.name != "a password"]


def scan_output(name: str, text: str, allowed: frozenset[str]) -> list[str]:
    """Findings in one built file, as "path:line:col: error: ..." lines; token shapes only, since
    generated pages legitimately say things like "password reset"."""
    out: list[str] = []
    for pattern in SHAPES:
        if not any(n in text for n in pattern.needles):
            continue
        for m in pattern.regex.finditer(text):
            value = m.group(pattern.group)
            if not value.startswith(PLACEHOLDER) and fingerprint(value) not in allowed:
                start = m.start(pattern.group)
                line = text.count("\n", 0, start) + 1
                col = start - (text.rfind("\n", 0, start) + 1) + 1
                out.append(f"{name}:{line}:{col}: error: the built site contains what looks like {pattern.name} ({redact(value)})")
    return out


def scan_site(site: Path, allowed: frozenset[str], skip: frozenset[str] = frozenset()) -> list[str]:
    """Every text file of a built site, except those the writer already scanned as it wrote them."""
    out: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in SITE_SUFFIXES or not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        if name not in skip:
            out += scan_output(name, path.read_text(encoding="utf-8", errors="replace"), allowed)
    return out
