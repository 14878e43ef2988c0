"""Make vendor text safe for a terminal or a plain line, in the habit of OpenSSH's utf8.c.

A vendor must not retitle, clear or rewrite the operator's terminal, nor split one
result line in two, nor reorder what is shown with bidi controls.
"""

from __future__ import annotations

import re

# C0 controls (\n, \r, \t, ESC, BEL, NUL ...), DEL, C1 controls, and the Unicode
# bidi marks/embeddings/isolates (U+061C, U+200E-F, U+202A-E, U+2066-9) and line separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with every unsafe character shown escaped: `\\x1b`, `\\x9b`, `\\u202e`.

    Every other character (é, 中文, emoji) is kept as it is. Backslashes are kept too, so
    a vendor can write a literal `\\x1b` that looks like an escaped one: the result is
    for reading, not for decoding back, and it can never act on the terminal.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
