"""Vendor text on its way to a terminal or a plain line: control characters shown escaped.

Minimal stand-in (h4-ux branch); the version from the sanitize work replaces it on merge.
"""

from __future__ import annotations

import re

# C0, DEL and C1 controls, and the Unicode bidirectional controls (Trojan Source).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character escaped (`\\x1b`, `\\u202e`); otherwise unchanged."""
    return _CONTROLS.sub(_escape, text)
