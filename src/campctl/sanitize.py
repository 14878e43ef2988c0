"""Make vendor text safe for a terminal or a plain line, in the habit of OpenSSH's utf8.c.

A vendor must not retitle, clear or rewrite the operator's terminal, nor split one
result line in two, nor reorder what is shown with bidi controls, nor make two different
words look alike with invisible characters — and no character may make a line unwritable:
what cannot be shown is shown escaped, never fatal.
"""

from __future__ import annotations

import codecs
import contextlib
import re

# C0 controls (\n, \r, \t, ESC, BEL, NUL ...), DEL, C1 controls, line and paragraph
# separators, lone UTF-16 surrogates (what a back end that cuts an emoji in half sends,
# decoded from a JSON `\ud800`), and every format character (Unicode category Cf: soft
# hyphen, bidi marks/embeddings/isolates, zero-width space and joiners, word joiner, BOM,
# tag characters ...; the list is Unicode 15's, pinned by a test against unicodedata).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def printable(text: str, encoding: str | None = None) -> str:
    """`text` with every unsafe character shown escaped: `\\x1b`, `\\u202e`, `\\ud800`, and
    with `encoding` also every character it cannot hold (`\\u65e5` on a latin-1 stdout).

    Every other character (é, 中文, emoji) is kept as it is. Backslashes are kept too, so
    a vendor can write a literal `\\x1b` that looks like an escaped one: the result is
    for reading, not for decoding back, and it can never act on the terminal.
    """
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_escape, text)
    if encoding is None or _holds_everything(encoding):
        return text
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return "".join(_escaped_if_unencodable(char, encoding) for char in text)
    except LookupError:  # an encoding Python does not know: ASCII is safe anywhere
        return printable(text, "ascii")
    return text


def encoding_of(stream: object) -> str | None:
    """The encoding a stream writes in, if it says (a test's StringIO does not)."""
    encoding = getattr(stream, "encoding", None)
    return encoding if isinstance(encoding, str) else None


def guard_stream(stream: object) -> None:
    """Let `stream` write what campctl's own text holds that its encoding cannot (a `—` in
    a title on a latin-1 terminal) escaped instead of failing: the safety net under
    `printable`, which has escaped every vendor string before it gets here."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:  # a closed or detached stream: nothing to write to
        with contextlib.suppress(OSError, ValueError):
            reconfigure(errors="backslashreplace")


def _holds_everything(encoding: str) -> bool:
    """UTF-8 and UTF-16/32 encode every character that is not a lone surrogate."""
    try:
        return codecs.lookup(encoding).name.startswith(("utf-8", "utf-16", "utf-32"))
    except LookupError:
        return False


def _escaped_if_unencodable(char: str, encoding: str) -> str:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return _code(ord(char))
    return char


def _escape(match: re.Match[str]) -> str:
    return _code(ord(match.group()))


def _code(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
