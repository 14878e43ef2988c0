"""printable(): vendor text can never act on the operator's terminal."""

from __future__ import annotations

import pytest

from campctl.sanitize import printable


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
