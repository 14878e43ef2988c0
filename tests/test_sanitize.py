"""printable(): vendor text can never act on the operator's terminal, hide what it says, or
make a line unwritable; guard_stream() is the net under it for campctl's own text."""

from __future__ import annotations

import io
import unicodedata

import pytest

from campctl.diagnostics import Diagnostics
from campctl.redact import Redactor
from campctl.sanitize import guard_stream, printable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b]0;owned\x07paused", "\\x1b]0;owned\\x07paused"),  # OSC: retitle the terminal
        ("\x1b[2J\x1b[Hclean", "\\x1b[2J\\x1b[Hclean"),  # CSI: clear the screen
        ("failed\rdone  ", "failed\\x0ddone  "),  # CR: overwrite the line
        ("ding\x07", "ding\\x07"),  # BEL
        ("a\x00b", "a\\x00b"),  # NUL
        ("two\nlines\ttab", "two\\x0alines\\x09tab"),
        ("\x9b31mred", "\\x9b31mred"),  # C1 CSI
        ("\x85\x80\x9f\x7f", "\\x85\\x80\\x9f\\x7f"),  # NEL, C1 edges, DEL
        ("\x1f", "\\x1f"),
        ("user\u202egnp.exe", "user\\u202egnp.exe"),  # RLO
        (
            "\u200e\u200f\u202a\u202d\u2066\u2069\u061c",
            "\\u200e\\u200f\\u202a\\u202d\\u2066\\u2069\\u061c",
        ),
        ("line\u2028sep\u2029para", "line\\u2028sep\\u2029para"),
        ("paused\ud800", "paused\\ud800"),  # a lone surrogate (half an emoji, from JSON)
        ("\udfff\udc00x", "\\udfff\\udc00x"),
        ("paus\u200bed", "paus\\u200bed"),  # zero-width space: looks like "paused"
        ("a\u200cb\u200dc\u2060d", "a\\u200cb\\u200dc\\u2060d"),  # ZWNJ, ZWJ, word joiner
        ("\ufeffpaused", "\\ufeffpaused"),  # BOM
        ("pau\xadsed", "pau\\xadsed"),  # soft hyphen
        ("ok\U000e0041\U000e007f", "ok\\U000e0041\\U000e007f"),  # tag characters
        ("\U0001d173x", "\\U0001d173x"),  # a Cf outside the BMP
    ],
)
def test_unsafe_characters_are_escaped(text: str, expected: str) -> None:
    assert printable(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "campaign paused",
        "café 中文 🙂 ß İ",
        "C:\\path\\x1b",
        "tab-free ~!@#$%^&*()_+{}|",
        "\xa0\xff",
    ],
)
def test_safe_text_is_returned_unchanged(text: str) -> None:
    assert printable(text) is text


def test_the_result_has_no_control_characters_left() -> None:
    every = "".join(map(chr, range(0x2100)))
    out = printable(every)
    assert all(c.isprintable() or c == " " for c in out if ord(c) < 0xA0)
    assert not set(out) & {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x202E, 0x2028]}


def test_every_format_character_and_surrogate_is_escaped() -> None:
    """The pinned list covers Unicode's category Cf as this Python knows it, and Cs."""
    unsafe = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Cs")]
    assert len(unsafe) > 2000
    out = printable("".join(unsafe))
    assert not set(out) & set(unsafe)
    out.encode("utf-8")  # no surrogate left: writable anywhere UTF-8 is


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("latin-1", "Caf\xe9 \\u65e5\\u672c \\U0001f642"),  # é fits latin-1, the rest does not
        ("ascii", "Caf\\xe9 \\u65e5\\u672c \\U0001f642"),
        ("utf-8", "Caf\xe9 \u65e5\u672c \U0001f642"),
        ("UTF8", "Caf\xe9 \u65e5\u672c \U0001f642"),
        ("no-such-codec", "Caf\\xe9 \\u65e5\\u672c \\U0001f642"),  # unknown: ASCII is safe
    ],
)
def test_what_the_encoding_cannot_hold_is_escaped(encoding: str, expected: str) -> None:
    shown = printable("Caf\xe9 \u65e5\u672c \U0001f642", encoding)
    assert shown == expected
    if encoding != "no-such-codec":
        shown.encode(encoding)


def test_controls_are_escaped_before_the_encoding_is_applied() -> None:
    assert printable("\x1b[2J\ud800\u65e5", "latin-1") == "\\x1b[2J\\ud800\\u65e5"


def test_a_guarded_stream_escapes_what_its_encoding_cannot_hold() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    guard_stream(stream)
    stream.write("campctl list \u2014 SANDBOX caf\xe9 \ud800\n")
    stream.flush()
    assert raw.getvalue() == b"campctl list \\u2014 SANDBOX caf\xe9 \\ud800\n"


def test_guarding_a_stream_without_reconfigure_or_a_closed_one_does_nothing() -> None:
    guard_stream(io.StringIO())
    closed = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    closed.close()
    guard_stream(closed)
    guard_stream(None)  # none of these raises


def test_a_notice_on_a_latin1_stderr_is_escaped_not_lost() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    Diagnostics(Redactor(), stream=stream).line("alta:x: caf\xe9 \u65e5\u672c \ud800 paus\u200bed")
    assert raw.getvalue() == b"campctl: alta:x: caf\xe9 \\u65e5\\u672c \\ud800 paus\\u200bed\n"
