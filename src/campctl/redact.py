"""One redactor for vendor-supplied text: messages, statuses, names, details, HTTP-stack errors.

Redaction applies to vendor-supplied text only. campctl's own fields (outcomes, targets,
error kinds, JSON syntax) are never passed through it, so a key like `done` or `1` cannot
corrupt the output: it can only mask vendor text, which is the safe direction.
"""

from __future__ import annotations

import json
import math
import re
import string
from typing import Any

MASK = "***"
WINDOW = 8  # vendors echo key prefixes; any run this long of a key is masked
MAX_DEPTH = 8
MAX_ITEMS = 100
MAX_STRING = 2000
MAX_INT_DIGITS = 30
TOO_DEEP = "…(nested too deep)"

# ASCII-only case folding: never changes a string's length (str.lower() can, e.g. 'İ').
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# In a URL: the value of a query parameter whose name says it is a secret (`api_key`,
# `token`, `X-Amz-Signature`, ...), and the userinfo of an authority (`user:pass@`).
_SECRET_PARAM = re.compile(
    r"([?&;][^=&;#\s]*(?:key|token|secret|passw|auth|sig|cred|session)[^=&;#\s]*=)"
    r"[^&;#\s'\"<>]*",
    re.IGNORECASE,
)
_USERINFO = re.compile(r"(://)[^/?#@\s]*@")


class Redactor:
    """Masks every resolved key in vendor text, in any ASCII letter case.

    A key of WINDOW or more characters is masked wherever any WINDOW consecutive
    characters of it appear, so `sk_live_SENTIN...` is masked too; a shorter key only
    where it appears whole (as a substring, not only as a word: masking too much vendor
    text is better than leaking a key). Overlapping or adjacent spans become one MASK.
    """

    def __init__(self) -> None:
        self._short: set[str] = set()  # lower-cased secrets masked only whole
        self._windows: set[str] = set()  # lower-cased WINDOW-character slices of longer keys
        self._short_re: re.Pattern[str] | None = None
        self._runs_re: re.Pattern[str] | None = None

    def add(self, secret: str) -> None:
        low = secret.translate(_LOWER)
        if not low:
            return
        if len(low) < WINDOW:
            self.add_whole(secret)
            return
        self._windows.update(low[i : i + WINDOW] for i in range(len(low) - WINDOW + 1))
        # Pre-filter: only runs of WINDOW+ characters that occur in some key can match.
        alphabet = "".join(sorted({c for window in self._windows for c in window}))
        self._runs_re = re.compile(f"[{re.escape(alphabet)}]{{{WINDOW},}}")

    def add_whole(self, secret: str) -> None:
        """Mask `secret` wherever it appears whole, in any ASCII letter case, but not its
        pieces: a notification URL, whose 8-character runs (`https://`) are everywhere."""
        low = secret.translate(_LOWER)
        if not low:
            return
        self._short.add(low)
        # Every start position (lookahead), the longest secret first at each one.
        alternatives = "|".join(map(re.escape, sorted(self._short, key=len, reverse=True)))
        self._short_re = re.compile(f"(?=({alternatives}))")

    def __call__(self, text: str) -> str:
        if self._short_re is None and self._runs_re is None:
            return text
        low = text.translate(_LOWER)  # same length as text, so positions carry over
        spans: list[tuple[int, int]] = []
        if self._short_re is not None:
            spans += [(m.start(), m.end(1)) for m in self._short_re.finditer(low)]
        if self._runs_re is not None:
            windows = self._windows
            for run in self._runs_re.finditer(low):
                spans += [
                    (i, i + WINDOW)
                    for i in range(run.start(), run.end() - WINDOW + 1)
                    if low[i : i + WINDOW] in windows
                ]
        if not spans:
            return text
        spans.sort()
        parts: list[str] = []
        done = 0  # text before `done` is already in parts
        start, end = spans[0]
        for next_start, next_end in spans[1:]:
            if next_start <= end:  # overlapping or adjacent: one mask
                end = max(end, next_end)
                continue
            parts += [text[done:start], MASK]
            done, start, end = end, next_start, next_end
        parts += [text[done:start], MASK, text[end:]]
        return "".join(parts)

    def url(self, text: str) -> str:
        """A URL, or an HTTP-stack message quoting one, as campctl may show it.

        Besides every key (a key pasted into a `base_url` path), the value of each query
        parameter named like a secret (`?api_key=***`) and any `user:password@` are masked:
        those are credentials even when campctl does not know them as keys.
        """
        text = _USERINFO.sub(rf"\g<1>{MASK}@", text)
        return self(_SECRET_PARAM.sub(rf"\g<1>{MASK}", text))

    def reveals(self, text: str) -> bool:
        """Whether `text` holds a key, or WINDOW consecutive characters of one, in any case:
        what this redactor would mask."""
        return self(text) != text

    def scrub(self, value: Any) -> Any:
        """A redacted, bounded, JSON-serialisable copy of a vendor's JSON-like value.

        Bounded so one hostile answer cannot flood output or the audit log: MAX_DEPTH
        levels of nesting, MAX_ITEMS per list or dict, MAX_STRING characters per string,
        MAX_INT_DIGITS digits per integer; NaN and infinities become None. Recursion
        stops at MAX_DEPTH, so no input can raise RecursionError.
        """
        return self._scrub(value, 0)

    def _scrub(self, value: Any, depth: int) -> Any:
        if isinstance(value, dict | list | tuple):
            if depth >= MAX_DEPTH:
                return TOO_DEEP
            if isinstance(value, dict):
                return self._scrub_dict(value, depth + 1)
            items = [self._scrub(item, depth + 1) for item in value[:MAX_ITEMS]]
            if len(value) > MAX_ITEMS:
                items.append(f"…({len(value) - MAX_ITEMS} more items)")
            return items
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) < 10**MAX_INT_DIGITS:
                return int(value)
            digits = int(value.bit_length() * math.log10(2)) + 1
            return f"…(integer of about {digits} digits)"
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else None
        return self._text(value if isinstance(value, str) else _str(value))

    def _scrub_dict(self, value: dict[Any, Any], depth: int) -> dict[str, Any]:
        scrubbed: dict[str, Any] = {}
        for count, (key, item) in enumerate(value.items()):
            if count == MAX_ITEMS:
                _put(scrubbed, "…", f"({len(value) - MAX_ITEMS} more keys)")
                break
            _put(scrubbed, self._key(key), self._scrub(item, depth))
        return scrubbed

    def _key(self, key: Any) -> str:
        """JSON keys are strings: others are written as json.dumps would (1, true, null)."""
        if key is None or isinstance(key, bool | int | float):
            leaf = self._scrub(key, 0)
            return leaf if isinstance(leaf, str) else self._text(json.dumps(leaf))
        return self._text(key if isinstance(key, str) else _str(key))

    def _text(self, text: str) -> str:
        text = self(text)
        return text if len(text) <= MAX_STRING else text[: MAX_STRING - 1] + "…"


def _str(value: object) -> str:
    """str() of an unknown object; one that cannot be printed must not sink the result."""
    try:
        return str(value)
    except Exception:  # any __str__ may fail; the type name is enough
        return f"<{type(value).__name__}>"


def _put(scrubbed: dict[str, Any], name: str, value: Any) -> None:
    """Two keys redacted or stringified alike (`***`, 1 and "1") both stay."""
    unique, n = name, 1
    while unique in scrubbed:
        n += 1
        unique = f"{name} ({n})"
    scrubbed[unique] = value
