"""Injected faults: what a flaky vendor, a broken network or a hostile server does to a request.

Spec grammar for CLI flags (`Fault.parse`)::

    KIND[:ARG][@VENDOR[:CAMPAIGN_ID]][*COUNT]

Flaky vendors and networks:

    status[:CODE[:html]]    answer CODE (default 503) in the vendor's error shape, or an HTML page
    rate_limit[:AFTER]      429 with Retry-After: AFTER, seconds (default 1) or an HTTP-date;
                            a value that is not plain digits (`-5`, `1e12`, `1e308`, `inf`)
                            is sent exactly as written
    malformed               200 with a truncated JSON body
    drop                    close the connection without answering
    redirect[:LOCATION]     302 to LOCATION (default https://elsewhere.example/...); `\\xHH` in
                            LOCATION is that byte, so `redirect:https://x.example/\\x01` sends a
                            control character in the Location header (no CR or LF)
    slow[:SECONDS]          wait SECONDS (default 30) before answering normally
    slow-body[:SECONDS]     the normal answer, headers at once, then the body a byte or so every
                            ~0.5 s so the whole answer takes SECONDS (default 7); a short or
                            empty body is padded with leading spaces (JSON whitespace)

Hostile vendors (attack tests of the client):

    escape                  409 in the vendor's error shape whose message holds terminal
                            control sequences (`ESCAPE_TEXT`: OSC retitle, clear screen, CR and
                            fake text, C1 CSI)
    escape:status           the normal answer with every `status`, `campaign_status`,
                            `message` and `detail` string ending in `ESCAPE_TEXT` (an empty 200,
                            Woodpecker's pause, becomes `{"status": ..., "message": ...}`)
    deep-json[:DEPTH]       200 whose body is JSON nested DEPTH deep (default 100000):
                            `{"a":{"a":...1}}`
    deep-json[:DEPTH]:details
                            422 in the vendor's error shape (VoiceGenie: INVALID_CAMPAIGN_STATE)
                            plus `"details": {"missing": <nested DEPTH deep>}`
    gzip-bomb[:LAYERS]      200 whose body decodes to 1 GiB of JSON whitespace and `{}`:
                            `Content-Encoding: gzip` (~1 MB body), `gzip, gzip` for LAYERS=2
                            (~2.5 KB), three layers for 3 (~140 bytes)
    reflect-key             401 in the vendor's error shape whose message echoes the key it
                            received as sent, upper-cased and as its first 14 characters plus
                            `...`, with the raw auth header in `"request": {"headers": ...}`
    reflect-key:status      the normal answer with the key echoed (same three forms) in every
                            status/message string, as for escape:status
    key-id[:LENGTH]         the normal answer; a campaign list also lists a copy of its first
                            campaign whose ID is the key it received (or a LENGTH-character run
                            from the key's middle): a vendor whose IDs can look like keys
    text:VARIANT            the normal answer with every `status`, `campaign_status`, `message`,
                            `detail` and `name` string made hard to show: `surrogate` appends a
                            lone UTF-16 surrogate (`\\ud800` on the wire, as a JavaScript back end
                            that cuts an emoji in half sends), `invisible` puts zero-width and
                            other format characters after the fourth character (`paus\\u200bed`),
                            `cjk` appends a Japanese name (for a stdout that cannot encode it)
    set-cookie              the normal answer with `Set-Cookie: session=<vendor>-<n>; Path=/`
                            (n counts the answers): a client that keeps a cookie jar sends it
                            back, also with another account's requests
    ignore                  the normal success answer, but the campaign's state does not change
    huge-number[:CODE]      CODE (default 503) in the vendor's error shape plus a field `"n"`
                            holding a 5,000-digit number (past Python's int-max-str-digits)
    other-id                the normal answer (the action lands), but every `id` and
                            `campaign_id` in it names another campaign (`0` + the string,
                            or the integer + 1)

    endless-list            a campaign list that never ends: every page is empty and points
                            to a next page with a new cursor (vendors with paged lists: Alta)

`*COUNT` limits the fault to the first COUNT matching requests (default: every one). A fault
without a campaign id also matches campaign-list requests. Examples: `status:503*2`,
`status:502:html@leadlex`, `rate_limit:2@alta`, `drop*1`, `slow:30@woodpecker:12345`,
`rate_limit:Wed, 21 Oct 2026 07:28:00 GMT`, `escape:status@alta`, `gzip-bomb:2*1`,
`deep-json:100000:details@voicegenie`, `ignore@woodpecker:12345`, `slow-body:7`,
`rate_limit:1e12`, `rate_limit:Fri, 31 Dec 9999 23:59:59 GMT`, `huge-number:401@leadlex`,
`other-id@voicegenie`.
LOCATION cannot hold `@` or `*` (they start the vendor and count parts).
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .vendors import VENDORS

FaultKind = Literal[
    "status",
    "rate_limit",
    "malformed",
    "drop",
    "redirect",
    "slow",
    "slow-body",
    "escape",
    "deep-json",
    "gzip-bomb",
    "reflect-key",
    "key-id",
    "text",
    "set-cookie",
    "ignore",
    "huge-number",
    "other-id",
    "endless-list",
]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
Variant = Literal["", "status", "details", "surrogate", "invisible", "cjk"]
_VARIANTS: dict[str, tuple[Variant, ...]] = {
    "escape": ("", "status"),
    "reflect-key": ("", "status"),
    "deep-json": ("", "details"),
    "text": ("surrogate", "invisible", "cjk"),
}
DEFAULT_SECONDS = {"slow": 30.0, "slow-body": 7.0}
MAX_DEPTH = 1_000_000
MAX_LAYERS = 3
_HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")
_PLAIN_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]+)?")


@dataclass(frozen=True)
class Fault:
    """One fault rule; matching requests are answered by it instead of by the vendor.

    Rules are consulted in insertion order and a rule whose `count` is used up is skipped. A
    faulted request changes no campaign state, except the faults that answer normally (`slow`,
    `slow-body`, `escape:status`, `reflect-key:status`, `key-id`, `text`, `set-cookie`,
    `other-id`): there the action lands, as when a client gives up on a slow vendor or a vendor
    words its success oddly. `ignore` answers normally but changes nothing.
    """

    kind: FaultKind
    status: int = 503
    html: bool = False
    retry_after: float | str = 1
    seconds: float | None = None  # slow, slow-body; None: DEFAULT_SECONDS
    count: int | None = None
    vendor: str | None = None
    campaign_id: str | None = None
    variant: Variant = ""  # escape/reflect-key: "status"; deep-json: "details"; text: required
    depth: int = 100_000  # deep-json
    layers: int = 1  # gzip-bomb
    location: str | None = None  # redirect; None: https://elsewhere.example/...
    run: int | None = None  # key-id: characters of the key listed; None: all of it

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of {', '.join(FAULT_KINDS)})")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {self.status}")
        if self.count is not None and self.count < 1:
            raise ValueError(f"count must be >= 1, got {self.count}")
        if self.vendor is not None and self.vendor not in VENDORS:
            raise ValueError(f"unknown vendor {self.vendor!r} (one of {', '.join(VENDORS)})")
        if self.seconds is not None and not 0 <= self.seconds <= 86_400:
            raise ValueError(f"seconds must be between 0 and 86400, got {self.seconds}")
        if self.variant not in _VARIANTS.get(self.kind, ("",)):
            raise ValueError(f"{self.kind} has no variant {self.variant!r}")
        if not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, got {self.depth}")
        if not 1 <= self.layers <= MAX_LAYERS:
            raise ValueError(f"layers must be between 1 and {MAX_LAYERS}, got {self.layers}")
        if self.run is not None and self.run < 1:
            raise ValueError(f"length must be >= 1, got {self.run}")
        if self.location is not None and (
            "\r" in self.location
            or "\n" in self.location
            or max(self.location, default="") > "\xff"
        ):
            raise ValueError("a redirect location must be bytes (\\xHH) without CR or LF")

    @property
    def delay(self) -> float:
        """Seconds of `slow` / `slow-body`."""
        return self.seconds if self.seconds is not None else DEFAULT_SECONDS.get(self.kind, 30.0)

    @property
    def answers_normally(self) -> bool:
        """The vendor still answers (and acts); the fault only delays or rewords its answer."""
        if self.kind in ("slow", "slow-body", "ignore", "key-id", "text", "set-cookie", "other-id"):
            return True
        return self.kind in ("escape", "reflect-key") and self.variant == "status"

    @property
    def retry_after_header(self) -> str:
        """Whole seconds without a decimal point; fractions and dates as given."""
        value = self.retry_after
        if isinstance(value, str):
            return value
        return str(int(value)) if float(value).is_integer() else str(value)

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Build a fault from `KIND[:ARG][@VENDOR[:CAMPAIGN_ID]][*COUNT]` (see module doc)."""
        try:
            return cls._parse(spec.strip())
        except ValueError as exc:
            raise ValueError(f"bad fault spec {spec!r}: {exc}") from None

    @classmethod
    def _parse(cls, text: str) -> Fault:
        count = None
        if "*" in text:
            text, _, count_text = text.rpartition("*")
            if not (count_text.isascii() and count_text.isdigit()):
                raise ValueError(f"count must be a positive integer, got {count_text!r}")
            count = int(count_text)
        vendor: str | None = None
        campaign_id: str | None = None
        if "@" in text:
            text, _, target = text.rpartition("@")
            vendor, _, campaign_id_text = target.partition(":")
            campaign_id = campaign_id_text or None
        name, _, arg = text.partition(":")
        if name not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {name!r} (one of {', '.join(FAULT_KINDS)})")
        kind: FaultKind = name
        options = _options(kind, arg) if arg or kind == "text" else {}  # text needs its variant
        return cls(kind, count=count, vendor=vendor, campaign_id=campaign_id, **options)


def _options(kind: FaultKind, arg: str) -> dict[str, Any]:
    """The fields ARG sets for `kind`."""
    match kind:
        case "huge-number":
            if not (arg.isascii() and arg.isdigit()):
                raise ValueError(f"status code must be an integer, got {arg!r}")
            return {"status": int(arg)}
        case "status":
            code, _, flag = arg.partition(":")
            if flag not in ("", "html"):
                raise ValueError(f"expected status:CODE[:html], got option {flag!r}")
            if code and not (code.isascii() and code.isdigit()):
                raise ValueError(f"status code must be an integer, got {code!r}")
            return {"status": int(code) if code else 503, "html": flag == "html"}
        case "rate_limit":
            return {"retry_after": _retry_after(arg)}
        case "slow" | "slow-body":
            return {"seconds": _number("seconds", arg)}
        case "escape" | "reflect-key":
            if arg != "status":
                raise ValueError(f"expected {kind}[:status], got {arg!r}")
            return {"variant": "status"}
        case "deep-json":
            depth, _, flag = arg.partition(":")
            if depth == "details" and not flag:
                depth, flag = "", "details"
            if flag not in ("", "details"):
                raise ValueError(f"expected deep-json[:DEPTH][:details], got option {flag!r}")
            return {"variant": flag, **({"depth": _whole("depth", depth)} if depth else {})}
        case "gzip-bomb":
            return {"layers": _whole("layers", arg)}
        case "redirect":
            return {"location": _unescape(arg)}
        case "key-id":
            return {"run": _whole("length", arg)}
        case "text":
            variants = _VARIANTS["text"]
            if arg not in variants:
                raise ValueError(f"expected text:{'|'.join(variants)}, got {arg!r}")
            return {"variant": arg}
        case _:
            raise ValueError(f"{kind} takes no argument, got {arg!r}")


def _retry_after(arg: str) -> float | str:
    """Plain seconds as a number; anything else (an absurd number, a date) as written."""
    if _PLAIN_SECONDS.fullmatch(arg):
        return float(arg)
    try:
        float(arg)
    except ValueError:
        if email.utils.parsedate_tz(arg) is None:
            raise ValueError(f"Retry-After must be seconds or an HTTP-date, got {arg!r}") from None
    return arg


def _number(name: str, arg: str) -> float:
    try:
        return float(arg)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {arg!r}") from None


def _whole(name: str, arg: str) -> int:
    if not (arg.isascii() and arg.isdigit()) or len(arg) > 9:
        raise ValueError(f"{name} must be a positive integer, got {arg!r}")
    return int(arg)


def _unescape(arg: str) -> str:
    """`\\xHH` escapes become those bytes, other non-ASCII characters their UTF-8 bytes (one
    character per byte, as an HTTP header value is written)."""
    return _HEX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), arg.encode().decode("latin-1"))
