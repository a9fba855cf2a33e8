"""The character policy of release files: what text may hold, and how a file becomes text.

One list of refused characters (``BAD_CHARS``) serves the loader, the problem printer and the
tests; the loader asks it before YAML sees the text, so an invisible or bidirectional control can
never reach a page, a feed or a terminal.
"""

from __future__ import annotations

import re

from relsite.problems import Problem, error

MAX_CHAR_PROBLEMS = 20
"""A file full of tabs gets twenty findings, not thousands."""

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000)
)
BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\t"
    "\ud800-\udfff" + _NONCHARACTERS + "]"
)
"""Characters refused anywhere in a file, however they were written (raw, or as a double-quoted
escape such as "\\u202E"): control characters (tabs included; line breaks are fine), invisible and
bidirectional controls that can make text say something else than it shows, surrogates and
Unicode non-characters. The one list the loader, the problem printer and the tests share."""


def char_name(ch: str) -> str:
    if ch == "\t":
        return "a tab character"
    if ch == "\x00":
        return "a NUL character (U+0000)"
    if "\ud800" <= ch <= "\udfff":
        return f"a lone surrogate (U+{ord(ch):04X})"
    if re.match(f"[{_NONCHARACTERS}]", ch):
        return f"a Unicode non-character (U+{ord(ch):04X})"
    if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
        return f"a bidirectional control character (U+{ord(ch):04X})"
    return f"a control or invisible character (U+{ord(ch):04X})"


BAD_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\t]")
"""The part of BAD_CHARS an ASCII text can hold: searched instead of the full class (with its
ranges beyond the BMP), which took ten times as long over every file."""


def char_problems(file: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    for m in (BAD_ASCII if text.isascii() else BAD_CHARS).finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        ch = m.group()
        hint = (
            "indent with spaces; YAML does not allow tabs"
            if ch == "\t"
            else "delete it; such characters can hide what the text really says"
        )
        problems.append(error(file, line, col, f"{char_name(ch)} is not allowed", hint, "load.characters"))
        if len(problems) >= MAX_CHAR_PROBLEMS:
            break
    return problems


def decode(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        return None, [
            error(
                file,
                line,
                col,
                f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                "save the file as UTF-8",
                "load.encoding",
            )
        ]
    text = text.removeprefix("\ufeff")
    return text, []
