"""Injected faults: what a flaky vendor or network does to a request.

Spec grammar for CLI flags (`Fault.parse`)::

    KIND[:ARG][@VENDOR[:CAMPAIGN_ID]][*COUNT]

    status[:CODE[:html]]    answer CODE (default 503) in the vendor's error shape, or an HTML page
    rate_limit[:AFTER]      429 with Retry-After: AFTER, seconds (default 1) or an HTTP-date
    malformed               200 with a truncated JSON body
    drop                    close the connection without answering
    redirect                302 to https://elsewhere.example/...
    slow[:SECONDS]          wait SECONDS (default 30) and then answer normally

`*COUNT` limits the fault to the first COUNT matching requests (default: every one).
Examples: `status:503*2`, `status:502:html@leadlex`, `rate_limit:2@alta`, `drop*1`,
`slow:30@woodpecker:12345`, `rate_limit:Wed, 21 Oct 2026 07:28:00 GMT`.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from typing import Literal

from .vendors import VENDORS

FaultKind = Literal["status", "rate_limit", "malformed", "drop", "redirect", "slow"]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "status",
    "rate_limit",
    "malformed",
    "drop",
    "redirect",
    "slow",
)


@dataclass(frozen=True)
class Fault:
    """One fault rule; matching requests are answered by it instead of by the vendor.

    Rules are consulted in insertion order and a rule whose `count` is used up is skipped. A
    faulted request changes no campaign state, except `slow`, which only delays the normal
    answer: the action still lands, as when a real client times out on a slow vendor.
    """

    kind: FaultKind
    status: int = 503
    html: bool = False
    retry_after: float | str = 1
    seconds: float = 30.0
    count: int | None = None
    vendor: str | None = None
    campaign_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of {', '.join(FAULT_KINDS)})")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {self.status}")
        if self.count is not None and self.count < 1:
            raise ValueError(f"count must be >= 1, got {self.count}")
        if self.vendor is not None and self.vendor not in VENDORS:
            raise ValueError(f"unknown vendor {self.vendor!r} (one of {', '.join(VENDORS)})")
        if not 0 <= self.seconds <= 86_400:
            raise ValueError(f"seconds must be between 0 and 86400, got {self.seconds}")

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
            if not count_text.isdigit():
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
        kind = name
        status, html, seconds = 503, False, 30.0
        retry_after: float | str = 1
        if kind == "status":
            code, _, flag = arg.partition(":")
            if flag not in ("", "html"):
                raise ValueError(f"expected status:CODE[:html], got option {flag!r}")
            if code and not code.isdigit():
                raise ValueError(f"status code must be an integer, got {code!r}")
            status = int(code) if code else 503
            html = flag == "html"
        elif kind == "rate_limit":
            retry_after = _retry_after(arg) if arg else 1
        elif kind == "slow" and arg:
            try:
                seconds = float(arg)
            except ValueError:
                raise ValueError(f"seconds must be a number, got {arg!r}") from None
        elif arg:
            raise ValueError(f"{kind} takes no argument, got {arg!r}")
        return cls(
            kind,
            status=status,
            html=html,
            retry_after=retry_after,
            seconds=seconds,
            count=count,
            vendor=vendor,
            campaign_id=campaign_id,
        )


def _retry_after(arg: str) -> float | str:
    try:
        return float(arg)
    except ValueError:
        if email.utils.parsedate_tz(arg) is None:
            raise ValueError(f"Retry-After must be seconds or an HTTP-date, got {arg!r}") from None
        return arg
